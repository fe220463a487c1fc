import pg from 'pg';
import { CUBOIDS } from '../src/cube/cuboids';
import { beforeAll, describe, expect, it } from 'vitest';
import { callSubgraph } from '@gerbang/testing';
import { DIMENSIONS, DISTINCT_DIMENSIONS, DISTINCT_MEASURES, MEASURE_NAMES, measureDef } from '../src/cube/model';
import { ANALYST, ASK, HISTORY, insightsFixture } from './fixture';

let fx: Awaited<ReturnType<typeof insightsFixture>>;
beforeAll(async () => {
  fx = await insightsFixture();
  // Torn down after the file's tests, and only if it was set up.
  return () => fx.close();
}, 180_000);

const ask = (q: Record<string, unknown>, caller: any = ANALYST) => callSubgraph(fx.url, ASK, { audience: 'insights', caller, variables: { q } });
const ok = async (q: Record<string, unknown>) => {
  const res = await ask(q);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.insights as { rows: any[]; suppressedCells: number; cost: number; budgetRemaining: number; measures: any[] };
};
const cell = (row: any, m: string) => row.cells.find((c: any) => c.measure === m);
const K = 10;

describe('the history', () => {
  it('is the same for the same seed, and the ledger, rollups and reference tables agree', async () => {
    const { rows } = await fx.db.query(
      `select count(*)::int n, md5(string_agg(id || status || coalesce(officer_id, '') || submitted_at::text || coalesce(completed_at::text, ''), ',' order by id)) h from "${fx.ledgerSchema}".ticket`,
    );
    expect(rows[0].n).toBeGreaterThan(2000);
    // Determinism: regenerate the first month under the same seed into a scratch copy and compare.
    const r = await fx.db.query(`select count(*)::int n from "${fx.ledgerSchema}".rating`);
    expect(r.rows[0].n).toBeGreaterThan(500);
    const tally = await fx.db.query(`select (select coalesce(sum(opened), 0) from "${fx.insightsSchema}".ticket_month)::int as rolled, (select count(*) from "${fx.ledgerSchema}".ticket)::int as raw`);
    expect(tally.rows[0].rolled).toBe(tally.rows[0].raw);
    // A few officers below 4 in some month, some flags, some appeals.
    const below = await fx.db.query(
      `select count(distinct officer_id)::int n from "${fx.ledgerSchema}".rating_tally where officer_id <> '' and n1+n2+n3+n4+n5 >= 10 and (n1+2*n2+3*n3+4*n4+5*n5) < 4 * (n1+n2+n3+n4+n5)`,
    );
    expect(below.rows[0].n).toBeGreaterThanOrEqual(1);
    expect(below.rows[0].n).toBeLessThanOrEqual(4);
    const flags = await fx.db.query(`select count(*)::int n from "${fx.ledgerSchema}".rating_flag`);
    expect(flags.rows[0].n).toBeGreaterThan(0);
  });

  it('has seasonality: PBB copies peak before the August due date', async () => {
    const { rows } = await fx.db.query(
      `select to_char(submitted_at at time zone 'Asia/Jakarta', 'MM') m, count(*)::int n from "${fx.ledgerSchema}".ticket where service_id = 'bpkpd.salinan-sppt' and submitted_at >= '2026-01-01' group by 1 order by 1`,
    );
    const by = Object.fromEntries(rows.map((r) => [r.m, r.n]));
    expect(by['08']).toBeGreaterThan(2 * by['01']);
  });
});

describe('insights', () => {
  it('answers "completion within SLA by agency and month for 2026, with average stars" as SQL over the raw rows does, except suppressed cells', async () => {
    const answer = await ok({ measures: ['TICKETS_COMPLETED', 'COMPLETED_WITHIN_SLA_PERCENT', 'RATINGS', 'AVERAGE_STARS'], dimensions: ['AGENCY', 'MONTH'], from: '2026-01', to: '2026-12' });
    const L = `"${fx.ledgerSchema}"`;
    const raw = await fx.db.query(
      `select t.agency_id, to_char(t.completed_at at time zone 'Asia/Jakarta', 'YYYY-MM') as month, count(*)::int as completed,
         round(100.0 * count(*) filter (where (t.completed_at at time zone 'Asia/Jakarta')::date - (t.submitted_at at time zone 'Asia/Jakarta')::date <= s.sla_days) / count(*), 2)::float8 as sla
       from ${L}.ticket t left join "${fx.insightsSchema}".service_sla s on s.service_id = t.service_id
       where t.status = 'COMPLETED' and t.completed_at >= '2025-12-31T17:00:00Z' and t.completed_at < '2026-12-31T17:00:00Z'
       group by 1, 2`,
    );
    const stars = await fx.db.query(
      `select agency_id, period as month, count(*)::int as n, round(avg(stars), 2)::float8 as avg from ${L}.rating where status = 'VALID' and period like '2026-%' group by 1, 2`,
    );
    const rawT = new Map(raw.rows.map((r) => [`${r.agency_id}|${r.month}`, r]));
    const rawR = new Map(stars.rows.map((r) => [`${r.agency_id}|${r.month}`, r]));
    expect(answer.rows.length).toBeGreaterThan(20);
    let shown = 0;
    let hidden = 0;
    for (const row of answer.rows) {
      const key = `${row.agency.id}|${row.month}`;
      const t = rawT.get(key);
      const r = rawR.get(key);
      const completed = cell(row, 'TICKETS_COMPLETED');
      if (completed.suppressed) {
        hidden++;
        expect(completed.value).toBeNull();
        expect(cell(row, 'COMPLETED_WITHIN_SLA_PERCENT')).toMatchObject({ value: null, suppressed: true });
      } else {
        shown++;
        expect(completed.value).toBe(t.completed);
        expect(completed.value).toBeGreaterThanOrEqual(K);
        expect(cell(row, 'COMPLETED_WITHIN_SLA_PERCENT').value).toBe(t.sla);
      }
      const avg = cell(row, 'AVERAGE_STARS');
      if (!avg.suppressed && r) {
        expect(avg.value).toBe(r.avg);
        expect(cell(row, 'RATINGS').value).toBe(r.n);
      } else if (!avg.suppressed) {
        expect(avg.value).toBeNull();
        expect(cell(row, 'RATINGS').value).toBe(0);
      } else {
        expect(avg.value).toBeNull();
      }
    }
    // Every agency-month with tickets is there, and small ones are hidden, not dropped.
    for (const key of rawT.keys()) expect(answer.rows.some((row) => `${row.agency.id}|${row.month}` === key)).toBe(true);
    expect(shown).toBeGreaterThan(20);
    expect(hidden).toBeGreaterThan(0);
  });

  it('hides every cell made by fewer than k records, and never shows a lone suppressed cell in a line (subtraction from totals)', async () => {
    const byKec = await ok({ measures: ['TICKETS_OPENED'], dimensions: ['KECAMATAN'], from: '2026-03', to: '2026-03', filter: { serviceId: 'dpmptsp.izin-reklame' } });
    const total = await ok({ measures: ['TICKETS_OPENED'], dimensions: [], from: '2026-03', to: '2026-03', filter: { serviceId: 'dpmptsp.izin-reklame' } });
    const raw = await fx.db.query(
      `select c.kecamatan::text k, count(*)::int n from "${fx.ledgerSchema}".ticket t join "${fx.insightsSchema}".ticket_context c on c.ticket_id = t.id
       where t.service_id = 'dpmptsp.izin-reklame' and t.submitted_at >= '2026-02-28T17:00:00Z' and t.submitted_at < '2026-03-31T17:00:00Z' group by 1`,
    );
    const n = new Map(raw.rows.map((r) => [r.k, r.n]));
    const suppressed = byKec.rows.filter((r) => cell(r, 'TICKETS_OPENED').suppressed);
    for (const r of byKec.rows) {
      const c = cell(r, 'TICKETS_OPENED');
      if (n.get(String(r.kecamatan.code))! < K) expect(c.suppressed).toBe(true);
      if (!c.suppressed) expect(c.value).toBe(n.get(String(r.kecamatan.code)));
    }
    // The attack: total − visible cells. It must cover two or more cells and k or more tickets.
    expect(suppressed.length).not.toBe(1);
    if (suppressed.length) {
      const visibleSum = byKec.rows.filter((r) => !cell(r, 'TICKETS_OPENED').suppressed).reduce((a, r) => a + cell(r, 'TICKETS_OPENED').value, 0);
      const totalValue = cell(total.rows[0], 'TICKETS_OPENED').value;
      if (totalValue !== null) {
        expect(totalValue - visibleSum).toBeGreaterThanOrEqual(K);
      }
    }
    expect(suppressed.length).toBeGreaterThan(0);
  });

  it('never leaves a lone hidden cell in any row or column of a two-way table (complements repeated across crossing lines)', async () => {
    // Kecamatan × month: the rows (one kecamatan's months) and the columns (one month's kecamatan)
    // are both lines someone can total by asking without that dimension. A cell hidden as a row's
    // complement must not end up the only hidden cell of its column.
    const table = await ok({ measures: ['TICKETS_OPENED'], dimensions: ['KECAMATAN', 'MONTH'], from: '2026-01', to: '2026-06', filter: { agencyId: 'dpmptsp' } });
    const hidden = (r: any) => cell(r, 'TICKETS_OPENED').suppressed as boolean;
    const linesOf = (keyOf: (r: any) => string) => {
      const lines = new Map<string, any[]>();
      for (const r of table.rows) lines.set(keyOf(r), [...(lines.get(keyOf(r)) ?? []), r]);
      return [...lines.values()];
    };
    let crossed = 0;
    for (const lines of [linesOf((r) => String(r.kecamatan.code)), linesOf((r) => String(r.month))]) {
      for (const rows of lines) {
        const n = rows.filter(hidden).length;
        if (rows.length > 1) expect(n).not.toBe(1);
        if (n > 1) crossed++;
      }
    }
    expect(table.suppressedCells).toBeGreaterThan(0);
    expect(crossed).toBeGreaterThan(1);
  });

  it('refuses differencing through a filter: a value its breakdown hides is hidden when filtered to', async () => {
    const byKec = await ok({ measures: ['TICKETS_OPENED'], dimensions: ['KECAMATAN'], from: '2026-03', to: '2026-03', filter: { serviceId: 'dpmptsp.izin-reklame' } });
    for (const r of byKec.rows) {
      const alone = await ok({ measures: ['TICKETS_OPENED'], dimensions: [], from: '2026-03', to: '2026-03', filter: { serviceId: 'dpmptsp.izin-reklame', kecamatan: r.kecamatan.code } });
      expect(cell(alone.rows[0], 'TICKETS_OPENED').suppressed).toBe(cell(r, 'TICKETS_OPENED').suppressed);
    }
  });

  it('refuses differencing through periods: two periods one small month apart are not both shown', async () => {
    // Dinsos' aid proposals by kecamatan are small per month: a year-to-date figure and the same
    // minus its last month would give that month.
    const filter = { serviceId: 'dinsos.usulan-bansos', kecamatan: 11 };
    const months = await ok({ measures: ['TICKETS_OPENED'], dimensions: ['MONTH'], from: '2026-01', to: '2026-11', filter });
    const small = months.rows.filter((r) => cell(r, 'TICKETS_OPENED').suppressed).map((r) => r.month);
    expect(small.length).toBeGreaterThanOrEqual(2);
    for (const m of small) {
      const to = m;
      const prev = `${m.slice(0, 5)}${String(Number(m.slice(5)) - 1).padStart(2, '0')}`;
      if (prev.endsWith('00')) continue;
      const a = await ok({ measures: ['TICKETS_OPENED'], from: '2026-01', to, filter });
      const b = await ok({ measures: ['TICKETS_OPENED'], from: '2026-01', to: prev, filter });
      const both = !cell(a.rows[0] ?? { cells: [] }, 'TICKETS_OPENED')?.suppressed && !cell(b.rows[0] ?? { cells: [] }, 'TICKETS_OPENED')?.suppressed;
      expect(both).toBe(false);
    }
  });

  it('shows officers only as position classes with enough officers in the cell', async () => {
    const byClass = await ok({ measures: ['RATINGS', 'AVERAGE_STARS'], dimensions: ['AGENCY', 'POSITION_CLASS'], from: '2026-01', to: '2026-12' });
    // No agency has three officers in one class: every such cell is hidden.
    for (const r of byClass.rows) expect(cell(r, 'AVERAGE_STARS').suppressed).toBe(true);
    const classes = await ok({ measures: ['RATINGS', 'AVERAGE_STARS'], dimensions: ['POSITION_CLASS'], from: '2026-01', to: '2026-12' });
    const ahli = classes.rows.find((r) => r.positionClass === 'FUNGSIONAL_AHLI');
    expect(cell(ahli, 'AVERAGE_STARS').suppressed).toBe(false);
  });

  it('returns no personal data for any measure or dimension', async () => {
    // NIKs, NIPs, the ledger's keyed hashes, the facts' 64-bit citizen hashes, names, pseudonym seeds.
    const secretsish = /\b\d{16,19}\b|[0-9a-f]{64}|usr-|Prasetyo|Wulandari|Kurniawan|Astuti|Nugroho|Sutrisno|Suryani|Permatasari|Wahyudi|Susilowati|Ramadhan|Wahyuni|history:/;
    const questions: Record<string, unknown>[] = [];
    for (const d of DIMENSIONS) {
      const measures = MEASURE_NAMES.filter((m) => !DISTINCT_MEASURES.includes(m))
        .filter((m) => m !== 'APPEALS' || ['AGENCY', 'MONTH', 'POSITION_CLASS'].includes(d))
        .filter((m) => m !== 'BACKLOG' || !['DAY', 'WEEK'].includes(d));
      questions.push({ measures, dimensions: [d], from: '2026-10', to: '2026-11' });
      // Distinct citizens: every dimension they split by, for a month, a year and by month.
      if (DISTINCT_DIMENSIONS.includes(d)) {
        if (['MONTH', 'WEEK', 'DAY'].includes(d)) questions.push({ measures: DISTINCT_MEASURES, dimensions: [d], from: '2026-10', to: '2026-11' });
        else {
          questions.push({ measures: DISTINCT_MEASURES, dimensions: [d], from: '2026-11', to: '2026-11' });
          questions.push({ measures: DISTINCT_MEASURES, dimensions: [d, 'MONTH'], from: '2026-01', to: '2026-12', compare: 'PREVIOUS_YEAR' });
        }
      }
    }
    for (const q of questions) {
      const res = await ask(q);
      expect(res.body.errors).toBeUndefined();
      expect(JSON.stringify(res.body)).not.toMatch(secretsish);
      for (const row of res.body.data.insights.rows) {
        for (const c of row.cells) {
          // A shown count is never a single person's record, nor a handful of citizens.
          if (!c.suppressed && ['TICKETS_OPENED', 'TICKETS_COMPLETED', 'RATINGS', 'RATING_FLAGS', 'APPEALS', 'BACKLOG', ...DISTINCT_MEASURES].includes(c.measure) && c.value !== 0) {
            expect(c.value).toBeGreaterThanOrEqual(K);
          }
        }
      }
    }
    // Nor does the access log keep a citizen.
    await fx.accessLog.flush();
    const { entries } = await fx.accessLog.query({ subject: 'usr-analis', limit: 1000 });
    expect(entries.some((e) => e.fields.includes('Insights.CITIZENS_SERVED'))).toBe(true);
    const kept = entries.filter((e) => e.fields.includes('Insights.CITIZENS_SERVED')).map((e) => ({ ...e, recordRefs: e.recordRefs.filter((r) => !r.startsWith('question-sha256:')) }));
    expect(JSON.stringify(kept)).not.toMatch(/[0-9a-f]{64}|\b\d{16,19}\b|history:/);
  });

  it('counts distinct citizens as COUNT(DISTINCT) over the raw rows does, per month and per year, except suppressed cells', async () => {
    const L = `"${fx.ledgerSchema}"`;
    const served = await fx.db.query(
      `select agency_id, to_char(submitted_at at time zone 'Asia/Jakarta', 'YYYY-MM') m, count(distinct citizen_ref)::int n
       from ${L}.ticket where submitted_at >= '2025-12-31T17:00:00Z' and submitted_at < '2026-12-31T17:00:00Z' group by grouping sets ((1, 2), (1))`,
    );
    const raters = await fx.db.query(
      `select agency_id, to_char(completed_at at time zone 'Asia/Jakarta', 'YYYY-MM') m, count(distinct citizen_ref)::int n
       from ${L}.rating where status = 'VALID' and completed_at >= '2025-12-31T17:00:00Z' and completed_at < '2026-12-31T17:00:00Z' group by grouping sets ((1, 2), (1))`,
    );
    const raw = (rows: any[]) => new Map(rows.map((r) => [`${r.agency_id}|${r.m ?? 'year'}`, r.n as number]));
    const rawServed = raw(served.rows);
    const rawRaters = raw(raters.rows);
    const byMonth = await ok({ measures: ['CITIZENS_SERVED', 'CITIZENS_RATING', 'TICKETS_OPENED'], dimensions: ['AGENCY', 'MONTH'], from: '2026-01', to: '2026-12' });
    const byYear = await ok({ measures: ['CITIZENS_SERVED', 'CITIZENS_RATING'], dimensions: ['AGENCY'], from: '2026-01', to: '2026-12' });
    let shown = 0;
    let hidden = 0;
    let repeat = 0;
    const check = (row: any, key: string) => {
      for (const [m, rawN] of [
        ['CITIZENS_SERVED', rawServed],
        ['CITIZENS_RATING', rawRaters],
      ] as const) {
        const c = cell(row, m);
        const n = rawN.get(key) ?? 0;
        if (n > 0 && n < K) expect(c.suppressed).toBe(true);
        if (c.suppressed) {
          hidden++;
          expect(c.value).toBeNull();
        } else {
          shown++;
          expect(c.value).toBe(n);
        }
      }
    };
    for (const row of byMonth.rows) {
      check(row, `${row.agency.id}|${row.month}`);
      // Citizens who came back within the month count once: fewer citizens than tickets.
      if (!cell(row, 'CITIZENS_SERVED').suppressed && cell(row, 'CITIZENS_SERVED').value < cell(row, 'TICKETS_OPENED').value) repeat++;
    }
    for (const row of byYear.rows) check(row, `${row.agency.id}|year`);
    for (const key of rawServed.keys()) if (!key.endsWith('|year')) expect(byMonth.rows.some((r) => `${r.agency.id}|${r.month}` === key)).toBe(true);
    expect(shown).toBeGreaterThan(20);
    expect(hidden).toBeGreaterThan(0);
    expect(repeat).toBeGreaterThan(0);
    // A single month without a time dimension is that month's cell of the breakdown by month.
    const march = await ok({ measures: ['CITIZENS_SERVED'], dimensions: ['AGENCY'], from: '2026-03', to: '2026-03' });
    for (const row of march.rows) {
      const same = byMonth.rows.find((r) => r.agency.id === row.agency.id && r.month === '2026-03');
      expect(cell(row, 'CITIZENS_SERVED')).toMatchObject({ value: cell(same, 'CITIZENS_SERVED').value, suppressed: cell(same, 'CITIZENS_SERVED').suppressed });
    }
  });

  it('defends distinct counts against subtraction from a total (a union is not a sum)', async () => {
    // Lines of services within each agency, and of kecamatan; the totals are the same questions without that dimension.
    for (const [dims, lineOf] of [
      [['AGENCY', 'SERVICE'], (r: any) => r.agency.id],
      [['KECAMATAN'], () => 'all'],
    ] as const) {
      const cells = await ok({ measures: ['CITIZENS_SERVED'], dimensions: [...dims], from: '2026-03', to: '2026-03' });
      const totals = await ok({ measures: ['CITIZENS_SERVED'], dimensions: dims.length > 1 ? ['AGENCY'] : [], from: '2026-03', to: '2026-03' });
      const lines = new Map<string, any[]>();
      for (const r of cells.rows) lines.set(lineOf(r), [...(lines.get(lineOf(r)) ?? []), r]);
      let tested = 0;
      for (const [key, rows] of lines) {
        const hiddenRows = rows.filter((r) => cell(r, 'CITIZENS_SERVED').suppressed);
        // No lone hidden cell, unless it is the line's only one (an agency with one service: its total is hidden too).
        if (rows.length > 1) expect(hiddenRows.length).not.toBe(1);
        const totalRow = totals.rows.find((r) => dims.length === 1 || r.agency.id === key);
        const total = totalRow ? cell(totalRow, 'CITIZENS_SERVED').value : null;
        if (!hiddenRows.length || total === null) continue;
        tested++;
        const visible = rows.filter((r) => !cell(r, 'CITIZENS_SERVED').suppressed).reduce((a, r) => a + cell(r, 'CITIZENS_SERVED').value, 0);
        // The attack: total − visible cells. At most 0 (bounds nothing) or at least k citizens.
        const diff = total - visible;
        expect(diff <= 0 || diff >= K).toBe(true);
      }
      expect(tested).toBeGreaterThan(0);
    }
  });

  it('refuses the differencing questions distinct counts are open to: runs of months, filters, position classes', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ measures: ['CITIZENS_SERVED'], dimensions: ['AGENCY'], from: '2026-01', to: '2026-11' }, 'to'],
      [{ measures: ['CITIZENS_SERVED'], dimensions: ['MONTH'], from: '2026-01', to: '2026-11', filter: { kecamatan: 11 } }, 'filter.kecamatan'],
      [{ measures: ['CITIZENS_RATING', 'RATINGS'], dimensions: ['POSITION_CLASS'], from: '2026-01', to: '2026-12' }, 'dimensions'],
    ];
    for (const [q, field] of cases) {
      const res = await ask(q);
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });

  it('compares with the previous period', async () => {
    const a = await ok({ measures: ['TICKETS_OPENED'], dimensions: ['AGENCY'], from: '2026-07', to: '2026-09', compare: 'PREVIOUS_PERIOD', filter: {} });
    const b = await ok({ measures: ['TICKETS_OPENED'], dimensions: ['AGENCY'], from: '2026-04', to: '2026-06' });
    const row = a.rows.find((r) => r.agency.id === 'dinkesdalduk');
    const prev = b.rows.find((r) => r.agency.id === 'dinkesdalduk');
    expect(cell(row, 'TICKETS_OPENED').previous).toBe(cell(prev, 'TICKETS_OPENED').value);
    expect(cell(row, 'TICKETS_OPENED').change).toBe(cell(row, 'TICKETS_OPENED').value - cell(prev, 'TICKETS_OPENED').value);
  });

  it('sorts and limits', async () => {
    const a = await ok({ measures: ['TICKETS_OPENED'], dimensions: ['SERVICE'], from: '2026-01', to: '2026-06', sort: [{ measure: 'TICKETS_OPENED', descending: true }], limit: 3 });
    expect(a.rows).toHaveLength(3);
    expect(a.rows[0].service.id).toBe('dinkesdalduk.antrean-puskesmas');
    const v = a.rows.map((r) => cell(r, 'TICKETS_OPENED').value);
    expect([...v].sort((x, y) => y - x)).toEqual(v);
  });

  it('computes the IKM as the ratings subgraph defines it', async () => {
    const a = await ok({ measures: ['IKM', 'IKM_U3'], dimensions: ['AGENCY'], from: '2026-01', to: '2026-12', filter: { agencyId: undefined } });
    const row = a.rows.find((r) => r.agency.id === 'dinkesdalduk');
    const { rows } = await fx.db.query(
      `select count(*)::int n, sum(skm[1]+skm[2]+skm[3]+skm[4]+skm[5]+skm[6]+skm[7]+skm[8]+skm[9])::int s, sum(skm[3])::int s3
       from "${fx.ledgerSchema}".rating where status = 'VALID' and skm is not null and agency_id = 'dinkesdalduk' and period like '2026-%'`,
    );
    const { n, s, s3 } = rows[0];
    expect(cell(row, 'IKM').value).toBe(Math.floor((25 * s * 200 + 9 * n) / (2 * 9 * n)) / 100);
    expect(cell(row, 'IKM_U3').value).toBe(Math.floor((25 * s3 * 200 + n) / (2 * n)) / 100);
  });

  it('refuses what is not a question, with BAD_USER_INPUT and the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ measures: [], from: '2026-01', to: '2026-02' }, 'measures'],
      [{ measures: ['TICKETS_OPENED'], from: '2026-13', to: '2026-02' }, 'from'],
      [{ measures: ['TICKETS_OPENED'], from: '2026-03', to: '2026-02' }, 'from'],
      [{ measures: ['TICKETS_OPENED'], dimensions: ['MONTH', 'DAY'], from: '2026-01', to: '2026-02' }, 'dimensions'],
      [{ measures: ['TICKETS_OPENED'], dimensions: ['KECAMATAN'], from: '2026-01', to: '2026-02', filter: { kecamatan: 3 } }, 'filter.kecamatan'],
      [{ measures: ['APPEALS'], dimensions: ['SERVICE'], from: '2026-01', to: '2026-02' }, 'measures'],
      [{ measures: ['TICKETS_OPENED'], from: '2026-01', to: '2026-02', limit: 0 }, 'limit'],
      [{ measures: ['TICKETS_OPENED'], from: '2026-01', to: '2026-02', sort: [{ measure: 'RATINGS' }] }, 'sort'],
    ];
    for (const [q, field] of cases) {
      const res = await ask(q);
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });

  it('is for analysts and administrators only', async () => {
    const q = { measures: ['TICKETS_OPENED'], from: '2026-01', to: '2026-02' };
    for (const caller of [{ roles: [] }, { sub: 'usr-warga-siti', roles: ['citizen'], nik: '3503115708900001' }, { sub: 'usr-hr-bkpsdm', roles: ['hr', 'officer'] }]) {
      const res = await ask(q, caller);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const admin = await ask(q, { sub: 'usr-admin', roles: ['admin'] });
    expect(admin.body.errors).toBeUndefined();
  });

  it('records every question in the access log: who, what, when, which cells were suppressed', async () => {
    await ok({ measures: ['TICKETS_OPENED'], dimensions: ['KECAMATAN'], from: '2026-03', to: '2026-03', filter: { serviceId: 'dpmptsp.izin-reklame' } });
    await fx.accessLog.flush();
    const { entries } = await fx.accessLog.query({ subject: 'usr-analis', limit: 100 });
    const e = entries.find((x) => x.recordRefs.some((r) => r.includes('izin-reklame') && r.includes('"dimensions":["KECAMATAN"]')));
    expect(e).toBeDefined();
    expect(e!.source).toBe('insights');
    expect(e!.purpose).toBe('analyst');
    expect(e!.fields).toEqual(['Insights.TICKETS_OPENED']);
    expect(e!.subject).toBe('usr-analis');
    expect(e!.at.getTime()).toBeGreaterThanOrEqual(HISTORY.now.getTime());
    expect(e!.recordRefs.filter((r) => r.startsWith('suppressed:')).length).toBeGreaterThan(0);
    expect(e!.recordRefs.find((r) => r.startsWith('suppressed-cells:'))).toMatch(/^suppressed-cells:[1-9]/);
  });

  it('measures have definitions and their k', async () => {
    const a = await ok({ measures: [...MEASURE_NAMES.filter((m) => m !== 'APPEALS')], from: '2026-01', to: '2026-12' });
    expect(a.measures.map((m) => m.measure)).toEqual(MEASURE_NAMES.filter((m) => m !== 'APPEALS'));
    for (const m of a.measures) {
      expect(m.definition).toBe(measureDef(m.measure).definition);
      // Officer-level measures are judged by their officers (INSIGHTS_MIN_OFFICERS, 3), the rest by k records.
      expect(m.minimumCellSize).toBe(m.measure.startsWith('OFFICERS') ? 3 : 10);
    }
  });
});

describe('budgets', () => {
  it('prices questions by estimated rows, shows what is left, and refuses over budget with INSIGHTS_BUDGET_EXCEEDED', async () => {
    const { InsightsService } = await import('../src/cube/insights.service');
    const question = { measures: ['TICKETS_OPENED' as const], dimensions: ['AGENCY' as const], from: '2026-01', to: '2026-03', filter: {}, sort: [], limit: 100, compare: null };
    const price = await fx.server.insights.engine.estimate(fx.db, question);
    expect(price).toBeGreaterThan(100);
    const budget = Math.floor(price * 2.5);
    const service = new InsightsService({
      analytics: fx.db,
      primary: fx.db,
      auditSchema: fx.auditSchema,
      ledgerSchema: fx.ledgerSchema,
      insightsSchema: fx.insightsSchema,
      policy: { ...fx.config.policy, dailyBudget: budget },
      now: () => HISTORY.now,
    });
    const caller = { sub: 'usr-analis-budget', roles: ['analyst' as const] };
    const first = await service.ask(caller, 'req-1', question, 'analyst');
    expect(first.cost).toBeGreaterThan(0);
    expect(first.cost).toBe(price);
    expect(first.budgetRemaining).toBe(budget - first.cost);
    expect((await service.budget(caller.sub)).used).toBe(first.cost);
    let refused: any;
    await service.ask(caller, 'req-2', question, 'analyst');
    await service.ask(caller, 'req-3', question, 'analyst').catch((err: unknown) => (refused = err));
    expect(refused?.extensions).toMatchObject({ code: 'INSIGHTS_BUDGET_EXCEEDED', limit: budget, cost: price });
    const state = await service.budget(caller.sub);
    expect(state.remaining).toBeLessThan(first.cost);
    expect(state.resetsAt.toISOString()).toBe('2026-11-25T17:00:00.000Z');
    // Through GraphQL: insightsBudget.
    await ok({ measures: ['TICKETS_OPENED'], from: '2026-01', to: '2026-01' });
    const res = await callSubgraph(fx.url, '{ insightsBudget { limit used remaining questions resetsAt } }', { audience: 'insights', caller: ANALYST });
    expect(res.body.data.insightsBudget).toMatchObject({ limit: 50_000_000, resetsAt: '2026-11-25T17:00:00.000Z' });
    expect(res.body.data.insightsBudget.used).toBeGreaterThan(0);
  });
});

/** Every statement this process sends to PostgreSQL while `run` runs (pg's Client.query: the pools', the access log writer's), whitespace folded. */
async function statementsDuring(run: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    sent.push(typeof first === 'string' ? first : ((first as { text?: string } | null)?.text ?? '(no text)'));
    return original.apply(this, args);
  };
  try {
    await run();
    await fx.accessLog.flush();
  } finally {
    proto.query = original;
  }
  return sent.map((text) => text.replace(/\s+/g, ' ').trim());
}

describe('one statement charges and records', () => {
  const question = { measures: ['TICKETS_OPENED' as const], dimensions: ['AGENCY' as const], from: '2026-01', to: '2026-03', filter: {}, sort: [], limit: 100, compare: null };
  const service = async (options: { dailyBudget?: number; analytics?: pg.Pool; auditSchema?: string } = {}) => {
    const { InsightsService } = await import('../src/cube/insights.service');
    const s = new InsightsService({
      analytics: options.analytics ?? fx.db,
      primary: fx.db,
      auditSchema: options.auditSchema ?? fx.auditSchema,
      ledgerSchema: fx.ledgerSchema,
      insightsSchema: fx.insightsSchema,
      policy: { ...fx.config.policy, dailyBudget: options.dailyBudget ?? fx.config.policy.dailyBudget },
      now: () => HISTORY.now,
    });
    // The rollups' statistics, read once a minute: priced from memory afterwards, as in the benchmark's warm runs.
    await s.engine.estimate(fx.db, question);
    return s;
  };
  const recorded = async (requestId: string) =>
    (await fx.db.query<{ n: number }>(`select count(*)::int n from "${fx.auditSchema}".access_log where request_id = $1 and source = 'insights'`, [requestId])).rows[0]!.n;
  const writes = (sent: string[]) => sent.filter((s) => /budget_use|access_log/.test(s) && !s.startsWith('select cost, questions'));
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (err: unknown) => (err as { extensions?: Record<string, unknown> }).extensions ?? { code: String(err) },
    );

  it('answers a question in two statements: its fetch, then the charge and the access record together', async () => {
    const s = await service();
    const caller = { sub: 'usr-analis-statements', roles: ['analyst' as const] };
    const fetches = s.engine.plan(question).fetches.length;
    expect(fetches).toBe(1);
    let cost = 0;
    const sent = await statementsDuring(async () => {
      ({ cost } = await s.ask(caller, 'req-statements-1', question, 'analyst'));
    });
    // Before: 3 (the charge, the fetch, the access log's insert); the two writes one after the other, around the fetch.
    expect(sent).toHaveLength(fetches + 1);
    expect(writes(sent)).toHaveLength(1);
    expect(writes(sent)[0]).toMatch(/budget_use.*access_log/);
    expect(sent.at(-1)).toBe(writes(sent)[0]);
    expect(await recorded('req-statements-1')).toBe(1);
    expect((await s.budget(caller.sub)).used).toBe(cost);
  });

  it('refuses over budget with neither a charge nor a record, before any scan once the budget is known to be spent', async () => {
    const price = await fx.server.insights.engine.estimate(fx.db, question);
    const budget = Math.floor(price * 1.5);
    const caller = { sub: 'usr-analis-spent', roles: ['analyst' as const] };
    const first = await service({ dailyBudget: budget });
    await first.ask(caller, 'req-spent-1', question, 'analyst');
    // This process charged the first: the second is refused from what it knows, checked with one read, nothing scanned.
    let refused: Record<string, unknown> | null = null;
    const sent = await statementsDuring(async () => {
      refused = await refusal(first.ask(caller, 'req-spent-2', question, 'analyst'));
    });
    expect(refused).toMatchObject({ code: 'INSIGHTS_BUDGET_EXCEEDED', cost: price, remaining: budget - price, limit: budget });
    expect(sent).toEqual([expect.stringMatching(/^select cost, questions from .*budget_use/)]);
    // Another process (it has not seen the charge) scans, and its charge is refused: nothing recorded.
    const other = await service({ dailyBudget: budget });
    const sentOther = await statementsDuring(async () => {
      refused = await refusal(other.ask(caller, 'req-spent-3', question, 'analyst'));
    });
    expect(refused).toMatchObject({ code: 'INSIGHTS_BUDGET_EXCEEDED', cost: price, remaining: budget - price });
    expect(writes(sentOther)).toHaveLength(1);
    expect(await recorded('req-spent-1')).toBe(1);
    expect(await recorded('req-spent-2')).toBe(0);
    expect(await recorded('req-spent-3')).toBe(0);
    expect(await first.budget(caller.sub)).toMatchObject({ used: price, questions: 1 });
  });

  it('charges a question whose answer fails and records nothing; a record that cannot be written charges nothing', async () => {
    const down = new pg.Pool({ connectionString: 'postgresql://nobody@127.0.0.1:1/none', connectionTimeoutMillis: 2000 });
    try {
      const s = await service({ analytics: down });
      const caller = { sub: 'usr-analis-failed', roles: ['analyst' as const] };
      const price = await s.engine.estimate(fx.db, question);
      expect(await refusal(s.ask(caller, 'req-failed-1', question, 'analyst'))).not.toBeNull();
      expect(await recorded('req-failed-1')).toBe(0);
      expect(await s.budget(caller.sub)).toMatchObject({ used: price, questions: 1 });
    } finally {
      await down.end();
    }
    const s = await service({ auditSchema: 'no_such_audit_schema' });
    const caller = { sub: 'usr-analis-unrecorded', roles: ['analyst' as const] };
    expect(await refusal(s.ask(caller, 'req-unrecorded-1', question, 'analyst'))).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(await s.budget(caller.sub)).toMatchObject({ used: 0, questions: 0 });
  });
});

describe('export', () => {
  it('gives the same answer as CSV with Satu Data metadata, suppressed cells empty and marked', async () => {
    const q = { measures: ['TICKETS_OPENED', 'AVERAGE_STARS'], dimensions: ['KECAMATAN'], from: '2026-03', to: '2026-03', filter: { serviceId: 'dpmptsp.izin-reklame' } };
    const answer = await ok(q);
    const res = await callSubgraph(
      fx.url,
      `query Export($q: InsightQuestionInput!) { insightsExport(question: $q) { filename mediaType content cost
        metadata { title producer period issued definitions { column definition unit } suppressionRule licence } } }`,
      { audience: 'insights', caller: ANALYST, variables: { q } },
    );
    expect(res.body.errors).toBeUndefined();
    const e = res.body.data.insightsExport;
    expect(e.mediaType).toMatch(/^text\/csv/);
    const lines = e.content.trimEnd().split('\r\n');
    expect(lines[0]).toBe('kecamatan_code,kecamatan,tickets_opened,tickets_opened_suppressed,average_stars,average_stars_suppressed');
    expect(lines).toHaveLength(answer.rows.length + 1);
    for (const [i, row] of answer.rows.entries()) {
      const cols = lines[i + 1]!.split(',');
      const c = cell(row, 'TICKETS_OPENED');
      expect(cols[2]).toBe(c.suppressed ? '' : String(c.value));
      expect(cols[3]).toBe(String(c.suppressed));
    }
    expect(e.metadata).toMatchObject({ period: '2026-03/2026-03', licence: expect.stringContaining('CC BY 4.0'), producer: expect.stringContaining('Trenggalek') });
    expect(e.metadata.suppressionRule).toContain('opened 10');
    expect(e.metadata.definitions.find((d: any) => d.column === 'average_stars').definition).toBe(measureDef('AVERAGE_STARS').definition);
    expect(e.content).not.toMatch(/\b\d{16}\b|[0-9a-f]{64}/);
  });
});

describe('rollups', () => {
  /** Every rollup's rows, in a stable order. */
  const snapshot = async () => {
    const out: Record<string, unknown[]> = {};
    for (const c of CUBOIDS) {
      for (const t of [`ticket_${c.suffix}`, `rating_${c.suffix}`]) {
        out[t] = (await fx.db.query(`select * from "${fx.insightsSchema}".${t} order by 1, 2, 3, 4, 5, 6`)).rows.map((r) => JSON.stringify(r));
        (out[t] as string[]).sort();
      }
    }
    return out;
  };

  it('are kept up to date incrementally from the ledger, and end up exactly as a full rebuild makes them', async () => {
    const L = `"${fx.ledgerSchema}"`;
    await fx.server.refreshNow('full');
    // New tickets (one with the feed's kecamatan and channel), a completion, a rejection, a moved
    // kecamatan, a new rating and a moderation decision.
    await fx.db.query(
      `insert into ${L}.ticket (id, agency_id, citizen_ref, service_id, officer_id, status, submitted_at, completed_at, completed_period, version, updated_at, kecamatan, channel)
       values ('dinsos:TEST-INCR-1', 'dinsos', 'test-ref', 'dinsos.usulan-bansos', '198602142011012005', 'COMPLETED', '2026-11-03T02:00:00Z', '2026-11-05T02:00:00Z', '2026-11', 1, now(), 7, 'APP'),
              ('dinsos:TEST-INCR-2', 'dinsos', 'test-ref-2', 'dinsos.usulan-bansos', null, 'SUBMITTED', '2026-11-10T02:00:00Z', null, null, 1, now(), null, null)`,
    );
    await fx.db.query(
      `insert into ${L}.rating (id, ticket_id, citizen_ref, request_hash, agency_id, service_id, officer_id, stars, period, completed_at, created_at)
       values ('rt-test-incr-1', 'dinsos:TEST-INCR-1', 'test-ref', 'test', 'dinsos', 'dinsos.usulan-bansos', '198602142011012005', 2, '2026-11', '2026-11-05T02:00:00Z', now())`,
    );
    const open = (await fx.db.query(`select id from ${L}.ticket where status in ('SUBMITTED', 'IN_PROGRESS') and id not like '%TEST-INCR%' order by id limit 2`)).rows.map((r) => r.id);
    await fx.db.query(
      `update ${L}.ticket set status = 'COMPLETED', completed_at = submitted_at + interval '3 days', completed_period = to_char((submitted_at + interval '3 days') at time zone 'Asia/Jakarta', 'YYYY-MM'), version = version + 1, updated_at = now(), change_seq = nextval('${L}.ticket_change_seq') where id = $1`,
      [open[0]],
    );
    await fx.db.query(`update ${L}.ticket set status = 'REJECTED', version = version + 1, updated_at = now(), change_seq = nextval('${L}.ticket_change_seq') where id = $1`, [open[1]]);
    const rated = (await fx.db.query(`select ticket_id from ${L}.rating where status = 'VALID' order by id limit 1`)).rows[0].ticket_id;
    await fx.db.query(`update ${L}.ticket set kecamatan = 3, channel = 'COUNTER', version = version + 1, change_seq = nextval('${L}.ticket_change_seq') where id = $1`, [rated]);
    await fx.db.query(`update ${L}.rating set status = 'REJECTED' where id = (select id from ${L}.rating where status = 'VALID' and id not like 'rt-test%' order by id desc limit 1)`);

    const r = await fx.server.refreshNow('auto');
    expect(r.full).toBe(false);
    // 2 new + 2 changed status + 1 moved; ratings: 1 new, 1 rejected, 1 of the moved ticket.
    expect(r.changedTickets).toBe(5);
    expect(r.changedRatings).toBe(3);
    const incremental = await snapshot();
    // Within the window read again, nothing changed any more: nothing is written.
    const again = await fx.server.refreshNow('auto');
    expect([again.changedTickets, again.changedRatings]).toEqual([0, 0]);
    await fx.server.refreshNow('full');
    const rebuilt = await snapshot();
    for (const t of Object.keys(rebuilt)) expect(incremental[t], t).toEqual(rebuilt[t]);
    // And the rollups agree with the ledger.
    const check = await fx.db.query(
      `select (select coalesce(sum(opened), 0) from "${fx.insightsSchema}".ticket_month)::int as opened, (select count(*) from ${L}.ticket)::int as tickets,
              (select coalesce(sum(ratings + flags), 0) from "${fx.insightsSchema}".rating_month_a)::int as rated, (select count(*) from ${L}.rating)::int as ratings,
              (select coalesce(sum(opened), 0) from "${fx.insightsSchema}".ticket_day_a where period >= '2026-11-01')::int as nov,
              (select count(*) from ${L}.ticket where submitted_at >= '2026-10-31T17:00:00Z')::int as raw_nov,
              (select coalesce(sum(opened), 0) from "${fx.insightsSchema}".ticket_month_s where kecamatan = 7 and channel = 'APP' and agency_id = 'dinsos' and period = '2026-11-01')::int as feed_cell`,
    );
    expect(check.rows[0].opened).toBe(check.rows[0].tickets);
    expect(check.rows[0].rated).toBe(check.rows[0].ratings);
    expect(check.rows[0].nov).toBe(check.rows[0].raw_nov);
    expect(check.rows[0].feed_cell).toBeGreaterThanOrEqual(1);
  });
});
