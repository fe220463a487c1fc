import { describe, expect, it } from 'vitest';
import { splitsSuppressed, suppressDistinctLine, suppressLine } from '../src/cube/suppression';
import { computeDistinct, type DistinctRow } from '../src/cube/distinct';
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

describe('suppressDistinctLine (distinct citizens: the total is not the sum)', () => {
  it('hides nothing when every cell has k or more, whatever the total', () => {
    expect([...suppressDistinctLine(line({ a: 12, b: 30 }), 10, 35)]).toEqual([]);
  });
  it('applies the small-cell rule as for records (no lone hidden cell)', () => {
    expect([...suppressDistinctLine(line({ a: 3, b: 40, c: 12 }), 10, 55)].sort()).toEqual(['a', 'c']);
  });
  it('keeps hiding while total − visible cells would count 1 … k−1 citizens', () => {
    // Hidden a + b hold 11 together (rule met for records), but the total says 50 − 40 = 10 … fine;
    // with a total of 44, 44 − 40 = 4 citizens only in a or b: c goes too.
    expect([...suppressDistinctLine(line({ a: 5, b: 6, c: 15, d: 25 }), 10, 50)].sort()).toEqual(['a', 'b']);
    expect([...suppressDistinctLine(line({ a: 5, b: 6, c: 15, d: 25 }), 10, 44)].sort()).toEqual(['a', 'b', 'c']);
  });
  it('lets a difference of 0 or less through: it bounds nothing', () => {
    // Citizens of a and b all appear in c or d too: 38 − 40 < 0.
    expect([...suppressDistinctLine(line({ a: 5, b: 6, c: 15, d: 25 }), 10, 38)].sort()).toEqual(['a', 'b']);
  });
});

describe('computeDistinct', () => {
  const sep = '|';
  // By service × month of 2026: cells, the year line totals (gb = 1) and the months' totals over services (g = 1).
  const rows: DistinctRow[] = [
    { b: '2026-01', n: 30, gb: 0, g: [0], coords: ['s1'] },
    { b: '2026-01', n: 4, gb: 0, g: [0], coords: ['s2'] },
    { b: '2026-01', n: 12, gb: 0, g: [0], coords: ['s3'] },
    { b: '2026-01', n: 40, gb: 0, g: [1], coords: [null] },
    { b: '2026-02', n: 25, gb: 0, g: [0], coords: ['s1'] },
    { b: '2026-02', n: 20, gb: 0, g: [0], coords: ['s2'] },
    { b: '2026-02', n: 11, gb: 0, g: [0], coords: ['s3'] },
    { b: '2026-02', n: 50, gb: 0, g: [1], coords: [null] },
    { b: '', l: '2026', n: 50, gb: 1, g: [0], coords: ['s1'] },
    { b: '', l: '2026', n: 22, gb: 1, g: [0], coords: ['s2'] },
    { b: '', l: '2026', n: 20, gb: 1, g: [0], coords: ['s3'] },
  ];
  it('hides small cells, their complements in every line, until every line holds the rule', () => {
    const { cells, hidden } = computeDistinct(rows, 'MONTH', 10, sep);
    expect(cells.get('s1|2026-01')).toBe(30);
    // s2 in January is small; its month line hides s3 (12) with it (40 − 30 = 10 ≥ k); s2's year line
    // (4, 20) then hides February's s2, and s3's year line (12 hidden, 11) hides February's s3.
    expect([...hidden].sort()).toEqual(['s2|2026-01', 's2|2026-02', 's3|2026-01', 's3|2026-02']);
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
  it('gives distinct citizens only per calendar bucket, with no filter and no position class', () => {
    const policy = { maxRows: 5000, maxMonths: 60 };
    const d: Question = { ...q, measures: ['CITIZENS_SERVED'], compare: null };
    expect(validateQuestion({ ...d, dimensions: ['AGENCY', 'MONTH'] }, policy)).toBeTruthy();
    expect(validateQuestion({ ...d, dimensions: ['AGENCY'], from: '2026-03', to: '2026-03' }, policy)).toBeTruthy();
    expect(validateQuestion({ ...d, dimensions: ['AGENCY'], from: '2025-01', to: '2025-12' }, policy)).toBeTruthy();
    expect(() => validateQuestion({ ...d, dimensions: ['AGENCY'], from: '2026-01', to: '2026-11' }, policy)).toThrow(/one month or one calendar year/);
    expect(() => validateQuestion({ ...d, dimensions: ['MONTH'], filter: { kecamatan: 3 } }, policy)).toThrow(/no filter/);
    expect(() => validateQuestion({ ...d, measures: ['CITIZENS_RATING'], dimensions: ['POSITION_CLASS', 'MONTH'] }, policy)).toThrow(/POSITION_CLASS/);
  });
});
