import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, signRequest, UpstreamUnavailableError, verifierFromSecret, type Caller } from '@gerbang/common';
import { DEMO, TEST_INTERNAL_SECRET, ifStarted } from '@gerbang/testing';
import { createRatingsServer, defaultRatingsConfig, MemoryStaffDirectory, type Person, type StaffDirectory, type StaffMember } from '../src/server';
import { citizen, codeOf, RATE, startRatings, ticket, type Ratings } from './support';

const AGUS = '198703152010011002';
const RINA = '199001222015032004';
const HENDRA = '198511302009011003';
const YUNI = '198808082012122001';

/** The register, switchable off to show the report does not need it once finalised. */
class Register implements StaffDirectory {
  down = false;
  private readonly inner = new MemoryStaffDirectory(
    [
      { id: AGUS, agencyId: 'dispendukcapil', tppBase: 3_000_000 },
      { id: RINA, agencyId: 'dispendukcapil', tppBase: 2_200_000 },
      { id: HENDRA, agencyId: 'dispendukcapil', tppBase: 1_650_000 },
      { id: YUNI, agencyId: 'dpmptsp', tppBase: 2_525_000 },
    ],
    ['bkpsdm'],
  );
  officersOfAgency(agencyId: string): Promise<StaffMember[] | null> {
    if (this.down) return Promise.reject(new UpstreamUnavailableError('BKPSDM staff register', 'test: down'));
    return this.inner.officersOfAgency(agencyId);
  }
  agenciesOf(person: Person): Promise<string[]> {
    if (this.down) return Promise.reject(new UpstreamUnavailableError('BKPSDM staff register', 'test: down'));
    return this.inner.agenciesOf(person);
  }
  agenciesOfMany(people: readonly Person[]): Promise<string[][]> {
    if (this.down) return Promise.reject(new UpstreamUnavailableError('BKPSDM staff register', 'test: down'));
    return this.inner.agenciesOfMany(people);
  }
}

const register = new Register();
let before: string;
let r: Ratings;
const AGUS_STARS = [5, 4, 3, 2, 4, 3, 5, 2, 3, 4, 3, 2]; // docs/DOMAIN.md's example: mean 3.333…, f = 5/6
const HENDRA_STARS = [2, 2, 2, 2, 3, 3, 3, 2, 2, 2]; // mean 2.3: naive floating point pays Rp 1 less
const RINA_STARS = [4, 4];

const TPP = `query TppReport($agencyId: ID!, $month: String!) { tppReport(agencyId: $agencyId, month: $month) {
  month finalized rows { officer { id } ratings average factor base payout basis } } }`;
const FINALIZE = `mutation FinalizeTpp($agencyId: ID!, $month: String!) { finalizeTppReport(agencyId: $agencyId, month: $month) { month finalized } }`;
const HR = DEMO.hr;
const AGUS_OFFICER = DEMO.petugasDukcapil;

let n = 0;
async function rateAs(agencyId: string, officerId: string, stars: number) {
  const i = n++;
  const id = `${agencyId}:TPP-${i}`;
  await r.publish(agencyId, [ticket(agencyId, `TPP-${i}`, { citizenNik: citizen(i).nik!, officerId, completedAt: '2026-03-18T10:00:00+07:00' })]);
  r.clock.now = new Date(r.clock.now.getTime() + 2 * 60_000); // spaced out: no burst
  const { body } = await r.call(RATE, citizen(i), { input: { ticketId: id, stars } });
  expect(body.errors).toBeUndefined();
}

beforeAll(async () => {
  r = await startRatings({ staff: register, now: new Date('2026-03-19T00:00:00Z') });
  for (const s of AGUS_STARS) await rateAs('dispendukcapil', AGUS, s);
  for (const s of RINA_STARS) await rateAs('dispendukcapil', RINA, s);
  for (const s of HENDRA_STARS) await rateAs('dispendukcapil', HENDRA, s);
  await rateAs('dpmptsp', YUNI, 1);
  expect(await r.sql(`select count(*)::int as n from $s.rating where status <> 'VALID'`)).toEqual([{ n: 0 }]);
});
afterAll(() => ifStarted(r)?.stop());

const report = (caller: Caller | undefined, agencyId = 'dispendukcapil', month = '2026-03') => r.call(TPP, caller, { agencyId, month });

const EXPECTED_ROWS = [
  { officer: { id: HENDRA }, ratings: 10, average: 2.3, factor: 0.575, base: 1_650_000, payout: 948_750, basis: 'OWN_RATINGS' },
  { officer: { id: AGUS }, ratings: 12, average: 3.33, factor: 0.8333, base: 3_000_000, payout: 2_500_000, basis: 'OWN_RATINGS' },
  // 2 ratings < n_min: the unit's mean 71/24 → f = 71/96; floor(2,200,000 × 71/96) = 1,627,083
  { officer: { id: RINA }, ratings: 2, average: 4, factor: 0.7396, base: 2_200_000, payout: 1_627_083, basis: 'UNIT_AVERAGE' },
];

describe('tppReport', () => {
  it("gives HR every officer's row, computed exactly (docs/DOMAIN.md example, Rp 1 float trap, UNIT_AVERAGE)", async () => {
    const { body } = await report(HR);
    expect(body.errors).toBeUndefined();
    expect(body.data.tppReport).toEqual({ month: '2026-03', finalized: false, rows: EXPECTED_ROWS });
  });

  it('NOT_ENOUGH_RATINGS when neither the officer nor the unit has 5 ratings: paid in full', async () => {
    const { body } = await report(HR, 'dpmptsp');
    expect(body.data.tppReport.rows).toEqual([{ officer: { id: YUNI }, ratings: 1, average: 1, factor: 1, base: 2_525_000, payout: 2_525_000, basis: 'NOT_ENOUGH_RATINGS' }]);
  });

  it('shows an officer only their own row, and nothing of other agencies', async () => {
    const own = await report(AGUS_OFFICER);
    expect(own.body.data.tppReport.rows).toEqual([EXPECTED_ROWS[1]]);
    expect(codeOf((await report(AGUS_OFFICER, 'dpmptsp')).body)).toBe('FORBIDDEN');
  });

  it('gives the hub administrator every row of every agency, recording the read as theirs', async () => {
    for (const [agencyId, rows] of [
      ['dispendukcapil', EXPECTED_ROWS],
      ['dpmptsp', [expect.objectContaining({ officer: { id: YUNI } })]],
    ] as const) {
      const { body } = await report(DEMO.admin, agencyId);
      expect(body.errors).toBeUndefined();
      expect(body.data.tppReport.rows).toEqual(rows);
    }
    const [log] = await r.sql(`select actor, roles, action, subject from $s.access_log where actor = ? order by id desc limit 1`, [DEMO.admin.sub]);
    expect(log).toMatchObject({ actor: DEMO.admin.sub, roles: 'admin', action: 'READ_TPP_REPORT', subject: { agencyId: 'dpmptsp', scope: 'all', officers: [YUNI] } });
  });

  it('refuses citizens and analysts (FORBIDDEN), and anonymous callers', async () => {
    expect(codeOf((await report(DEMO.siti)).body)).toBe('FORBIDDEN');
    expect(codeOf((await report(DEMO.analyst)).body)).toBe('FORBIDDEN');
    expect(codeOf((await report(undefined)).body)).toBe('UNAUTHENTICATED');
  });

  it('answers NOT_FOUND for an agency the staff register does not know, recording no read; a known agency with nobody on its roster is an empty report', async () => {
    const { body } = await report(HR, 'no-such-agency');
    expect(codeOf(body)).toBe('NOT_FOUND');
    expect(body.errors?.[0]).toMatchObject({ message: 'Agency "no-such-agency" is not in the BKPSDM staff register.', extensions: { field: 'agencyId' } });
    expect(body.data).toEqual({ tppReport: null });
    expect(await r.sql(`select count(*)::int as n from $s.access_log where subject->>'agencyId' = 'no-such-agency'`)).toEqual([{ n: 0 }]);
    const empty = await report(HR, 'bkpsdm');
    expect(empty.body.errors).toBeUndefined();
    expect(empty.body.data.tppReport).toEqual({ month: '2026-03', finalized: false, rows: [] });
  });

  it('refuses a malformed month', async () => {
    expect(codeOf((await report(HR, 'dispendukcapil', '2026-3')).body)).toBe('BAD_USER_INPUT');
  });

  it('records who read staff scores', async () => {
    const log = await r.sql(`select actor, action, subject from $s.access_log where actor = ? order by id desc limit 1`, [AGUS_OFFICER.sub]);
    expect(log[0]).toMatchObject({ actor: AGUS_OFFICER.sub, action: 'READ_TPP_REPORT', subject: { agencyId: 'dispendukcapil', month: '2026-03', scope: 'own', officers: [AGUS] } });
    await expect(r.sql(`delete from $s.access_log`)).rejects.toThrow(/append-only/);
  });

  it('answers UPSTREAM_UNAVAILABLE for a live month when the staff register is down', async () => {
    register.down = true;
    try {
      expect(codeOf((await report(HR)).body)).toBe('UPSTREAM_UNAVAILABLE');
    } finally {
      register.down = false;
    }
  });
});

/** The raw bytes a client receives. */
async function rawReport(caller: Caller, agencyId = 'dispendukcapil') {
  const body = JSON.stringify({ query: TPP, variables: { agencyId, month: '2026-03' } });
  const res = await fetch(`${r.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...signRequest(TEST_INTERNAL_SECRET, body, caller, 'ratings') }, body });
  return res.text();
}

describe('finalizeTppReport', () => {
  it("is HR's alone: the hub administrator, who reads every report, may not finalise one (separation of duties)", async () => {
    r.at('2026-04-10T00:00:00Z');
    for (const caller of [DEMO.admin, AGUS_OFFICER, DEMO.analyst, DEMO.siti]) expect(codeOf((await r.call(FINALIZE, caller, { agencyId: 'dispendukcapil', month: '2026-03' })).body)).toBe('FORBIDDEN');
    expect(await r.sql(`select count(*)::int as n from $s.tpp_report`)).toEqual([{ n: 0 }]);
  });

  it("is refused before the month's rating window closes (31 March WIB + 7 days)", async () => {
    r.at('2026-04-07T16:59:59Z'); // 23:59:59 WIB on 7 April
    const early = await r.call(FINALIZE, HR, { agencyId: 'dispendukcapil', month: '2026-03' });
    expect(codeOf(early.body)).toBe('PERIOD_NOT_CLOSED');
    expect(early.body.errors?.[0]?.extensions?.closesAt).toBe('2026-04-07T17:00:00.000Z');
    r.at('2026-03-25T00:00:00Z');
    expect(codeOf((await r.call(FINALIZE, HR, { agencyId: 'dispendukcapil', month: '2026-05' })).body)).toBe('PERIOD_NOT_CLOSED');
  });

  it('answers NOT_FOUND for an agency the staff register does not know, whatever the month, and stores nothing', async () => {
    r.at('2026-04-10T00:00:00Z');
    for (const month of ['2026-03', '2026-04']) {
      const { body } = await r.call(FINALIZE, HR, { agencyId: 'no-such-agency', month });
      expect(codeOf(body)).toBe('NOT_FOUND');
      expect(body.data ?? null).toBeNull();
    }
    expect(await r.sql(`select count(*)::int as n from $s.tpp_report where agency_id = 'no-such-agency'`)).toEqual([{ n: 0 }]);
    // The month does not read as finalised afterwards either.
    expect(codeOf((await report(HR, 'no-such-agency')).body)).toBe('NOT_FOUND');
  });

  it('freezes the month once the window has closed', async () => {
    r.at('2026-04-07T17:00:00Z');
    const { body } = await r.call(FINALIZE, HR, { agencyId: 'dispendukcapil', month: '2026-03' });
    expect(body.errors).toBeUndefined();
    expect(body.data.finalizeTppReport).toEqual({ month: '2026-03', finalized: true });
    before = await rawReport(HR);
    expect(JSON.parse(before).data.tppReport).toEqual({ month: '2026-03', finalized: true, rows: EXPECTED_ROWS });
    const [row] = await r.sql(`select finalized_by, content_hash from $s.tpp_report where agency_id = 'dispendukcapil' and month = '2026-03'`);
    expect(row.finalized_by).toBe(HR.sub);
    expect(row.content_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is refused the second time with ALREADY_FINALIZED', async () => {
    expect(codeOf((await r.call(FINALIZE, HR, { agencyId: 'dispendukcapil', month: '2026-03' })).body)).toBe('ALREADY_FINALIZED');
  });

  it('returns byte-identical figures after new ratings arrive and others are rejected or hidden', async () => {
    // A policy change (a longer window) lets late ratings of March in through the API…
    const lenient = await createRatingsServer({
      orm: r.orm,
      logger: createLogger('ratings', 'silent'),
      verifier: verifierFromSecret(TEST_INTERNAL_SECRET),
      config: defaultRatingsConfig({ rating: { windowDays: 60, commentMax: 1000 } }),
      staff: register,
      now: () => r.clock.now,
    });
    const running = await lenient.listen(0);
    try {
      for (const [i, officerId] of [AGUS, AGUS, RINA, HENDRA].entries()) {
        await r.publish('dispendukcapil', [ticket('dispendukcapil', `LATE-${i}`, { citizenNik: citizen(200 + i).nik!, officerId })]);
        const res = await fetch(`${running.url}/graphql`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...signRequest(TEST_INTERNAL_SECRET, JSON.stringify({ query: RATE, variables: { input: { ticketId: `dispendukcapil:LATE-${i}`, stars: 5 } } }), citizen(200 + i), 'ratings'),
          },
          body: JSON.stringify({ query: RATE, variables: { input: { ticketId: `dispendukcapil:LATE-${i}`, stars: 5 } } }),
        });
        expect(((await res.json()) as { errors?: unknown }).errors).toBeUndefined();
        r.clock.now = new Date(r.clock.now.getTime() + 3 * 60_000);
      }
    } finally {
      await running.close();
    }
    // …and moderation rejects one of Hendra's ratings and hides a comment.
    await r.sql(`update $s.rating set status = 'REJECTED' where id = (select id from $s.rating where officer_id = ? and stars = 2 limit 1)`, [HENDRA]);
    await r.sql(`update $s.rating set comment_hidden = true where officer_id = ?`, [RINA]);
    expect((await r.sql(`select count(*)::int as n from $s.rating where period = '2026-03' and agency_id = 'dispendukcapil'`))[0].n).toBe(28);

    const after = await rawReport(HR);
    expect(after).toBe(before);
    // The live figures did move: the snapshot is what keeps March still.
    const live = await r.call(`{ _entities(representations: [{ __typename: "Officer", id: "${AGUS}" }]) { ... on Officer { rating { count } } } }`);
    expect(live.body.data._entities[0].rating.count).toBe(14);
  });

  it('serves a finalised month without the staff register', async () => {
    register.down = true;
    try {
      expect(await rawReport(HR)).toBe(before);
      expect(JSON.parse(await rawReport(AGUS_OFFICER)).data.tppReport.rows).toEqual([EXPECTED_ROWS[1]]);
    } finally {
      register.down = false;
    }
  });

  it('cannot be changed in the database either', async () => {
    await expect(r.sql(`update $s.tpp_report set snapshot = '{}'`)).rejects.toThrow(/append-only/);
  });
});

describe('TPP appeals', () => {
  const FILE = `mutation($agencyId: ID!, $month: String!, $reason: String!) { fileTppAppeal(agencyId: $agencyId, month: $month, reason: $reason) { id status reason officer { id } filedAt } }`;
  const RESOLVE = `mutation($id: ID!, $outcome: TppAppealOutcome!, $note: String!) { resolveTppAppeal(id: $id, outcome: $outcome, note: $note) { id status resolvedBy resolvedAt resolutionNote } }`;
  const LIST = `{ tppAppeals { id officer { id } status } }`;
  let appealId: string;

  it('lets an officer appeal their own figures with a reason', async () => {
    const { body } = await r.call(FILE, AGUS_OFFICER, { agencyId: 'dispendukcapil', month: '2026-03', reason: '  Dua penilaian bintang 2 berasal dari antrean yang bukan layanan saya.  ' });
    expect(body.errors).toBeUndefined();
    expect(body.data.fileTppAppeal).toMatchObject({ status: 'OPEN', reason: 'Dua penilaian bintang 2 berasal dari antrean yang bukan layanan saya.', officer: { id: AGUS } });
    appealId = body.data.fileTppAppeal.id;
  });

  it('refuses a second open appeal, an empty reason, other agencies and non-officers', async () => {
    expect(codeOf((await r.call(FILE, AGUS_OFFICER, { agencyId: 'dispendukcapil', month: '2026-03', reason: 'Lagi.' })).body)).toBe('BAD_USER_INPUT');
    expect(codeOf((await r.call(FILE, AGUS_OFFICER, { agencyId: 'dispendukcapil', month: '2026-02', reason: '   ' })).body)).toBe('BAD_USER_INPUT');
    expect(codeOf((await r.call(FILE, AGUS_OFFICER, { agencyId: 'dpmptsp', month: '2026-03', reason: 'Bukan unit saya.' })).body)).toBe('FORBIDDEN');
    expect(codeOf((await r.call(FILE, DEMO.siti, { agencyId: 'dispendukcapil', month: '2026-03', reason: 'Saya warga.' })).body)).toBe('FORBIDDEN');
    // An officer of the agency who is not on the register's roster has no figures to appeal.
    const stranger: Caller = { sub: 'usr-x', roles: ['officer'], nip: '199912312025011001', agencyId: 'dispendukcapil' };
    expect(codeOf((await r.call(FILE, stranger, { agencyId: 'dispendukcapil', month: '2026-03', reason: 'Tidak ada.' })).body)).toBe('FORBIDDEN');
  });

  it('shows HR and the hub administrator every appeal and an officer only their own', async () => {
    expect((await r.call(LIST, HR)).body.data.tppAppeals).toEqual([{ id: appealId, officer: { id: AGUS }, status: 'OPEN' }]);
    expect((await r.call(LIST, DEMO.admin)).body.data.tppAppeals).toEqual([{ id: appealId, officer: { id: AGUS }, status: 'OPEN' }]);
    expect((await r.call(LIST, AGUS_OFFICER)).body.data.tppAppeals).toHaveLength(1);
    const rina: Caller = { sub: 'usr-rina', roles: ['officer'], nip: RINA, agencyId: 'dispendukcapil' };
    expect((await r.call(LIST, rina)).body.data.tppAppeals).toEqual([]);
    expect(codeOf((await r.call(LIST, DEMO.siti)).body)).toBe('FORBIDDEN');
  });

  it('lets only HR resolve it, recording who, when and why', async () => {
    expect(codeOf((await r.call(RESOLVE, AGUS_OFFICER, { id: appealId, outcome: 'UPHELD', note: 'Saya setuju.' })).body)).toBe('FORBIDDEN');
    expect(codeOf((await r.call(RESOLVE, DEMO.admin, { id: appealId, outcome: 'UPHELD', note: 'Admin setuju.' })).body)).toBe('FORBIDDEN');
    r.at('2026-04-09T02:00:00Z');
    const { body } = await r.call(RESOLVE, HR, { id: appealId, outcome: 'UPHELD', note: 'Dikoreksi pada TPP bulan April.' });
    expect(body.errors).toBeUndefined();
    expect(body.data.resolveTppAppeal).toEqual({ id: appealId, status: 'UPHELD', resolvedBy: HR.sub, resolvedAt: '2026-04-09T09:00:00+07:00', resolutionNote: 'Dikoreksi pada TPP bulan April.' });
    expect(codeOf((await r.call(RESOLVE, HR, { id: appealId, outcome: 'REJECTED', note: 'Berubah pikiran.' })).body)).toBe('BAD_USER_INPUT');
    expect(codeOf((await r.call(RESOLVE, HR, { id: '00000000-0000-0000-0000-000000000000', outcome: 'REJECTED', note: 'x' })).body)).toBe('NOT_FOUND');
  });

  it('leaves the finalised month as it was', async () => {
    expect(await rawReport(HR)).toBe(before);
  });
});
