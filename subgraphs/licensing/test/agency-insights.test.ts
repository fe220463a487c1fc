import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, encodeAgencyQuestion, MemoryAccessLog, verifierFromSecret, type AgencyQuestion, type Caller } from '@gerbang/common';
import { subgraphCaller, TEST_INTERNAL_SECRET } from '@gerbang/testing';
import { BUSINESSES, createOssSimulator, LICENCES } from '@gerbang/sim-oss';
import { createPermitSoapSimulator, type PermitSoapSimulator } from '@gerbang/sim-permit-soap';
import { createLicensingServer, OssClient, PermitSoapClient } from '../src/server';
import { kbliSection } from '../src/modules/insights';

/**
 * The licensing subgraph's contribution to the analysts' agency questions (PERMITS_ISSUED on the
 * `AgencyInsight` entity), over the wire against the OSS RBA simulator: one statistics call per
 * question, whatever the number of representations or cells; SIMPERDA is never asked.
 */
const callSubgraph = subgraphCaller('licensing');
const ANALIS: Caller = { sub: 'usr-analis', roles: ['analyst'] };
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on AgencyInsight { permitsIssued { rows { month kecamatan kecamatanName sector sectorName value suppressed } suppressedCells minimumCellSize } } } }`;
const question = (q: Partial<AgencyQuestion> = {}) => encodeAgencyQuestion({ measures: ['PERMITS_ISSUED'], dimensions: ['SECTOR'], from: '2021-01', to: '2024-12', k: { PERMITS_ISSUED: 3 }, ...q });
const reps = (...questions: string[]) => questions.map((q) => ({ __typename: 'AgencyInsight', question: q }));

let oss: ReturnType<typeof createOssSimulator>;
let permits: PermitSoapSimulator;
let ossClient: OssClient;
let url: string;
let close: () => Promise<void>;
const accessLog = new MemoryAccessLog();

beforeAll(async () => {
  oss = createOssSimulator({ userKey: 'oss-key-for-insights-0001' });
  permits = createPermitSoapSimulator({ username: 'hub', password: 'permit-password-for-tests' });
  await oss.listen(0);
  await permits.listen(0);
  ossClient = new OssClient({ baseUrl: oss.url(), userKey: 'oss-key-for-insights-0001', timeoutMs: 1_000, retries: 0, breaker: { volumeThreshold: 100, resetTimeoutMs: 100 } });
  const app = await createLicensingServer({
    registries: { oss: ossClient, permits: new PermitSoapClient({ endpoint: permits.endpoint(), username: 'hub', password: 'permit-password-for-tests', timeoutMs: 2_000 }) },
    logger: createLogger('licensing', 'silent'),
    verifier: verifierFromSecret(TEST_INTERNAL_SECRET),
    insights: { statistics: ossClient, accessLog },
  });
  const running = await app.listen(0);
  url = running.url;
  close = () => running.close();
});
afterAll(async () => {
  await close();
  await oss.close();
  await permits.close();
});
beforeEach(() => {
  oss.faults.reset();
  oss.stats.reset();
  permits.stats.reset();
});

describe('licensing: PERMITS_ISSUED for agency questions', () => {
  it('counts licences issued by KBLI sector as OSS holds them, in one statistics call for many representations', async () => {
    const q = question();
    const { body } = await callSubgraph(url, ENTITIES, { caller: ANALIS, variables: { r: reps(q, q, q, q) } });
    expect(body.errors).toBeUndefined();
    expect(oss.stats.calls('rekapIzinTerbit')).toBe(1);
    expect(oss.stats.calls()).toBe(1);
    expect(permits.stats.calls()).toBe(0);
    const expected = new Map<string, number>();
    for (const b of BUSINESSES)
      for (const l of LICENCES[b.nib] ?? []) {
        if (!l.tanggal_terbit || l.tanggal_terbit > '2024-12-31' || l.tanggal_terbit < '2021-01-01' || !['TERBIT', 'KEDALUWARSA'].includes(l.status_izin)) continue;
        const s = kbliSection(l.kbli ?? b.data_kbli[0]!.kbli);
        expected.set(s, (expected.get(s) ?? 0) + 1);
      }
    const { rows, minimumCellSize } = body.data._entities[0].permitsIssued;
    expect(minimumCellSize).toBe(3);
    expect(rows).toHaveLength(expected.size);
    let shown = 0;
    for (const r of rows) {
      if (expected.get(r.sector)! < 3) expect(r).toMatchObject({ value: null, suppressed: true });
      if (!r.suppressed) {
        expect(r.value).toBe(expected.get(r.sector));
        shown++;
      }
    }
    expect(shown).toBeGreaterThan(0);
    expect(rows.find((r: { sector: string }) => r.sector === 'C')).toMatchObject({ sectorName: 'Industri Pengolahan' });
  });

  it('splits by month and kecamatan from the same single call, and records the suppressed cells', async () => {
    accessLog.entries.length = 0;
    const { body } = await callSubgraph(url, ENTITIES, { caller: ANALIS, variables: { r: reps(question({ dimensions: ['KECAMATAN', 'MONTH'] })) } });
    expect(body.errors).toBeUndefined();
    expect(oss.stats.calls()).toBe(1);
    const { rows, suppressedCells } = body.data._entities[0].permitsIssued;
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.every((r: { kecamatanName: string; month: string }) => r.kecamatanName !== 'Tidak diketahui' && /^\d{4}-\d{2}$/.test(r.month))).toBe(true);
    expect(accessLog.entries).toHaveLength(1);
    expect(accessLog.entries[0]!.recordRefs).toContain(`suppressed-cells:${suppressedCells}`);
  });

  it('turns an OSS outage into UPSTREAM_UNAVAILABLE on the field only', async () => {
    oss.faults.set({ down: true });
    const { body } = await callSubgraph(url, ENTITIES, { caller: ANALIS, variables: { r: reps(question({ to: '2023-12' })) } });
    expect(body.data._entities[0].permitsIssued).toBeNull();
    expect(body.errors?.[0]).toMatchObject({ path: ['_entities', 0, 'permitsIssued'], extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
  });

  it('OSS refuses a recap without dates', async () => {
    const res = await fetch(`${oss.url()}/api/v1/rekapIzinTerbit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', user_key: 'oss-key-for-insights-0001' },
      body: '{"tanggal_awal":"2024-01-01"}',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status: false, message: expect.stringContaining('tanggal_akhir') });
  });
});
