import { describe, expect, it } from 'vitest';
import { OperationAnalyzer } from '../src/edge/analysis';

describe("the operation analyzer's cache (lru-cache, bounded by characters of text)", () => {
  const query = (n: number) => `{ agency(id: "${String(n).padStart(4, '0')}") { id } }`; // 32 characters each

  it('answers a repeated text from the cache, least recently used dropped first within cacheChars', () => {
    const analyzer = new OperationAnalyzer({ maxTokens: 1_000, listSizeDefault: 10, cacheChars: 100 });
    const first = analyzer.analyze(query(1));
    expect(analyzer.analyze(query(1))).toBe(first);
    const second = analyzer.analyze(query(2));
    analyzer.analyze(query(3));
    analyzer.analyze(query(1)); // used again: query(2) is now the least recently used
    analyzer.analyze(query(4)); // 4 × 32 > 100: one must go
    expect(analyzer.analyze(query(1))).toBe(first);
    expect(analyzer.analyze(query(2))).not.toBe(second);
  });

  it('analyses a text longer than maxCachedTextLength every time, and forgets everything on a new schema', () => {
    const analyzer = new OperationAnalyzer({ maxTokens: 1_000, listSizeDefault: 10, maxCachedTextLength: 20 });
    expect(analyzer.analyze(query(1))).not.toBe(analyzer.analyze(query(1)));
    const cached = new OperationAnalyzer({ maxTokens: 1_000, listSizeDefault: 10 });
    const before = cached.analyze(query(1));
    cached.setSchema(undefined as never);
    expect(cached.analyze(query(1))).not.toBe(before);
  });
});
