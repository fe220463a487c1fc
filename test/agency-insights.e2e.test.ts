import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { testDatabaseUrl } from '@gerbang/testing';
import { BUSINESSES, LICENCES } from '@gerbang/sim-oss';
import { PUSKESMAS, type ClinicQueueSimulator } from '@gerbang/sim-clinic-queue';
import { kecamatanCodeOf, percent2 } from '@gerbang/common';
import { kbliSection } from '../subgraphs/licensing/src/modules/insights';
import { startStack, type Stack } from './support/stack';

/**
 * Issue 14, item 2's federated part, through the gateway as `analis`: measures the agency
 * subgraphs contribute to an `AgencyInsight` (the insights subgraph's entity keyed by the
 * question), each computed from one aggregate call to its own agency system, with small cells
 * suppressed where the figures are, and an agency system that fails nulling only its own measure.
 */
let stack: Stack;
let db: pg.Pool;
const startedAt = new Date();
/** Bookings this test put in the queue system, per Puskesmas and visit month (2026-01…2026-09). */
const booked = new Map<string, number>();

beforeAll(async () => {
  stack = await startStack();
  db = new pg.Pool({ connectionString: testDatabaseUrl(), max: 1 });
  const clinics = stack.simulators.clinics as ClinicQueueSimulator;
  let n = 0;
  for (const [i, p] of PUSKESMAS.entries()) {
    for (let m = 1; m <= 9; m++) {
      // 1–24 bookings a month: many cells, some of them small.
      const count = ((i * 7 + m * 5) % 24) + 1;
      const month = `2026-0${m}`;
      booked.set(`${p.kode}|${month}`, count);
      for (let j = 0; j < count; j++) {
        n++;
        clinics.store.insert({
          nik: `350311${String(100000 + (n % 800000)).padStart(6, '0')}0001`.slice(0, 16),
          nomorkartu: null,
          kodepuskesmas: p.kode,
          kodepoli: 'UMUM',
          tanggalperiksa: `${month}-${String((j % 28) + 1).padStart(2, '0')}`,
          clientRef: null,
          waktudaftar: new Date(`${month}-01T00:00:00Z`),
        });
      }
    }
  }
}, 240_000);
afterAll(async () => {
  await db.end();
  await stack.close();
});

const ASK = `query AgencyMeasures($q: AgencyInsightQuestionInput!) {
  agencyInsights(question: $q) {
    question cost budgetRemaining
    measures { measure field subgraph unit minimumCellSize dimensions }
    permitsIssued { rows { month kecamatan kecamatanName sector sectorName value suppressed } suppressedCells minimumCellSize }
    pbbCollectionRate { rows { month kecamatan kecamatanName value suppressed } suppressedCells minimumCellSize }
    clinicBookings { rows { month kecamatan puskesmas puskesmasName value suppressed } suppressedCells minimumCellSize }
  }
}`;

const resetStats = () => {
  for (const s of Object.values(stack.simulators)) s.stats.reset();
  stack.sismiopStats.reset();
};

/** Every line (cells equal in all dimensions but one) that hides a cell hides at least two. */
function expectNoLoneSuppressedCell(rows: Record<string, unknown>[], dims: string[]) {
  for (const d of dims) {
    const lines = new Map<string, number>();
    for (const r of rows) {
      if (!r.suppressed) continue;
      const line = JSON.stringify(dims.filter((x) => x !== d).map((x) => r[x]));
      lines.set(line, (lines.get(line) ?? 0) + 1);
    }
    for (const count of lines.values()) expect(count).toBeGreaterThanOrEqual(2);
  }
}

describe('agency measures through federation', () => {
  it('answers all three measures for a question with many cells in exactly one call per agency system', async () => {
    resetStats();
    const res = await stack.graphql(ASK, {
      login: 'analis',
      variables: { q: { measures: ['PERMITS_ISSUED', 'PBB_COLLECTION_RATE', 'CLINIC_BOOKINGS'], dimensions: ['KECAMATAN', 'MONTH'], from: '2022-01', to: '2026-09' } },
    });
    expect(res.body.errors).toBeUndefined();
    const a = res.body.data.agencyInsights as Record<'permitsIssued' | 'pbbCollectionRate' | 'clinicBookings', { rows: unknown[] }> & { measures: { subgraph: string }[]; cost: number };
    const cells = a.permitsIssued.rows.length + a.pbbCollectionRate.rows.length + a.clinicBookings.rows.length;
    expect(a.clinicBookings.rows.length).toBeGreaterThan(100);
    expect(a.pbbCollectionRate.rows.length).toBeGreaterThan(100);
    expect(cells).toBeGreaterThan(250);
    // One aggregate call per agency system for the whole question, never one per cell or row.
    expect(stack.simulators.oss.stats.calls('rekapIzinTerbit')).toBe(1);
    expect(stack.simulators.oss.stats.calls()).toBe(1);
    expect(stack.simulators.clinics.stats.calls('GET /antrean/rekap')).toBe(1);
    expect(stack.simulators.clinics.stats.calls()).toBe(1);
    expect(stack.sismiopStats.calls('query')).toBe(1);
    expect(stack.simulators.permits.stats.calls()).toBe(0);
    expect(a.measures.map((m) => m.subgraph)).toEqual(['licensing', 'land-tax', 'health']);
    expect(a.cost).toBe(3 * 57 * 500);
    // Aggregates only: no NIK (16 digits) or NIB (13 digits) anywhere in the answer.
    expect(JSON.stringify(res.body)).not.toMatch(/\d{13}/);
  });

  it('counts bookings per Puskesmas as the queue system holds them, suppressing small cells and their complements', async () => {
    const res = await stack.graphql(ASK, { login: 'analis', variables: { q: { measures: ['CLINIC_BOOKINGS'], dimensions: ['PUSKESMAS', 'MONTH'], from: '2026-01', to: '2026-09' } } });
    expect(res.body.errors).toBeUndefined();
    const { rows, suppressedCells, minimumCellSize } = res.body.data.agencyInsights.clinicBookings;
    expect(minimumCellSize).toBe(10);
    expect(rows).toHaveLength(PUSKESMAS.length * 9);
    let shown = 0;
    for (const r of rows) {
      const expected = booked.get(`${r.puskesmas}|${r.month}`)!;
      if (expected < 10) expect(r).toMatchObject({ value: null, suppressed: true });
      if (!r.suppressed) {
        expect(r.value).toBe(expected);
        shown++;
      } else expect(r.value).toBeNull();
    }
    expect(shown).toBeGreaterThan(50);
    expect(suppressedCells).toBe(rows.filter((r: { suppressed: boolean }) => r.suppressed).length);
    expect(suppressedCells).toBeGreaterThan(rows.filter((r: { puskesmas: string; month: string }) => booked.get(`${r.puskesmas}|${r.month}`)! < 10).length);
    expectNoLoneSuppressedCell(rows, ['puskesmas', 'month']);
    expect(res.body.data.agencyInsights.permitsIssued).toBeNull();
  });

  it('counts permits issued by KBLI sector as OSS holds them, with every sector under k suppressed', async () => {
    const res = await stack.graphql(ASK, { login: 'analis', variables: { q: { measures: ['PERMITS_ISSUED'], dimensions: ['SECTOR'], from: '2021-01', to: '2025-12' } } });
    expect(res.body.errors).toBeUndefined();
    const expected = new Map<string, number>();
    for (const b of BUSINESSES)
      for (const l of LICENCES[b.nib] ?? []) {
        if (!l.tanggal_terbit || l.tanggal_terbit < '2021-01-01' || l.tanggal_terbit > '2025-12-31' || !['TERBIT', 'KEDALUWARSA'].includes(l.status_izin)) continue;
        const sector = kbliSection(l.kbli ?? b.data_kbli[0]!.kbli);
        expected.set(sector, (expected.get(sector) ?? 0) + 1);
      }
    const { rows } = res.body.data.agencyInsights.permitsIssued;
    expect(rows.map((r: { sector: string }) => r.sector).sort()).toEqual([...expected.keys()].sort());
    for (const r of rows) {
      if ((expected.get(r.sector) ?? 0) < 10) expect(r).toMatchObject({ value: null, suppressed: true });
      else if (!r.suppressed) expect(r.value).toBe(expected.get(r.sector));
      expect(r.sectorName).toEqual(expect.any(String));
    }
    expectNoLoneSuppressedCell(rows, ['sector']);
  });

  it('computes the PBB collection rate per kecamatan as SQL over SISMIOP does, where the cell is shown', async () => {
    const year = String(new Date().getUTCFullYear() - 1);
    const res = await stack.graphql(ASK, { login: 'analis', variables: { q: { measures: ['PBB_COLLECTION_RATE'], dimensions: ['KECAMATAN'], from: `${year}-01`, to: `${year}-12` } } });
    expect(res.body.errors).toBeUndefined();
    const s = `"${stack.sismiopSchema}"`;
    const raw = await db.query(
      `select k."NM_KECAMATAN" as name, count(*)::int as objects, sum(sp."PBB_YG_HARUS_DIBAYAR_SPPT")::float8 as assessed,
         coalesce((select sum(p."JML_SPPT_YG_DIBAYAR" - p."DENDA_SPPT") from ${s}."PEMBAYARAN_SPPT" p
            where p."KD_KECAMATAN" = sp."KD_KECAMATAN" and p."THN_PAJAK_SPPT" = $1 and p."TGL_PEMBAYARAN_SPPT" <= ($1 || '-12-31')::date), 0)::float8 as paid
       from ${s}."SPPT" sp join ${s}."REF_KECAMATAN" k on k."KD_KECAMATAN" = sp."KD_KECAMATAN"
      where sp."THN_PAJAK_SPPT" = $1 group by k."NM_KECAMATAN", sp."KD_KECAMATAN"`,
      [year],
    );
    const expected = new Map(raw.rows.map((r) => [kecamatanCodeOf(r.name), r]));
    const { rows } = res.body.data.agencyInsights.pbbCollectionRate;
    expect(rows.length).toBe(expected.size);
    let shown = 0;
    for (const r of rows) {
      const e = expected.get(r.kecamatan)!;
      if (e.objects < 10) expect(r).toMatchObject({ value: null, suppressed: true });
      if (!r.suppressed) {
        expect(r.value).toBe(percent2(e.paid, e.assessed));
        shown++;
      }
    }
    expect(shown).toBeGreaterThan(0);
    expectNoLoneSuppressedCell(rows, ['kecamatan']);
  });

  it('records who asked what, and each agency subgraph the cells it suppressed, in the access log', async () => {
    await stack.accessLog.flush();
    const { entries } = await stack.accessLog.query({ subject: 'usr-analis', from: startedAt, limit: 500 });
    const sources = new Set(entries.map((e) => e.source));
    for (const s of ['insights', 'licensing', 'land-tax', 'health']) expect(sources).toContain(s);
    const health = entries.find((e) => e.source === 'health' && e.recordRefs.some((r) => r.startsWith('suppressed:CLINIC_BOOKINGS@')));
    expect(health).toMatchObject({ fields: ['AgencyInsight.clinicBookings'], purpose: 'analyst' });
    const asked = entries.find((e) => e.source === 'insights' && e.fields.includes('Insights.CLINIC_BOOKINGS'));
    expect(asked!.recordRefs.some((r) => r.startsWith('question-sha256:'))).toBe(true);
  });

  it('refuses anyone but analysts and admins at the gateway, and a question a measure cannot answer with BAD_USER_INPUT', async () => {
    resetStats();
    const q = { measures: ['CLINIC_BOOKINGS'], dimensions: ['PUSKESMAS'], from: '2026-01', to: '2026-09' };
    const citizen = await stack.graphql(ASK, { login: 'warga.siti', variables: { q } });
    expect(citizen.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bad = await stack.graphql(ASK, { login: 'analis', variables: { q: { ...q, dimensions: ['SECTOR'] } } });
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'dimensions' });
    expect(stack.simulators.clinics.stats.calls()).toBe(0);
  });

  it('nulls only the measure of an agency system that fails, with an error on its path', async () => {
    const q = { measures: ['PERMITS_ISSUED', 'PBB_COLLECTION_RATE', 'CLINIC_BOOKINGS'], dimensions: ['KECAMATAN'], from: '2026-01', to: '2026-09' };
    stack.simulators.oss.faults.set({ down: true });
    try {
      const res = await stack.graphql(ASK, { login: 'analis', variables: { q } });
      const a = res.body.data!.agencyInsights;
      expect(a.permitsIssued).toBeNull();
      expect(a.pbbCollectionRate.rows.length).toBeGreaterThan(0);
      expect(a.clinicBookings.rows.length).toBeGreaterThan(0);
      expect(a.measures).toHaveLength(3);
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors![0]).toMatchObject({ path: ['agencyInsights', 'permitsIssued'], extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
    } finally {
      stack.simulators.oss.faults.reset();
    }
    stack.sismiopDown(true);
    try {
      const res = await stack.graphql(ASK, { login: 'analis', variables: { q: { ...q, from: '2025-01', to: '2025-12' } } });
      const a = res.body.data!.agencyInsights;
      expect(a.pbbCollectionRate).toBeNull();
      expect(a.clinicBookings).not.toBeNull();
      expect(res.body.errors!.map((e) => e.path)).toEqual([['agencyInsights', 'pbbCollectionRate']]);
      expect(res.body.errors![0]!.extensions!.code).toBe('UPSTREAM_UNAVAILABLE');
    } finally {
      stack.sismiopDown(false);
    }
  });
});
