import { existsSync } from 'node:fs';
import * as soap from 'soap';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DPMPTSP_OFFICERS,
  NIK_BUDI,
  NIK_SITI,
  NIP_FAJAR,
  NIP_YUNI,
  PERMIT_SOAP_PATH,
  PERMIT_WSDL_PATH,
  SEED_APPLICATIONS,
  UsernameTokenVerifier,
  createPermitSoapSimulator,
  isPlausibleNik,
  type PermitSoapSimulator,
} from '../src/index.js';

const USERNAME = 'gerbang-hub-test';
const PASSWORD = 'rahasia-Trenggalek-2026';
/** 10:00 WIB; the seed is laid out relative to this instant. */
const NOW = new Date('2026-11-28T03:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

let sim: PermitSoapSimulator;
let client: soap.Client;

// node-soap's client methods are untyped; these are the shapes the WSDL defines.
interface ApplicationResult {
  applicationNumber: string;
  nik: string;
  applicantName: string;
  permitType: string;
  status: string;
  submittedAt: Date;
  completedAt?: Date;
  officerNip?: string;
  notes?: string;
  updatedAt: Date;
}
interface ChangeResult {
  sequence: number;
  changedAt: Date;
  changeType: 'CREATED' | 'STATUS_CHANGED';
  previousStatus?: string;
  application: ApplicationResult;
}
interface SoapFault {
  faultcode: string;
  faultstring: string;
  detail?: { PermitFault?: { code: string; field?: string } };
}

function securedClient(username = USERNAME, password = PASSWORD, passwordType: 'PasswordDigest' | 'PasswordText' = 'PasswordDigest') {
  return soap.createClientAsync(PERMIT_WSDL_PATH, { endpoint: sim.endpoint() }).then((c) => {
    c.setSecurity(new soap.WSSecurity(username, password, { passwordType }));
    return c;
  });
}

async function faultOf(call: Promise<unknown>): Promise<SoapFault> {
  try {
    await call;
  } catch (err) {
    const fault = (err as { root?: { Envelope?: { Body?: { Fault?: SoapFault } } } }).root?.Envelope?.Body?.Fault;
    if (fault) return fault;
    throw err;
  }
  throw new Error('expected a SOAP fault');
}

const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

async function listByNik(nik: string): Promise<ApplicationResult[]> {
  const [result] = await client.ListApplicationsByNikAsync({ nik });
  return asList<ApplicationResult>(result?.application);
}

async function getStatus(applicationNumber: string | string[]) {
  const [result] = await client.GetApplicationStatusAsync({ applicationNumber });
  return { application: asList<ApplicationResult>(result?.application), unknown: asList<string>(result?.unknownApplicationNumber) };
}

async function listChanges(sinceSequence: number, limit?: number) {
  const [result] = await client.ListChangesAsync(limit === undefined ? { sinceSequence } : { sinceSequence, limit });
  return { change: asList<ChangeResult>(result?.change), lastSequence: Number(result.lastSequence), hasMore: Boolean(result.hasMore) };
}

async function admin(path: string, body: unknown) {
  const res = await fetch(`${sim.url()}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

async function rawSoap(bodyXml: string, headers: Record<string, string> = {}) {
  const envelope =
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:p="urn:trenggalekkab:simperda:permit:v1">' +
    '<soap:Header><wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">' +
    `<wsse:UsernameToken><wsse:Username>${USERNAME}</wsse:Username><wsse:Password>${PASSWORD}</wsse:Password></wsse:UsernameToken>` +
    `</wsse:Security></soap:Header><soap:Body>${bodyXml}</soap:Body></soap:Envelope>`;
  const res = await fetch(sim.endpoint(), { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', ...headers }, body: envelope });
  return { status: res.status, text: await res.text(), contentType: res.headers.get('content-type') };
}

beforeAll(async () => {
  sim = createPermitSoapSimulator({ username: USERNAME, password: PASSWORD, now: NOW });
  await sim.listen(0, '127.0.0.1');
  client = await securedClient();
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.faults.reset();
  sim.stats.reset();
  sim.setDatabaseAvailable(true);
});

describe('seed', () => {
  it('is realistic: valid NIKs, DPMPTSP officers, histories in time order', () => {
    expect(SEED_APPLICATIONS.length).toBeGreaterThanOrEqual(23);
    const officers = new Set<string>(DPMPTSP_OFFICERS.map((o) => o.nip));
    for (const s of SEED_APPLICATIONS) {
      expect(isPlausibleNik(s.nik), s.nik).toBe(true);
      if (s.officerNip) expect(officers.has(s.officerNip)).toBe(true);
      const times = [s.submitted, ...s.steps.map((st) => st.at)].map(([days, hhmm]) => -days * 1440 + Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)));
      expect(times, s.description).toEqual([...times].sort((a, b) => a - b));
      expect(s.submitted[0]).toBeGreaterThanOrEqual(1);
    }
    const finals = new Set(SEED_APPLICATIONS.map((s) => s.steps.at(-1)?.status ?? 'DITERIMA'));
    expect([...finals].sort()).toEqual(['DITERIMA', 'DITOLAK', 'PROSES', 'SELESAI', 'VERIFIKASI']);
  });

  it('numbers applications in submission order and keeps every seeded time in the past', () => {
    const all = SEED_APPLICATIONS.map((s) => s.nik);
    const apps = [...new Set(all)].flatMap((nik) => sim.store.listByNik(nik));
    expect(apps).toHaveLength(SEED_APPLICATIONS.length);
    for (const a of apps) {
      expect(a.applicationNumber).toMatch(/^PRM-\d{4}-\d{5}$/);
      expect(a.updatedAt.getTime()).toBeLessThan(NOW.getTime());
    }
    const byNumber = [...apps].sort((x, y) => x.applicationNumber.localeCompare(y.applicationNumber));
    const bySubmission = [...apps].sort((x, y) => x.submittedAt.getTime() - y.submittedAt.getTime());
    expect(byNumber.map((a) => a.applicationNumber)).toEqual(bySubmission.map((a) => a.applicationNumber));
  });
});

describe('WSDL', () => {
  it('is exported as a file and served at ?wsdl with the real address', async () => {
    expect(existsSync(PERMIT_WSDL_PATH)).toBe(true);
    const res = await fetch(`${sim.url()}${PERMIT_SOAP_PATH}?wsdl`);
    expect(res.status).toBe(200);
    const xml = await res.text();
    expect(xml).toContain(`<soap:address location="${sim.endpoint()}"/>`);
    expect(xml).toContain('targetNamespace="urn:trenggalekkab:simperda:permit:v1"');
  });

  it('lets a client built from the served WSDL call without an endpoint override', async () => {
    const remote = await soap.createClientAsync(`${sim.url()}${PERMIT_SOAP_PATH}?wsdl`);
    remote.setSecurity(new soap.WSSecurity(USERNAME, PASSWORD, { passwordType: 'PasswordText' }));
    const [result] = await remote.ListApplicationsByNikAsync({ nik: NIK_BUDI });
    expect(asList(result.application)).toHaveLength(1);
  });
});

describe('WS-Security', () => {
  it('refuses a call without a UsernameToken with a soap:Client fault', async () => {
    const anonymous = await soap.createClientAsync(PERMIT_WSDL_PATH, { endpoint: sim.endpoint() });
    const fault = await faultOf(anonymous.ListApplicationsByNikAsync({ nik: NIK_SITI }));
    expect(fault.faultcode).toBe('soap:Client');
    expect(fault.detail?.PermitFault?.code).toBe('AUTHENTICATION_FAILED');
  });

  it('refuses a wrong password or username, in digest and in text form', async () => {
    for (const c of await Promise.all([
      securedClient(USERNAME, 'salah', 'PasswordDigest'),
      securedClient(USERNAME, 'salah', 'PasswordText'),
      securedClient('someone-else', PASSWORD, 'PasswordText'),
    ])) {
      const fault = await faultOf(c.ListApplicationsByNikAsync({ nik: NIK_SITI }));
      expect(fault.detail?.PermitFault?.code).toBe('AUTHENTICATION_FAILED');
    }
    expect(sim.stats.calls('!unauthorized')).toBe(3);
    expect(sim.stats.calls('ListApplicationsByNik')).toBe(0);
  });

  it('accepts the right credentials in both password types', async () => {
    const text = await securedClient(USERNAME, PASSWORD, 'PasswordText');
    const [result] = await text.ListApplicationsByNikAsync({ nik: NIK_SITI });
    expect(asList(result.application)).toHaveLength(2);
  });

  it('refuses a replayed nonce and a stale token', () => {
    let clock = Date.parse('2026-11-28T03:00:00Z');
    const verifier = new UsernameTokenVerifier({ username: 'u', password: 'p' }, () => clock);
    const created = '2026-11-28T03:00:00Z';
    const nonce = Buffer.from('0123456789abcdef').toString('base64');
    const token = {
      UsernameToken: {
        Username: 'u',
        Password: { attributes: { Type: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest' }, $value: soap.passwordDigest(nonce, created, 'p') },
        Nonce: { attributes: {}, $value: nonce },
        Created: created,
      },
    };
    expect(verifier.verify(token)).toEqual({ ok: true, username: 'u' });
    expect(verifier.verify(token)).toMatchObject({ ok: false, reason: expect.stringMatching(/nonce/) });
    clock += 6 * 60 * 1000;
    expect(verifier.verify(token)).toMatchObject({ ok: false, reason: expect.stringMatching(/fresh/) });
  });
});

describe('ListApplicationsByNik', () => {
  it('gives warga.siti one permit completed 2-4 days ago and one in progress', async () => {
    const apps = await listByNik(NIK_SITI);
    expect(apps.map((a) => a.status).sort()).toEqual(['PROSES', 'SELESAI']);
    const done = apps.find((a) => a.status === 'SELESAI')!;
    const age = NOW.getTime() - done.completedAt!.getTime();
    expect(age).toBeGreaterThanOrEqual(2 * DAY);
    expect(age).toBeLessThanOrEqual(4 * DAY);
    expect(done).toMatchObject({ nik: NIK_SITI, applicantName: 'Siti Rahayu', permitType: 'REKLAME', officerNip: NIP_YUNI });
    const open = apps.find((a) => a.status === 'PROSES')!;
    expect(open.completedAt).toBeUndefined();
    expect(open.officerNip).toBe(NIP_FAJAR);
  });

  it('gives warga.budi one permit completed within the last 6 days', async () => {
    const [done] = await listByNik(NIK_BUDI);
    expect(done!.status).toBe('SELESAI');
    expect(NOW.getTime() - done!.completedAt!.getTime()).toBeLessThan(6 * DAY);
  });

  it('answers an empty list for a NIK without applications and a fault for a malformed one', async () => {
    expect(await listByNik('3578010101900001')).toEqual([]);
    const fault = await faultOf(client.ListApplicationsByNikAsync({ nik: '12345' }));
    expect(fault.faultcode).toBe('soap:Client');
    expect(fault.detail?.PermitFault).toEqual({ code: 'INVALID_NIK', field: 'nik' });
  });
});

describe('GetApplicationStatus', () => {
  it('answers a batch in one call and lists unknown numbers apart', async () => {
    const numbers = (await listByNik(NIK_SITI)).map((a) => a.applicationNumber);
    sim.stats.reset();
    const { application, unknown } = await getStatus([...numbers, 'PRM-2019-99999']);
    expect(application.map((a) => a.applicationNumber).sort()).toEqual([...numbers].sort());
    expect(unknown).toEqual(['PRM-2019-99999']);
    expect(sim.stats.snapshot().routes.GetApplicationStatus).toEqual({ calls: 1, items: 3 });
  });

  it('accepts a single number', async () => {
    const [budi] = await listByNik(NIK_BUDI);
    const { application } = await getStatus(budi!.applicationNumber);
    expect(application).toHaveLength(1);
    expect(application[0]!.status).toBe('SELESAI');
  });

  it('refuses more than 50 numbers and an empty request', async () => {
    const many = Array.from({ length: 51 }, (_, i) => `PRM-2026-${String(i + 1).padStart(5, '0')}`);
    const tooMany = await faultOf(client.GetApplicationStatusAsync({ applicationNumber: many }));
    expect(tooMany.faultcode).toBe('soap:Client');
    expect(tooMany.detail?.PermitFault?.code).toBe('BATCH_TOO_LARGE');
    const fifty = await getStatus(many.slice(0, 50));
    expect(fifty.application.length + fifty.unknown.length).toBe(50);

    const empty = await faultOf(client.GetApplicationStatusAsync({}));
    expect(empty.detail?.PermitFault).toEqual({ code: 'INVALID_ARGUMENT', field: 'applicationNumber' });
  });
});

describe('SubmitApplication', () => {
  const application = {
    nik: '3503116205970003',
    applicantName: 'Anisa Fitriani',
    permitType: 'PENELITIAN',
    description: 'Penelitian lanjutan: dampak program beasiswa daerah terhadap angka putus sekolah',
    location: 'SMA Negeri 1 Trenggalek, Kec. Trenggalek',
  };

  it('files an application and is idempotent on clientReference', async () => {
    const before = sim.store.latestSequence();
    const [first] = await client.SubmitApplicationAsync({ ...application, clientReference: 'hub-0a4f9c1e' });
    expect(first.applicationNumber).toMatch(/^PRM-2026-\d{5}$/);
    expect(first.status).toBe('DITERIMA');
    expect(first.submittedAt.getTime()).toBe(NOW.getTime());

    const [again] = await client.SubmitApplicationAsync({ ...application, clientReference: 'hub-0a4f9c1e' });
    expect(again.applicationNumber).toBe(first.applicationNumber);
    expect(again.submittedAt.getTime()).toBe(first.submittedAt.getTime());
    expect(sim.store.latestSequence()).toBe(before + 1);
    expect((await listByNik(application.nik)).filter((a) => a.applicationNumber === first.applicationNumber)).toHaveLength(1);
    expect(sim.stats.snapshot().routes.SubmitApplication).toEqual({ calls: 2, items: 2 });
  });

  it('refuses a clientReference reused for a different application', async () => {
    await client.SubmitApplicationAsync({ ...application, clientReference: 'hub-77b2' });
    const fault = await faultOf(client.SubmitApplicationAsync({ ...application, location: 'Kec. Pogalan', clientReference: 'hub-77b2' }));
    expect(fault.faultcode).toBe('soap:Client');
    expect(fault.detail?.PermitFault?.code).toBe('CLIENT_REFERENCE_CONFLICT');
  });

  it('validates every field with a soap:Client fault naming it', async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ nik: '3503116205970' }, 'INVALID_NIK', 'nik'],
      [{ nik: '3503119905970003' }, 'INVALID_NIK', 'nik'],
      [{ applicantName: '  ' }, 'INVALID_ARGUMENT', 'applicantName'],
      [{ permitType: 'IMB' }, 'INVALID_ARGUMENT', 'permitType'],
      [{ description: 'singkat' }, 'INVALID_ARGUMENT', 'description'],
      [{ location: 'x' }, 'INVALID_ARGUMENT', 'location'],
      [{ clientReference: 'spasi tidak boleh' }, 'INVALID_ARGUMENT', 'clientReference'],
    ];
    for (const [patch, code, field] of cases) {
      const fault = await faultOf(client.SubmitApplicationAsync({ ...application, clientReference: 'hub-validate', ...patch }));
      expect(fault.faultcode, JSON.stringify(patch)).toBe('soap:Client');
      expect(fault.detail?.PermitFault, JSON.stringify(patch)).toEqual({ code, field });
    }
    expect(sim.stats.snapshot().routes.SubmitApplication).toEqual({ calls: cases.length, items: 0 });
  });
});

describe('status changes through the admin route', () => {
  it('are reflected in GetApplicationStatus and in the change feed', async () => {
    const [submitted] = await client.SubmitApplicationAsync({
      nik: NIK_BUDI,
      applicantName: 'Budi Santoso',
      permitType: 'PBG',
      description: 'Pembangunan kanopi bengkel, luas 24 m2',
      location: 'Desa Ngetal, Kec. Pogalan',
      clientReference: 'hub-budi-kanopi',
    });
    const number: string = submitted.applicationNumber;
    const since = sim.store.latestSequence();

    const verify = await admin(`/__admin/applications/${number}/status`, { status: 'VERIFIKASI' });
    expect(verify.status).toBe(200);
    expect(verify.json.application.officerNip).toMatch(/^(198808082012122001|199203172019031005)$/);

    const done = await admin(`/__admin/applications/${number}/status`, {
      status: 'SELESAI',
      officerNip: NIP_FAJAR,
      notes: 'PBG terbit & retribusi lunas <lihat SKRD>',
    });
    expect(done.status).toBe(200);
    expect(done.json.change).toMatchObject({ sequence: since + 2, previousStatus: 'VERIFIKASI' });

    const { application } = await getStatus(number);
    expect(application[0]).toMatchObject({ status: 'SELESAI', officerNip: NIP_FAJAR, notes: 'PBG terbit & retribusi lunas <lihat SKRD>' });
    expect(application[0]!.completedAt!.getTime()).toBe(NOW.getTime());

    const feed = await listChanges(since);
    expect(feed.change.map((c) => [c.sequence, c.changeType, c.previousStatus, c.application.status])).toEqual([
      [since + 1, 'STATUS_CHANGED', 'DITERIMA', 'VERIFIKASI'],
      [since + 2, 'STATUS_CHANGED', 'VERIFIKASI', 'SELESAI'],
    ]);
    expect(feed.change.every((c) => c.application.applicationNumber === number)).toBe(true);
    expect(feed).toMatchObject({ lastSequence: since + 2, hasMore: false });
  });

  it('can date a change in the past, e.g. to put a completion inside a rating window', async () => {
    // Suyanto's PBG has been in verification for 8 days.
    const [waiting] = sim.store.listByNik('3503080511690001');
    expect(waiting!.status).toBe('VERIFIKASI');
    const at = new Date(NOW.getTime() - 2 * DAY);
    const done = await admin(`/__admin/applications/${waiting!.applicationNumber}/status`, { status: 'SELESAI', at: at.toISOString() });
    expect(done.status).toBe(200);
    expect(done.json.application).toMatchObject({ status: 'SELESAI', officerNip: NIP_FAJAR, completedAt: '2026-11-26T10:00:00+07:00' });
    const { application } = await getStatus(waiting!.applicationNumber);
    expect(application[0]!.completedAt!.getTime()).toBe(at.getTime());
  });

  it('refuses impossible moves', async () => {
    const [siti] = (await listByNik(NIK_SITI)).filter((a) => a.status === 'SELESAI');
    const [open] = (await listByNik(NIK_SITI)).filter((a) => a.status === 'PROSES');
    expect((await admin(`/__admin/applications/${siti!.applicationNumber}/status`, { status: 'PROSES' })).json.error).toBe('INVALID_TRANSITION');
    expect((await admin(`/__admin/applications/${open!.applicationNumber}/status`, { status: 'VERIFIKASI' })).status).toBe(409);
    expect((await admin(`/__admin/applications/${open!.applicationNumber}/status`, { status: 'SELESAI', officerNip: '198703152010011002' })).json.error).toBe('INVALID_OFFICER');
    expect((await admin(`/__admin/applications/${open!.applicationNumber}/status`, { status: 'SELESAI', at: '2020-01-01T00:00:00Z' })).json.error).toBe('INVALID_TIME');
    expect((await admin(`/__admin/applications/${open!.applicationNumber}/status`, { status: 'BATAL' })).status).toBe(400);
    expect((await admin('/__admin/applications/PRM-2019-99999/status', { status: 'SELESAI' })).status).toBe(404);
  });
});

describe('ListChanges', () => {
  it('pages through the whole feed in sequence order', async () => {
    const seen: ChangeResult[] = [];
    let since = 0;
    for (;;) {
      const page = await listChanges(since, 7);
      seen.push(...page.change);
      since = page.lastSequence;
      if (!page.hasMore) break;
    }
    expect(seen.map((c) => c.sequence)).toEqual(Array.from({ length: sim.store.latestSequence() }, (_, i) => i + 1));
    expect(seen.filter((c) => c.changeType === 'CREATED').length).toBeGreaterThanOrEqual(SEED_APPLICATIONS.length);
    const past = await listChanges(since + 10);
    expect(past).toEqual({ change: [], lastSequence: since + 10, hasMore: false });
  });

  it('defaults the page size and refuses bad paging', async () => {
    expect((await listChanges(0)).change.length).toBe(Math.min(100, sim.store.latestSequence()));
    for (const args of [{ sinceSequence: -1 }, { sinceSequence: 0, limit: 0 }, { sinceSequence: 0, limit: 501 }]) {
      const fault = await faultOf(client.ListChangesAsync(args));
      expect(fault.detail?.PermitFault?.code, JSON.stringify(args)).toBe('INVALID_ARGUMENT');
    }
  });
});

describe('SOAP faults', () => {
  it('answers soap:Server when the database is down, until it is back', async () => {
    sim.setDatabaseAvailable(false);
    const fault = await faultOf(client.ListApplicationsByNikAsync({ nik: NIK_SITI }));
    expect(fault.faultcode).toBe('soap:Server');
    expect(fault.detail?.PermitFault?.code).toBe('DATABASE_UNAVAILABLE');

    expect((await admin('/__admin/database', { available: true })).json).toEqual({ available: true });
    expect(await listByNik(NIK_SITI)).toHaveLength(2);
  });

  it('answers faults as SOAP 1.1 envelopes with HTTP 500 for requests no operation matches', async () => {
    const unknown = await rawSoap('<p:CancelApplication><p:applicationNumber>PRM-2026-00401</p:applicationNumber></p:CancelApplication>');
    expect(unknown.status).toBe(500);
    expect(unknown.contentType).toMatch(/^text\/xml/);
    expect(unknown.text).toContain('<faultcode>soap:Client</faultcode>');
    expect(unknown.text).toContain('UNKNOWN_OPERATION');

    const mismatch = await rawSoap('<p:ListApplicationsByNik><p:nik>3503115708900001</p:nik></p:ListApplicationsByNik>', {
      soapaction: '"urn:trenggalekkab:simperda:permit:v1/SubmitApplication"',
    });
    expect(mismatch.status).toBe(500);
    expect(mismatch.text).toContain('SOAP_ACTION_MISMATCH');

    const ok = await rawSoap('<p:ListApplicationsByNik><p:nik>3503115708900001</p:nik></p:ListApplicationsByNik>', {
      soapaction: '"urn:trenggalekkab:simperda:permit:v1/ListApplicationsByNik"',
    });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('<applicantName>Siti Rahayu</applicantName>');
  });

  it('wants text/xml', async () => {
    const res = await fetch(sim.endpoint(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(415);
  });
});

describe('fault injection', () => {
  it('fails SOAP calls with errorRate 1', async () => {
    sim.faults.set({ errorRate: 1 });
    const error = await client.ListApplicationsByNikAsync({ nik: NIK_SITI }).then(
      () => undefined,
      (err: { response?: { status?: number } }) => err,
    );
    expect(error?.response?.status).toBe(500);
    expect(sim.stats.calls('!fault')).toBe(1);
    expect(sim.stats.calls('ListApplicationsByNik')).toBe(0);
  });

  it('drops SOAP connections while down, set and cleared through /__sim/faults', async () => {
    await fetch(`${sim.url()}/__sim/faults`, { method: 'POST', body: JSON.stringify({ down: true }) });
    await expect(client.ListApplicationsByNikAsync({ nik: NIK_SITI })).rejects.toThrow();
    await fetch(`${sim.url()}/__sim/faults`, { method: 'DELETE' });
    expect(await listByNik(NIK_SITI)).toHaveLength(2);
  });

  it('delays SOAP calls by the configured latency', async () => {
    sim.faults.set({ latencyMs: 150 });
    const started = performance.now();
    await listByNik(NIK_SITI);
    expect(performance.now() - started).toBeGreaterThanOrEqual(130);
  });
});

describe('stats', () => {
  it('counts calls and items per operation, also through GET /__sim/stats', async () => {
    const numbers = sim.store.listByNik(NIK_SITI).map((a) => a.applicationNumber);
    await listByNik(NIK_SITI);
    await getStatus(numbers);
    await getStatus(numbers[0]!);
    await listChanges(0, 5);
    const snapshot = await (await fetch(`${sim.url()}/__sim/stats`)).json();
    expect(snapshot).toEqual({
      total: 4,
      routes: {
        ListApplicationsByNik: { calls: 1, items: 1 },
        GetApplicationStatus: { calls: 2, items: 3 },
        ListChanges: { calls: 1, items: 1 },
      },
    });
  });
});

describe('request ids', () => {
  it('records the x-request-id HTTP header of SOAP calls, and nothing for a call without one', async () => {
    await client.ListApplicationsByNikAsync({ nik: NIK_SITI }, {}, { 'x-request-id': 'req-soap-0001' });
    await client.GetApplicationStatusAsync({ applicationNumber: 'PRM-2019-99999' }, {}, { 'x-request-id': 'req-soap-0002' });
    await listByNik(NIK_BUDI);
    expect(sim.stats.calls()).toBe(3);
    expect(sim.stats.requestIds).toEqual(['req-soap-0001', 'req-soap-0002']);
    sim.stats.reset();
    expect(sim.stats.requestIds).toEqual([]);
  });
});

describe('construction', () => {
  it('requires credentials', () => {
    expect(() => createPermitSoapSimulator({ username: '', password: 'x' })).toThrow(/username and password/);
  });
});
