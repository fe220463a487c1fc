import { createLogger, devFeedKey, signRequest, TICKET_FEED_AUDIENCE, TICKET_FEED_PATH, verifierFromSecret, type Caller, type Logger, type TicketEvent } from '@gerbang/common';
import type { EventBus } from '@gerbang/common/events';
import { callSubgraph, TEST_INTERNAL_SECRET, testOrm } from '@gerbang/testing';
import { createRatingsServer, defaultRatingsConfig, migrations, MemoryStaffDirectory, type RatingsConfig, type StaffDirectory } from '../src/server';

/** A ratings subgraph on a fresh schema, with a clock the test moves. */
export async function startRatings(options: { config?: Partial<RatingsConfig>; staff?: StaffDirectory; now?: Date; logger?: Logger; events?: EventBus } = {}) {
  const db = await testOrm({ schemaPrefix: 'ratings', migrations, poolMax: 5 });
  const clock = { now: options.now ?? new Date('2026-03-20T03:00:00Z') };
  // The register check runs only when a test drives it (registerCheckNow), unless one asks otherwise.
  const config = defaultRatingsConfig({ ...options.config, registerCheck: { ...defaultRatingsConfig().registerCheck, intervalMs: 0, ...options.config?.registerCheck } });
  const staff = options.staff ?? new MemoryStaffDirectory([]);
  const app = await createRatingsServer({
    orm: db.orm,
    logger: options.logger ?? createLogger('ratings', 'silent'),
    verifier: verifierFromSecret(TEST_INTERNAL_SECRET),
    config,
    staff,
    now: () => clock.now,
    ...(options.events ? { events: options.events } : {}),
  });
  const running = await app.listen(0);
  const url = running.url;
  return {
    db,
    orm: db.orm,
    url,
    clock,
    config,
    staff,
    schema: db.schema,
    /** One run of the register check of held ratings, at the test's clock. */
    registerCheckNow: () => app.registerCheckNow(),
    /** One run of the notification sender, at the test's clock. */
    notifyNow: () => app.notifyNow(),
    /** Moves the clock. */
    at(iso: string) {
      clock.now = new Date(iso);
    },
    call<T = any>(query: string, caller?: Caller, variables?: Record<string, unknown>) {
      return callSubgraph<T>(url, query, { audience: 'ratings', ...(caller ? { caller } : {}), ...(variables ? { variables } : {}) });
    },
    /** Publishes ticket events as an agency subgraph would (signed with the agency's feed key). */
    publish(agencyId: string, events: Partial<TicketEvent>[], opts: { key?: string; envelopeAgency?: string; unsigned?: boolean; audience?: string } = {}) {
      const body = JSON.stringify({ agencyId, events });
      const envelopeAgency = opts.envelopeAgency ?? agencyId;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (!opts.unsigned) {
        Object.assign(
          headers,
          signRequest(opts.key ?? devFeedKey(envelopeAgency), body, { roles: [], sub: `feed:${envelopeAgency}`, agencyId: envelopeAgency }, opts.audience ?? TICKET_FEED_AUDIENCE),
        );
      }
      return fetch(`${url}${TICKET_FEED_PATH}`, { method: 'POST', headers, body }).then(async (res) => ({ status: res.status, body: (await res.json()) as any }));
    },
    sql<T = any>(text: string, params: unknown[] = []): Promise<T[]> {
      return db.orm.em
        .fork()
        .getConnection()
        .execute<T[]>(text.replaceAll('$s', `"${db.schema}"`), params, 'all');
    },
    async stop() {
      await running.close();
      await db.drop();
    },
  };
}
export type Ratings = Awaited<ReturnType<typeof startRatings>>;

/** A valid Trenggalek NIK per citizen number (kecamatan 11, born 01-01-1990). */
export const nik = (i: number) => `350311010190${String(i + 1).padStart(4, '0')}`;
export const citizen = (i: number): Caller => ({ sub: `usr-citizen-${i}`, roles: ['citizen'], nik: nik(i) });

export const ticket = (agencyId: string, id: string, over: Partial<TicketEvent> = {}): TicketEvent => ({
  ticketId: `${agencyId}:${id}`,
  citizenNik: nik(0),
  serviceId: `${agencyId}.layanan`,
  officerId: '198703152010011002',
  status: 'COMPLETED',
  submittedAt: '2026-03-16T09:00:00+07:00',
  completedAt: '2026-03-18T10:00:00+07:00',
  version: 1,
  ...over,
});

export const RATE = `mutation RateService($input: RateServiceInput!) { rateService(input: $input) { id stars ticket { id canRate } } }`;

export const codeOf = (body: { errors?: { extensions?: Record<string, unknown> }[] }) => body.errors?.[0]?.extensions?.code;
