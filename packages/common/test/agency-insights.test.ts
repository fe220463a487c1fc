import { describe, expect, it } from 'vitest';
import {
  AgencyMeasureAnswerer,
  decodeAgencyQuestion,
  encodeAgencyQuestion,
  kecamatanCodeOf,
  MemoryAccessLog,
  percent2,
  suppressAgencyLine,
  tabulateAgencyFacts,
  validateAgencyQuestion,
  type AgencyFact,
  type AgencyQuestion,
  type Caller,
} from '../src';

const Q: AgencyQuestion = { measures: ['CLINIC_BOOKINGS'], dimensions: ['PUSKESMAS'], from: '2026-01', to: '2026-06', k: { CLINIC_BOOKINGS: 10 } };
const fact = (MONTH: string, PUSKESMAS: string, n: number): AgencyFact => ({ key: { MONTH, PUSKESMAS }, n });

describe('agency questions', () => {
  it('round-trips as canonical text whatever the order of the measures', () => {
    const a = encodeAgencyQuestion({ ...Q, measures: ['CLINIC_BOOKINGS', 'PERMITS_ISSUED'], dimensions: [], k: { PERMITS_ISSUED: 10, CLINIC_BOOKINGS: 12 } });
    const b = encodeAgencyQuestion({ ...Q, measures: ['PERMITS_ISSUED', 'CLINIC_BOOKINGS'], dimensions: [], k: { CLINIC_BOOKINGS: 12, PERMITS_ISSUED: 10 } });
    expect(a).toBe(b);
    expect(decodeAgencyQuestion(a)).toMatchObject({ measures: ['PERMITS_ISSUED', 'CLINIC_BOOKINGS'], k: { CLINIC_BOOKINGS: 12 } });
  });

  it.each([
    [{ ...Q, dimensions: ['SECTOR'] }, 'CLINIC_BOOKINGS splits by MONTH, KECAMATAN, PUSKESMAS; not by SECTOR.'],
    [{ ...Q, from: '2026-13' }, 'from'],
    [{ ...Q, from: '2026-07' }, 'from must not be after to.'],
    [{ ...Q, k: { CLINIC_BOOKINGS: 1 } }, 'k'],
    [{ ...Q, measures: [] }, 'measures'],
    [{ ...Q, from: '2020-01', to: '2026-01' }, 'A question spans 60 months at most.'],
  ])('refuses a question that is not one with BAD_USER_INPUT (%#)', (q, message) => {
    let caught: unknown;
    try {
      validateAgencyQuestion(q as AgencyQuestion);
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect((caught as Error).message).toContain(message);
  });

  it('reads kecamatan names as agency systems write them', () => {
    expect(kecamatanCodeOf('Pogalan')).toBe(12);
    expect(kecamatanCodeOf('KEC. TRENGGALEK')).toBe(11);
    expect(kecamatanCodeOf('Atlantis')).toBe(0);
  });
});

describe('small cells in agency measures', () => {
  it('suppresses a cell under k and, in the same line, the next smallest so the total gives nothing away', () => {
    const facts = [fact('2026-01', 'P1', 40), fact('2026-01', 'P2', 25), fact('2026-01', 'P3', 4), fact('2026-01', 'P4', 30)];
    const t = tabulateAgencyFacts(facts, { dimensions: ['PUSKESMAS'], from: '2026-01', to: '2026-12', k: 10, kind: 'count', periodRule: false });
    const byKey = Object.fromEntries(t.cells.map((c) => [c.key.PUSKESMAS, c]));
    expect(byKey.P3).toMatchObject({ value: null, suppressed: true });
    // Total 99 minus the visible cells must not reveal P3: P2 (the smallest visible) goes too.
    expect(byKey.P2).toMatchObject({ value: null, suppressed: true });
    expect(byKey.P1).toMatchObject({ value: 40, suppressed: false });
    expect(byKey.P4).toMatchObject({ value: 30, suppressed: false });
    expect(t.suppressed).toHaveLength(2);
  });

  it('hides in every line of a two-way table until each line is safe', () => {
    const facts: AgencyFact[] = [];
    for (const [p, counts] of Object.entries({ P1: [30, 30, 30], P2: [30, 3, 30], P3: [30, 30, 30] })) counts.forEach((n, i) => facts.push(fact(`2026-0${i + 1}`, p, n)));
    const t = tabulateAgencyFacts(facts, { dimensions: ['PUSKESMAS', 'MONTH'], from: '2026-01', to: '2026-03', k: 10, kind: 'count', periodRule: false });
    const hidden = t.suppressed.map((c) => `${c.key.PUSKESMAS}@${c.key.MONTH}`);
    expect(hidden).toContain('P2@2026-02');
    // Each row and column holding a hidden cell holds at least two.
    for (const p of ['P1', 'P2', 'P3']) expect([0, 2, 3]).toContain(hidden.filter((h) => h.startsWith(p)).length);
    for (const m of ['2026-01', '2026-02', '2026-03']) expect([0, 2, 3]).toContain(hidden.filter((h) => h.endsWith(m)).length);
  });

  it('does not answer a period that splits the hidden months of a year (differencing two periods)', () => {
    const facts = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'].map((m) => fact(`2026-${m}`, 'P1', m === '11' ? 2 : 40));
    const opts = { dimensions: ['PUSKESMAS'] as const, k: 10, kind: 'count' as const, periodRule: true };
    const janToNov = tabulateAgencyFacts(facts, { ...opts, dimensions: [...opts.dimensions], from: '2026-01', to: '2026-11' });
    const janToOct = tabulateAgencyFacts(facts, { ...opts, dimensions: [...opts.dimensions], from: '2026-01', to: '2026-10' });
    const year = tabulateAgencyFacts(facts, { ...opts, dimensions: [...opts.dimensions], from: '2026-01', to: '2026-12' });
    // November is hidden, and so is its complement (the smallest other month, January, ties by
    // key): a period holding one of them but not the other is not answered, so January–November
    // and January–October are never both shown (their difference would be November).
    expect(janToNov.cells[0]).toMatchObject({ suppressed: false, value: 402 });
    expect(janToOct.cells[0]).toMatchObject({ suppressed: true, value: null });
    expect(year.cells[0]).toMatchObject({ suppressed: false, value: 442 });
    const febToNov = tabulateAgencyFacts(facts, { ...opts, dimensions: [...opts.dimensions], from: '2026-02', to: '2026-11' });
    expect(febToNov.cells[0]).toMatchObject({ suppressed: true, value: null });
    const febToOct = tabulateAgencyFacts(facts, { ...opts, dimensions: [...opts.dimensions], from: '2026-02', to: '2026-10' });
    expect(febToOct.cells[0]).toMatchObject({ suppressed: false, value: 360 });
  });

  it('computes ratios exactly, rounding half up once', () => {
    expect(percent2(1, 8)).toBe(12.5);
    expect(percent2(2, 3)).toBe(66.67);
    expect(percent2(1, 20_000)).toBe(0.01);
    expect(percent2(1, 200_000)).toBe(0);
    expect(percent2(987_654_321_098, 1_234_567_890_123)).toBe(80);
    const t = tabulateAgencyFacts(
      [
        { key: { KECAMATAN: '1' }, n: 12, num: 5_000_000, den: 10_000_000 },
        { key: { KECAMATAN: '1' }, n: 12, num: 1_000_000, den: 2_000_000 },
      ],
      { dimensions: ['KECAMATAN'], from: '2026-01', to: '2026-12', k: 10, kind: 'ratio', periodRule: false },
    );
    expect(t.cells).toEqual([{ key: { KECAMATAN: '1' }, n: 24, value: 50, suppressed: false }]);
  });

  it('leaves a line alone when nothing in it is small', () => {
    expect(
      suppressAgencyLine(
        [
          { key: 'a', n: 10 },
          { key: 'b', n: 11 },
        ],
        10,
      ),
    ).toEqual(new Set());
  });
});

describe('an agency subgraph answering its measure', () => {
  const analyst: Caller = { sub: 'usr-analis', roles: ['analyst'] };

  it('makes one aggregate call per question however many times it is asked, and records the suppressed cells first', async () => {
    const log = new MemoryAccessLog();
    let calls = 0;
    const answerer = new AgencyMeasureAnswerer({
      measure: 'CLINIC_BOOKINGS',
      source: 'health',
      caller: analyst,
      requestId: 'req-1',
      accessLog: log,
      kind: 'count',
      periodRule: true,
      facts: async (range) => {
        calls++;
        expect(range).toEqual({ from: '2026-01', to: '2026-12' });
        return [fact('2026-02', 'P1', 50), fact('2026-02', 'P2', 3), fact('2026-02', 'P3', 20)];
      },
    });
    const text = encodeAgencyQuestion(Q);
    const answers = await Promise.all([answerer.answer(text), answerer.answer(text), answerer.answer(text)]);
    expect(calls).toBe(1);
    expect(answers[0]!.table.suppressed.map((c) => c.key.PUSKESMAS)).toEqual(['P2', 'P3']);
    expect(log.entries).toHaveLength(1);
    expect(log.entries[0]).toMatchObject({ source: 'health', subject: 'usr-analis', fields: ['AgencyInsight.clinicBookings'], purpose: 'analyst' });
    expect(log.entries[0]!.recordRefs).toContain('suppressed:CLINIC_BOOKINGS@{"PUSKESMAS":"P2"}');
  });

  it('answers null for a question that does not name its measure, and refuses non-analysts and an unwritable log', async () => {
    const log = new MemoryAccessLog();
    const make = (caller: Caller) =>
      new AgencyMeasureAnswerer({ measure: 'PERMITS_ISSUED', source: 'licensing', caller, requestId: 'r', accessLog: log, kind: 'count', periodRule: true, facts: async () => [] });
    expect(await make(analyst).answer(encodeAgencyQuestion(Q))).toBeNull();
    const q = encodeAgencyQuestion({ ...Q, measures: ['PERMITS_ISSUED'], dimensions: [], k: { PERMITS_ISSUED: 10 } });
    await expect(make({ sub: 'usr-siti', roles: ['citizen'] }).answer(q)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    log.failWith = 'database down';
    await expect(make(analyst).answer(q)).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
  });
});
