import { describe, expect, it } from 'vitest';
import { splitsSuppressed, suppressLine } from '../src/cube/suppression';
import { parseK } from '../src/config';
import { validateQuestion, previousQuestion } from '../src/cube/insights.service';
import type { Question } from '../src/cube/model';

const line = (ns: Record<string, number>) => Object.entries(ns).map(([key, n]) => ({ key, n }));

describe('suppressLine', () => {
  it('hides nothing when every cell has k or more', () => {
    expect([...suppressLine(line({ a: 10, b: 50, c: 0 }), 10)]).toEqual([]);
  });
  it('never leaves a lone suppressed cell: the smallest other cell goes with it', () => {
    expect([...suppressLine(line({ a: 3, b: 40, c: 12, d: 90 }), 10)].sort()).toEqual(['a', 'c']);
  });
  it('keeps hiding until the hidden cells hold k records together', () => {
    // 1 + 2 = 3 < 10: one more (the smallest visible, 11) goes too.
    expect([...suppressLine(line({ a: 1, b: 2, c: 11, d: 30 }), 10)].sort()).toEqual(['a', 'b', 'c']);
  });
  it('does not count empty cells, and ties go by key so every question picks the same complement', () => {
    expect([...suppressLine(line({ a: 4, z: 0, c: 20, b: 20 }), 10)].sort()).toEqual(['a', 'b']);
  });
  it('hides marked cells (too few officers) however large', () => {
    expect([...suppressLine(line({ a: 100, b: 40, c: 50 }), 10, new Set(['a']))].sort()).toEqual(['a', 'b']);
  });
  it('hides the whole line when nothing else is left', () => {
    expect([...suppressLine(line({ a: 3 }), 10)]).toEqual(['a']);
  });
});

describe('splitsSuppressed', () => {
  const s = new Set(['2026-03', '2026-07']);
  it("lets a period through that holds all or none of a year's hidden months", () => {
    expect(splitsSuppressed(new Set(['2026-01', '2026-02']), s)).toBe(false);
    expect(splitsSuppressed(new Set(['2026-03', '2026-05', '2026-07']), s)).toBe(false);
  });
  it('stops one that holds some of them', () => {
    expect(splitsSuppressed(new Set(['2026-01', '2026-02', '2026-03']), s)).toBe(true);
  });
});

describe('INSIGHTS_K', () => {
  it('takes a default and per-basis values', () => {
    expect(parseK('10,RATINGS=5,APPEALS=20')).toMatchObject({ OPENED: 10, RATINGS: 5, APPEALS: 20 });
    expect(parseK('15').COMPLETED).toBe(15);
    expect(() => parseK('1')).toThrow(/2–1000/);
    expect(() => parseK('STARS=5')).toThrow(/unknown basis/);
  });
});

describe('questions', () => {
  const q: Question = { measures: ['TICKETS_OPENED'], dimensions: ['MONTH'], from: '2026-01', to: '2026-03', filter: {}, sort: [], limit: 100, compare: 'PREVIOUS_PERIOD' };
  it('compares with the period just before, or a year before', () => {
    expect(previousQuestion(q)).toMatchObject({ from: '2025-10', to: '2025-12', compare: null });
    expect(previousQuestion({ ...q, compare: 'PREVIOUS_YEAR' })).toMatchObject({ from: '2025-01', to: '2025-03' });
  });
  it('refuses filters on grouped dimensions, day questions over a year, and backlogs by day', () => {
    const policy = { maxRows: 5000, maxMonths: 60 };
    expect(() => validateQuestion({ ...q, dimensions: ['AGENCY'], filter: { agencyId: 'bpkpd' } }, policy)).toThrow(/not both/);
    expect(() => validateQuestion({ ...q, dimensions: ['DAY'], from: '2025-01', to: '2026-03', compare: null }, policy)).toThrow(/12 months/);
    expect(() => validateQuestion({ ...q, measures: ['BACKLOG'], dimensions: ['WEEK'], compare: null }, policy)).toThrow(/BACKLOG/);
    expect(() => validateQuestion({ ...q, from: '2020-01', to: '2026-03' }, policy)).toThrow(/60 months/);
  });
});
