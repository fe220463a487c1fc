import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { isMutationFetch } from '../src/operation-kind';

describe('isMutationFetch (which subgraph fetches may be shared between identical in-flight calls)', () => {
  it('reads the kind from the parsed operation, whatever precedes it', () => {
    expect(isMutationFetch('{ agencies { id } }')).toBe(false);
    expect(isMutationFetch('query Q { agencies { id } }')).toBe(false);
    expect(isMutationFetch('mutation M { rateService(ticketId: "t", stars: 5) { id } }')).toBe(true);
    // What a text prefix test missed: a comment, white space or a BOM before the keyword.
    expect(isMutationFetch('# from the planner\n  mutation { requestDocument(type: "KK") }')).toBe(true);
    expect(isMutationFetch('\uFEFFmutation { requestDocument(type: "KK") }')).toBe(true);
    // A query whose name starts with "mutation" is a query.
    expect(isMutationFetch('query mutationLog { agencies { id } }')).toBe(false);
  });

  it('picks the named operation of a document with several', () => {
    const text = 'query A { agencies { id } } mutation B { requestDocument(type: "KK") }';
    expect(isMutationFetch(text, 'A')).toBe(false);
    expect(isMutationFetch(text, 'B')).toBe(true);
  });

  it("uses the planner's document when it is given", () => {
    expect(isMutationFetch('not parsed', undefined, parse('mutation { x }'))).toBe(true);
    expect(isMutationFetch('not parsed', undefined, parse('{ x }'))).toBe(false);
  });

  it('never shares what it cannot classify: unparseable text, an unknown operation name, a subscription', () => {
    expect(isMutationFetch('{ unclosed')).toBe(true);
    expect(isMutationFetch('query A { x }', 'Missing')).toBe(true);
    expect(isMutationFetch('subscription S { x }')).toBe(true);
  });
});
