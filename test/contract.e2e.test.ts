import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jakartaMonth } from '@gerbang/common';
import { startStack, type Stack } from './support/stack';
import { ifStarted } from '@gerbang/testing';

/**
 * The clients' contract operations, sent through the gateway exactly as the portal, the app and
 * HR send them (the project's copy lives in gateway/operations/), with the demo logins.
 */
const op = (file: string) => readFileSync(join(import.meta.dirname, '..', 'gateway', 'operations', `${file}.graphql`), 'utf8');
const FIND_AGENCY = op('find-agency');
const AGENCY_PAGE = op('agency-page');
const MY_TICKETS = op('my-tickets');
const RATE_SERVICE = op('rate-service');
const TPP_REPORT = op('tpp-report');
const FINALIZE_TPP = op('finalize-tpp');

const AGENCIES_WITH_SYSTEMS = ['dispendukcapil', 'dpmptsp', 'bpkpd', 'dinkesdalduk', 'dinsos'];

interface TicketView {
  id: string;
  status: string;
  submittedAt: string;
  completedAt: string | null;
  agency: { id: string; name: string };
  service: { id: string; name: string } | null;
  officer: { id: string; name: string } | null;
  myRating: { stars: number; comment: string | null } | null;
  canRate: boolean;
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 120_000);
afterAll(async () => ifStarted(stack)?.close());

const myTickets = async (login: string) => {
  const { body } = await stack.graphql<{ me: { id: string; name: string; tickets: TicketView[] } }>(MY_TICKETS, { login });
  expect(body.errors).toBeUndefined();
  return body.data!.me;
};

describe('FindAgency', () => {
  it.each(['dukcapil', 'capil', 'kependudukan', 'Dispendukcapil', 'pendudukan sipil'])('finds Dispendukcapil first for "%s", anonymously', async (q) => {
    const { body } = await stack.graphql(FIND_AGENCY, { variables: { q } });
    expect(body.errors).toBeUndefined();
    expect(body.data.agencies[0]).toMatchObject({ id: 'dispendukcapil', name: 'Dinas Kependudukan dan Pencatatan Sipil', abbreviation: 'Dispendukcapil' });
    expect(body.data.agencies[0].rating).toEqual({ average: expect.toSatisfy((v: unknown) => v === null || typeof v === 'number'), count: expect.any(Number) });
  });
});

describe('MyTickets', () => {
  it("lists warga.siti's tickets of all five agencies, newest first, with names from the directory", async () => {
    const me = await myTickets('warga.siti');
    expect(me).toMatchObject({ id: 'usr-warga-siti', name: 'Siti Rahayu' });
    const agencies = new Set(me.tickets.map((t) => t.agency.id));
    for (const a of AGENCIES_WITH_SYSTEMS) expect(agencies, `no ticket of ${a}`).toContain(a);
    const submitted = me.tickets.map((t) => t.submittedAt);
    expect([...submitted].sort().reverse()).toEqual(submitted);
    for (const t of me.tickets) {
      expect(t.submittedAt).toMatch(/\+07:00$/);
      expect(t.agency.name.length).toBeGreaterThan(5);
      expect(t.service?.name).toBeTruthy();
    }
    const rateable = me.tickets.filter((t) => t.status === 'COMPLETED' && t.canRate && !t.myRating);
    expect(new Set(rateable.map((t) => t.agency.id)).size).toBeGreaterThanOrEqual(2);
    expect(rateable.some((t) => t.agency.id === 'dispendukcapil')).toBe(true);
    expect(me.tickets.some((t) => t.status === 'IN_PROGRESS' || t.status === 'SUBMITTED')).toBe(true);
    const served = me.tickets.find((t) => t.agency.id === 'dispendukcapil' && t.status === 'COMPLETED')!;
    expect(served.officer).toEqual({ id: '198703152010011002', name: 'Agus Prasetyo' });
  });

  it('costs at most one call per agency system for the live view of every ticket', async () => {
    for (const sim of Object.values(stack.simulators)) sim.stats.reset();
    const { body } = await stack.graphql(
      `{ me { tickets(first: 50) { id populationRequest { number } permitApplication { number } clinicBooking { bookingCode } taxServiceRequest { number } aidProposal { number } } } }`,
      { login: 'warga.siti' },
    );
    expect(body.errors).toBeUndefined();
    expect(stack.simulators.siak.stats.calls('permohonan.batch')).toBe(1);
    expect(stack.simulators.permits.stats.calls()).toBeLessThanOrEqual(1);
    expect(stack.simulators.clinics.stats.calls()).toBeLessThanOrEqual(1);
    const views = body.data.me.tickets.map((t: Record<string, unknown>) => Object.entries(t).filter(([k, v]) => k !== 'id' && v !== null).length);
    expect(views.every((n: number) => n === 1)).toBe(true);
  });

  it('carries the request id from the client through the gateway and subgraph to the agency systems', async () => {
    stack.simulators.siak.stats.reset();
    stack.simulators.permits.stats.reset();
    stack.sismiopStats.reset();
    const { headers, body } = await stack.graphql('{ me { name tickets(first: 50) { id permitApplication { number } taxServiceRequest { number } } } }', {
      login: 'warga.siti',
      headers: { 'x-request-id': 'e2e-trace-0001' },
    });
    expect(body.errors).toBeUndefined();
    expect(headers.get('x-request-id')).toBe('e2e-trace-0001');
    expect(stack.simulators.siak.stats.requestIds).toContain('e2e-trace-0001');
    // SIMPERDA's SOAP calls carry it as an HTTP header too.
    expect(stack.simulators.permits.stats.requestIds).toContain('e2e-trace-0001');
    // SISMIOP's SQL carries it as a sqlcommenter comment, read back by the database's proxy.
    expect(stack.sismiopStats.requestIds).toContain('e2e-trace-0001');
  });

  it('keeps every other agency when one agency system is down', async () => {
    stack.simulators.permits.faults.set({ down: true });
    try {
      const { body } = await stack.graphql(`{ me { name tickets(first: 50) { id agency { id } populationRequest { number } permitApplication { number } clinicBooking { bookingCode } } } }`, {
        login: 'warga.siti',
      });
      expect(body.data.me.name).toBe('Siti Rahayu');
      const tickets = body.data.me.tickets as { agency: { id: string }; populationRequest: unknown; permitApplication: unknown; clinicBooking: unknown }[];
      expect(new Set(tickets.map((t) => t.agency.id)).size).toBe(5);
      expect(tickets.filter((t) => t.agency.id === 'dispendukcapil').every((t) => t.populationRequest)).toBe(true);
      expect(tickets.filter((t) => t.agency.id === 'dinkesdalduk').every((t) => t.clinicBooking)).toBe(true);
      expect(tickets.filter((t) => t.agency.id === 'dpmptsp').every((t) => t.permitApplication === null)).toBe(true);
      expect(body.errors?.length).toBeGreaterThan(0);
      for (const e of body.errors!) expect(e.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
      const services = new Set(body.errors!.map((e) => e.extensions!.service as string));
      expect(services.size).toBe(1);
      expect([...services][0]).toMatch(/SIMPERDA/);
    } finally {
      stack.simulators.permits.faults.reset();
    }
  });
  it('answers MyTickets with the population registry down: every ticket, and one error for the name', async () => {
    stack.simulators.siak.faults.set({ down: true });
    try {
      const { body } = await stack.graphql(MY_TICKETS, { login: 'warga.siti' });
      expect(body.data.me.name).toBeNull();
      expect(new Set(body.data.me.tickets.map((t: TicketView) => t.agency.id))).toEqual(new Set(AGENCIES_WITH_SYSTEMS));
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0]).toMatchObject({ path: ['me', 'name'], extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'Dispendukcapil SIAK' } });
    } finally {
      stack.simulators.siak.faults.reset();
    }
  });

  it('keeps the population subgraph and the gateway ready with SIAK down (its fields alone answer UPSTREAM_UNAVAILABLE)', async () => {
    stack.simulators.siak.faults.set({ down: true });
    try {
      await stack.graphql(MY_TICKETS, { login: 'warga.siti' });
      const population = stack.subgraphUrls.population!.replace('/graphql', '');
      expect((await fetch(`${population}/health/ready`)).status).toBe(200);
      const gateway = stack.gatewayUrl.replace('/graphql', '');
      expect((await fetch(`${gateway}/health/ready`)).status).toBe(200);
      const status = (await (await fetch(`${gateway}/health/status`)).json()) as { ready: boolean; subgraphs: Record<string, { status: string }> };
      expect(status.ready).toBe(true);
      expect(Object.values(status.subgraphs).map((s) => s.status)).toEqual(Object.keys(stack.subgraphUrls).map(() => 'up'));
    } finally {
      stack.simulators.siak.faults.reset();
    }
  });
});

describe('RateService', () => {
  it('rates a completed ticket once; a retry returns the first result and stores nothing new', async () => {
    const before = await myTickets('warga.siti');
    const ticket = before.tickets.find((t) => t.agency.id === 'dispendukcapil' && t.canRate)!;
    const input = { ticketId: ticket.id, stars: 5, comment: 'Cepat dan ramah.', skm: [4, 4, 4, 3, 4, 4, 4, 3, 4], idempotencyKey: 'e2e-siti-rate-1' };
    const first = await stack.graphql(RATE_SERVICE, { login: 'warga.siti', variables: { input } });
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.rateService).toMatchObject({ stars: 5, ticket: { id: ticket.id, canRate: false } });
    const retry = await stack.graphql(RATE_SERVICE, { login: 'warga.siti', variables: { input } });
    expect(retry.body.data.rateService.id).toBe(first.body.data.rateService.id);
    const again = await stack.graphql(RATE_SERVICE, { login: 'warga.siti', variables: { input: { ...input, idempotencyKey: 'e2e-siti-rate-2' } } });
    expect(again.body.errors?.[0]?.extensions?.code).toBe('ALREADY_RATED');
    const after = await myTickets('warga.siti');
    expect(after.tickets.find((t) => t.id === ticket.id)).toMatchObject({ canRate: false, myRating: { stars: 5, comment: 'Cepat dan ramah.' } });
  });

  it("refuses rating another citizen's ticket and bad input, each with its code", async () => {
    const siti = await myTickets('warga.siti');
    const hers = siti.tickets.find((t) => t.canRate)!;
    const stranger = await stack.graphql(RATE_SERVICE, { login: 'warga.budi', variables: { input: { ticketId: hers.id, stars: 1 } } });
    expect(stranger.body.errors?.[0]).toMatchObject({ message: 'No such ticket of yours.', extensions: { code: 'NOT_FOUND', field: 'ticketId' } });
    expect(stranger.body.data ?? null).toBeNull();
    // The same answer as for an id that does not exist: no oracle of which tickets do.
    const unknown = await stack.graphql(RATE_SERVICE, { login: 'warga.budi', variables: { input: { ticketId: `${hers.id}-0`, stars: 1 } } });
    expect(unknown.body).toEqual(stranger.body);
    const stars = await stack.graphql(RATE_SERVICE, { login: 'warga.siti', variables: { input: { ticketId: hers.id, stars: 6 } } });
    expect(stars.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const skm = await stack.graphql(RATE_SERVICE, { login: 'warga.siti', variables: { input: { ticketId: hers.id, stars: 4, skm: [4, 4] } } });
    expect(skm.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const open = siti.tickets.find((t) => t.status !== 'COMPLETED')!;
    const notDone = await stack.graphql(RATE_SERVICE, { login: 'warga.siti', variables: { input: { ticketId: open.id, stars: 4 } } });
    expect(notDone.body.errors?.[0]?.extensions?.code).toBe('TICKET_NOT_COMPLETED');
    const anonymous = await stack.graphql(RATE_SERVICE, { variables: { input: { ticketId: hers.id, stars: 4 } } });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe("RateService while BKPSDM's register is down", () => {
  const count = async (agencyId: string) => (await stack.graphql(AGENCY_PAGE, { variables: { id: agencyId } })).body.data.agency.rating.count as number;

  it('acknowledges the rating and holds it out of the figures; once the register answers, the register check lets it count', async () => {
    const budi = await myTickets('warga.budi');
    // Not Dispendukcapil: the TPP tests below count its ratings.
    const ticket = budi.tickets.find((t) => t.canRate && t.agency.id !== 'dispendukcapil')!;
    expect(ticket).toBeDefined();
    const before = await count(ticket.agency.id);
    const input = { ticketId: ticket.id, stars: 4, idempotencyKey: 'e2e-budi-register-down' };
    stack.simulators.bkpsdm.faults.set({ down: true });
    try {
      const rated = await stack.graphql(RATE_SERVICE, { login: 'warga.budi', variables: { input } });
      expect(rated.body.errors).toBeUndefined();
      expect(rated.body.data.rateService).toMatchObject({ stars: 4, ticket: { id: ticket.id, canRate: false } });
      const retry = await stack.graphql(RATE_SERVICE, { login: 'warga.budi', variables: { input } });
      expect(retry.body.data.rateService.id).toBe(rated.body.data.rateService.id);
      expect(await count(ticket.agency.id)).toBe(before);
      expect(await stack.registerCheckNow()).toMatchObject({ pending: 1, accepted: 0 });
    } finally {
      stack.simulators.bkpsdm.faults.reset();
    }
    expect(await stack.registerCheckNow()).toMatchObject({ accepted: 1, pending: 0 });
    expect(await count(ticket.agency.id)).toBe(before + 1);
  });
});

describe('AgencyPage', () => {
  it('serves services, officers, ratings and the satisfaction index to anonymous callers', async () => {
    const { body } = await stack.graphql(AGENCY_PAGE, { variables: { id: 'dispendukcapil' } });
    expect(body.errors).toBeUndefined();
    const agency = body.data.agency;
    expect(agency.services.map((s: { id: string }) => s.id)).toContain('dispendukcapil.ktp-el');
    expect(agency.officers.find((o: { id: string }) => o.id === '198703152010011002')).toMatchObject({ name: 'Agus Prasetyo' });
    expect(agency.rating.count).toBeGreaterThanOrEqual(1);
    expect(agency.rating.distribution.reduce((n: number, d: { count: number }) => n + d.count, 0)).toBe(agency.rating.count);
    expect(agency.satisfaction.respondents).toBeGreaterThanOrEqual(1);
    expect(agency.satisfaction.elements).toHaveLength(9);
    expect(agency.satisfaction.provisional).toBe(true);
    expect(['A', 'B', 'C', 'D']).toContain(agency.satisfaction.category);
  });

  it('answers an unknown id with agency null and one NOT_FOUND error naming the argument', async () => {
    const { status, body } = await stack.graphql(AGENCY_PAGE, { variables: { id: 'no-such-agency' } });
    expect(status).toBe(200);
    expect(body.data).toEqual({ agency: null });
    expect(body.errors).toEqual([expect.objectContaining({ message: 'Agency not found.', path: ['agency'], extensions: expect.objectContaining({ code: 'NOT_FOUND', field: 'id' }) })]);
  });
});

describe('TppReport and FinalizeTpp', () => {
  const month = jakartaMonth(new Date());
  const previous = jakartaMonth(new Date(Date.now() - 40 * 86_400_000));

  it('gives HR one row per officer of the agency', async () => {
    const { body } = await stack.graphql(TPP_REPORT, { login: 'hr.bkpsdm', variables: { agencyId: 'dispendukcapil', month } });
    expect(body.errors).toBeUndefined();
    const report = body.data.tppReport;
    expect(report).toMatchObject({ month, finalized: false });
    const agus = report.rows.find((r: { officer: { id: string } }) => r.officer.id === '198703152010011002');
    expect(agus).toMatchObject({ officer: { name: 'Agus Prasetyo' }, basis: expect.stringMatching(/OWN_RATINGS|UNIT_AVERAGE|NOT_ENOUGH_RATINGS/) });
    for (const r of report.rows) {
      expect(Number.isInteger(r.payout)).toBe(true);
      expect(r.payout).toBeLessThanOrEqual(r.base);
    }
  });

  it('shows an officer only their own row, and nothing to an analyst', async () => {
    const own = await stack.graphql(TPP_REPORT, { login: 'petugas.dukcapil', variables: { agencyId: 'dispendukcapil', month } });
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data.tppReport.rows.map((r: { officer: { id: string } }) => r.officer.id)).toEqual(['198703152010011002']);
    const analyst = await stack.graphql(TPP_REPORT, { login: 'analis', variables: { agencyId: 'dispendukcapil', month } });
    expect(analyst.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(analyst.body.data ?? null).toBeNull();
  });

  it("shows the officers of DPMPTSP and BPKPD their own rows of their own agency's report, and refuses them another agency's", async () => {
    for (const [login, agencyId, nip, other] of [
      ['petugas.dpmptsp', 'dpmptsp', '198808082012122001', 'bpkpd'],
      ['petugas.bpkpd', 'bpkpd', '198406252008011004', 'dpmptsp'],
    ] as const) {
      const own = await stack.graphql(TPP_REPORT, { login, variables: { agencyId, month } });
      expect(own.body.errors).toBeUndefined();
      expect(own.body.data.tppReport.rows.map((r: { officer: { id: string } }) => r.officer.id)).toEqual([nip]);
      const foreign = await stack.graphql(TPP_REPORT, { login, variables: { agencyId: other, month } });
      expect(foreign.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(foreign.body.data?.tppReport ?? null).toBeNull();
    }
  });

  it("gives the hub administrator every row of any agency, but refuses them finalising (HR's act: it sets pay)", async () => {
    const hr = await stack.graphql(TPP_REPORT, { login: 'hr.bkpsdm', variables: { agencyId: 'dispendukcapil', month } });
    const admin = await stack.graphql(TPP_REPORT, { login: 'admin', variables: { agencyId: 'dispendukcapil', month } });
    expect(admin.status).toBe(200);
    expect(admin.body.errors).toBeUndefined();
    expect(admin.body.data.tppReport).toEqual(hr.body.data.tppReport);
    expect(admin.body.data.tppReport.rows.length).toBeGreaterThan(1);
    const finalize = await stack.graphql(FINALIZE_TPP, { login: 'admin', variables: { agencyId: 'dispendukcapil', month: previous } });
    expect(finalize.status).toBe(403);
    expect(finalize.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'Mutation.finalizeTppReport' });
    expect(finalize.body.data ?? null).toBeNull();
  });

  it('refuses to finalise a month whose rating window is open, and finalises a closed one for HR only', async () => {
    const open = await stack.graphql(FINALIZE_TPP, { login: 'hr.bkpsdm', variables: { agencyId: 'dispendukcapil', month } });
    expect(open.body.errors?.[0]?.extensions?.code).toBe('PERIOD_NOT_CLOSED');
    const officer = await stack.graphql(FINALIZE_TPP, { login: 'petugas.dukcapil', variables: { agencyId: 'dispendukcapil', month: previous } });
    expect(officer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const done = await stack.graphql(FINALIZE_TPP, { login: 'hr.bkpsdm', variables: { agencyId: 'dispendukcapil', month: previous } });
    expect(done.body.errors).toBeUndefined();
    expect(done.body.data.finalizeTppReport).toEqual({ month: previous, finalized: true });
  });

  it("answers NOT_FOUND for an agency BKPSDM's register does not know, finalises nothing, and the month does not read as finalised", async () => {
    const finalize = await stack.graphql(FINALIZE_TPP, { login: 'hr.bkpsdm', variables: { agencyId: 'no-such-agency', month: previous } });
    expect(finalize.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(finalize.body.data ?? null).toBeNull();
    const report = await stack.graphql(TPP_REPORT, { login: 'hr.bkpsdm', variables: { agencyId: 'no-such-agency', month: previous } });
    expect(report.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(report.body.data).toEqual({ tppReport: null });
  });
});
