import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { tableFromIPC } from 'apache-arrow';
import { testDatabaseUrl } from '@gerbang/testing';
import { BUSINESSES, LICENCES } from '@gerbang/sim-oss';
import { PUSKESMAS, type ClinicQueueSimulator } from '@gerbang/sim-clinic-queue';
import { AGENCY_MEASURE_DEFS, kecamatanCodeOf, percent2 } from '@gerbang/common';
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

/**
 * OSS's demo data holds 31 licences, at most 4 in a month: with k 3 for permits, a question by
 * month has cells both shown and suppressed (the other measures keep the default, 10).
 */
const PERMITS_K = 3;

beforeAll(async () => {
  stack = await startStack({ insightsAgencyK: `10,PERMITS_ISSUED=${PERMITS_K}` });
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
    const { rows, minimumCellSize } = res.body.data.agencyInsights.permitsIssued;
    expect(minimumCellSize).toBe(PERMITS_K);
    expect(rows.map((r: { sector: string }) => r.sector).sort()).toEqual([...expected.keys()].sort());
    expect(rows.some((r: { suppressed: boolean }) => r.suppressed)).toBe(true);
    for (const r of rows) {
      if ((expected.get(r.sector) ?? 0) < PERMITS_K) expect(r).toMatchObject({ value: null, suppressed: true });
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

/**
 * Issue 14, point 6 for the agency measures: `POST /insights/export` runs `agencyInsights` through
 * the gateway's own executor for the caller it verified, and streams the answer as CSV or Arrow
 * with the Satu Data metadata (README § Insights, "Export").
 */
describe('agency measures over POST /insights/export', () => {
  const post = async (login: string | undefined, question: Record<string, unknown>, format: string, headers: Record<string, string> = {}) =>
    fetch(stack.gatewayUrl.replace(/\/graphql$/, '/insights/export'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers, ...(login ? { authorization: `Bearer ${await stack.token(login)}` } : {}) },
      body: JSON.stringify({ question, format }),
    });
  const budget = async () => (await stack.graphql('{ insightsBudget { used questions } }', { login: 'analis' })).body.data.insightsBudget as { used: number; questions: number };
  const byMonth = { measures: ['PERMITS_ISSUED'], dimensions: ['MONTH'], from: '2021-01', to: '2025-12' };

  it('streams PERMITS_ISSUED by month as CSV and Arrow, cell for cell the GraphQL answer, charged and recorded as it is', async () => {
    const answer = await stack.graphql(ASK, { login: 'analis', variables: { q: byMonth } });
    expect(answer.body.errors).toBeUndefined();
    const rows = answer.body.data.agencyInsights.permitsIssued.rows as { month: string; value: number | null; suppressed: boolean }[];
    // Both kinds of cell, or the comparison below proves little.
    expect(rows.some((r) => r.suppressed)).toBe(true);
    expect(rows.some((r) => !r.suppressed)).toBe(true);

    resetStats();
    const before = await budget();
    const csv = await post('analis', byMonth, 'csv', { 'x-request-id': 'agency-export-e2e-csv' });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="gerbang-agency-insights-2021-01-2025-12.csv"');
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('month,permits_issued,permits_issued_suppressed');
    expect(lines.slice(1)).toEqual(rows.map((r) => [r.month, r.value ?? '', r.suppressed].join(',')));
    // A suppressed cell is empty, with its flag.
    expect(lines.slice(1).filter((l) => l.endsWith(',,true'))).toHaveLength(rows.filter((r) => r.suppressed).length);
    expect(Number(csv.headers.get('gerbang-insights-suppressed-cells'))).toBe(answer.body.data.agencyInsights.permitsIssued.suppressedCells);
    // The same price as the GraphQL question, charged to the same analyst; one OSS call.
    expect(Number(csv.headers.get('gerbang-insights-cost'))).toBe(answer.body.data.agencyInsights.cost);
    const after = await budget();
    expect(after.questions).toBe(before.questions + 1);
    expect(after.used - before.used).toBe(answer.body.data.agencyInsights.cost);
    expect(stack.simulators.oss.stats.calls('rekapIzinTerbit')).toBe(1);
    // Recorded by the insights subgraph (the question) and by licensing (its suppressed cells), under the export's request id.
    await stack.accessLog.flush();
    const { entries } = await stack.accessLog.query({ subject: 'usr-analis', from: startedAt, limit: 500 });
    const mine = entries.filter((e) => e.requestId === 'agency-export-e2e-csv');
    expect(mine.map((e) => e.source).sort()).toEqual(['insights', 'licensing']);
    expect(mine.find((e) => e.source === 'licensing')!.recordRefs).toContain(`suppressed-cells:${rows.filter((r) => r.suppressed).length}`);

    const arrow = await post('analis', byMonth, 'arrow');
    expect(arrow.status).toBe(200);
    expect(arrow.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    const table = tableFromIPC(new Uint8Array(await arrow.arrayBuffer()));
    expect(table.schema.fields.map((f) => f.name)).toEqual(['month', 'permits_issued', 'permits_issued_suppressed']);
    expect(table.toArray().map((r) => ({ month: r.month, value: r.permits_issued, suppressed: r.permits_issued_suppressed }))).toEqual(
      rows.map((r) => ({ month: r.month, value: r.value, suppressed: r.suppressed })),
    );
    // The Satu Data metadata: producer the agency, every definition, the suppression rule with k, the licence.
    const meta = table.schema.metadata;
    expect(meta.get('title')).toBe('permits_issued menurut month, 2021-01 s.d. 2025-12');
    expect(meta.get('producer')).toContain('DPMPTSP');
    expect(meta.get('period')).toBe('2021-01/2025-12');
    expect(JSON.parse(meta.get('definitions')!)).toEqual([
      { column: 'month', definition: 'dimension MONTH', unit: '' },
      { column: 'permits_issued', definition: AGENCY_MEASURE_DEFS.PERMITS_ISSUED.definition, unit: 'permits' },
    ]);
    expect(meta.get('suppressionRule')).toContain(`permits_issued ${PERMITS_K} permits`);
    expect(meta.get('licence')).toContain('CC BY 4.0');
    expect(table.schema.fields[1]!.metadata.get('definition')).toBe(AGENCY_MEASURE_DEFS.PERMITS_ISSUED.definition);
  });

  it('joins several measures on their dimensions, each column its own GraphQL answer, with every producer and no NIK or name in the bytes', async () => {
    const q = { measures: ['CLINIC_BOOKINGS', 'PERMITS_ISSUED', 'PBB_COLLECTION_RATE'], dimensions: ['KECAMATAN'], from: '2025-01', to: '2026-09' };
    const answer = await stack.graphql(ASK, { login: 'analis', variables: { q } });
    expect(answer.body.errors).toBeUndefined();
    const a = answer.body.data.agencyInsights;
    const csv = await post('analis', q, 'csv');
    expect(csv.status).toBe(200);
    const text = await csv.text();
    const [header, ...lines] = text.trimEnd().split('\r\n');
    expect(header).toBe('kecamatan_code,kecamatan,permits_issued,permits_issued_suppressed,pbb_collection_rate,pbb_collection_rate_suppressed,clinic_bookings,clinic_bookings_suppressed');
    const byCode = new Map(lines.map((l) => [Number(l.split(',')[0]), l.split(',')]));
    const codes = new Set<number>();
    for (const [field, col] of [
      ['permitsIssued', 2],
      ['pbbCollectionRate', 4],
      ['clinicBookings', 6],
    ] as const) {
      for (const r of a[field].rows as { kecamatan: number; value: number | null; suppressed: boolean }[]) {
        codes.add(r.kecamatan);
        expect(byCode.get(r.kecamatan)!.slice(col, col + 2)).toEqual([String(r.value ?? ''), String(r.suppressed)]);
      }
    }
    // One row per kecamatan any measure has, in code order; a measure without that kecamatan: empty, not suppressed.
    expect(lines.map((l) => Number(l.split(',')[0]))).toEqual([...codes].sort((x, y) => x - y));
    const arrow = await post('analis', q, 'arrow');
    const bytes = Buffer.from(await arrow.arrayBuffer());
    const meta = tableFromIPC(new Uint8Array(bytes)).schema.metadata;
    for (const agency of ['DPMPTSP', 'BPKPD', 'Dinkesdalduk KB']) expect(meta.get('producer')).toContain(agency);
    expect(meta.get('suppressionRule')).toMatch(/permits_issued 3 permits, pbb_collection_rate 10 tax objects \(SPPT\), clinic_bookings 10 bookings/);
    // Aggregates only: no NIK or NIB (13+ digits), no business or owner name.
    for (const bytesText of [text, bytes.toString('latin1')]) {
      expect(bytesText).not.toMatch(/\d{13}/);
      for (const b of BUSINESSES) {
        expect(bytesText).not.toContain(b.nama_perusahaan);
        for (const p of b.penanggung_jawab) expect(bytesText).not.toContain(p.nama_penanggung_jawab);
      }
    }
  });

  it('answers the metadata of a question without charging or recording it', async () => {
    const before = await budget();
    const res = await post('analis', { measures: ['CLINIC_BOOKINGS'], dimensions: ['PUSKESMAS', 'MONTH'], from: '2026-01', to: '2026-09' }, 'metadata');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, any>;
    expect(body.columns.map((c: { name: string }) => c.name)).toEqual(['puskesmas', 'puskesmas_name', 'month', 'clinic_bookings', 'clinic_bookings_suppressed']);
    expect(body.producer).toContain('Dinkesdalduk KB');
    expect(body.definitions.at(-1)).toEqual({ column: 'clinic_bookings', definition: AGENCY_MEASURE_DEFS.CLINIC_BOOKINGS.definition, unit: 'bookings' });
    expect(body.dataAsOf).toBeNull();
    expect(await budget()).toEqual(before);
    const bad = await post('analis', { measures: ['CLINIC_BOOKINGS'], dimensions: ['SECTOR'], from: '2026-01', to: '2026-09' }, 'metadata');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'dimensions' });
  });

  it('refuses callers who are not analysts, mixed and malformed questions, before any agency system is asked', async () => {
    resetStats();
    const q = { measures: ['CLINIC_BOOKINGS'], dimensions: ['PUSKESMAS'], from: '2026-01', to: '2026-09' };
    const anonymous = await post(undefined, q, 'csv');
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    for (const format of ['csv', 'arrow', 'metadata']) {
      const citizen = await post('warga.siti', q, format);
      expect(citizen.status).toBe(403);
      expect(((await citizen.json()) as any).errors[0].extensions.code).toBe('FORBIDDEN');
    }
    const mixed = await post('analis', { ...q, measures: ['CLINIC_BOOKINGS', 'TICKETS_COMPLETED'] }, 'csv');
    expect(mixed.status).toBe(400);
    const mixedError = ((await mixed.json()) as any).errors[0];
    expect(mixedError.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'measures' });
    expect(mixedError.message).toContain('two questions');
    const filtered = await post('analis', { ...q, filter: { channel: 'APP' } }, 'csv');
    expect(filtered.status).toBe(400);
    expect(((await filtered.json()) as any).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter' });
    const unsplit = await post('analis', { ...q, dimensions: ['SECTOR'] }, 'arrow');
    expect(unsplit.status).toBe(400);
    expect(((await unsplit.json()) as any).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'dimensions' });
    expect(stack.simulators.clinics.stats.calls()).toBe(0);
  });

  it('refuses with UPSTREAM_UNAVAILABLE, before any byte of data, when an agency system fails', async () => {
    stack.simulators.oss.faults.set({ down: true });
    try {
      const res = await post('analis', { measures: ['PBB_COLLECTION_RATE', 'PERMITS_ISSUED'], dimensions: ['KECAMATAN'], from: '2026-01', to: '2026-09' }, 'csv');
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const error = ((await res.json()) as any).errors[0];
      expect(error.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', service: 'licensing', measure: 'PERMITS_ISSUED' });
    } finally {
      stack.simulators.oss.faults.reset();
    }
  });
});
