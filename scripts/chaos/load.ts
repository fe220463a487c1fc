/**
 * The citizens of `npm run chaos`: each reads their tickets and rates one completed ticket after
 * another, as the app does (an idempotency key per rating, retried on anything retryable until it
 * is acknowledged), while a probe reads fields of every agency as warga.siti. Every request is
 * recorded with the scenario it fell in.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importJWK, SignJWT, type JWK } from 'jose';
import { devFeedKey, TicketFeedPublisher, type TicketEvent } from '@gerbang/common';
import { DEV_AUDIENCE, DEV_ISSUER } from '../../gateway/src/dev-idp';

/** What the load reads of the gateway's answers (MyTickets, RateService, the probe). */
interface GraphQLAnswer {
  data?: { rateService?: { id?: string } | null } | null;
  errors?: { path?: (string | number)[]; extensions?: { code?: string } }[];
}

export interface Outcome {
  at: number;
  scenario: string;
  op: 'MyTickets' | 'RateService' | 'Probe';
  /** 'OK', an `extensions.code`, 'HTTP_<status>' without one, or 'NETWORK' (no HTTP answer at all). */
  code: string;
  /** For the probe: the fields that came back as errors. */
  failedFields?: string[];
  /** From sending to the answer (or to giving up on it). */
  ms: number;
}

export interface Acknowledged {
  key: string;
  ticketId: string;
  ratingId: string;
  scenario: string;
}

/** The agencies with systems, a service and officers of each (docs/DEMO-DATA.md). */
const AGENCIES = [
  { id: 'dispendukcapil', service: 'dispendukcapil.ktp-el', officers: ['198703152010011002', '199001222015032004', '198511302009011003'] },
  { id: 'dpmptsp', service: 'dpmptsp.izin-reklame', officers: ['198808082012122001', '199203172019031005'] },
  { id: 'bpkpd', service: 'bpkpd.salinan-sppt', officers: ['198406252008011004', '199107042017082003'] },
  { id: 'dinkesdalduk', service: 'dinkesdalduk.antrean-puskesmas', officers: ['198912112014022002', '199305192020121006'] },
  { id: 'dinsos', service: 'dinsos.usulan-bansos', officers: ['198602142011012005', '199409302022031007'] },
];

/** Synthetic citizens of Trenggalek (NIK 3503 + kecamatan + birth date + serial 9xxx, apart from the demo's). */
function citizens(count: number): { sub: string; nik: string; name: string }[] {
  return Array.from({ length: count }, (_, i) => {
    const kec = String((i % 14) + 1).padStart(2, '0');
    const day = String((i % 28) + 1).padStart(2, '0');
    const month = String((i % 12) + 1).padStart(2, '0');
    return { sub: `usr-chaos-${i + 1}`, nik: `3503${kec}${day}${month}90${String(9000 + i).padStart(4, '0')}`, name: `Warga Uji ${i + 1}` };
  });
}

const PROBE = `query ChaosProbe {
  agencies(search: "dukcapil", first: 1) { id }
  me { name tickets(first: 20) { id agency { name } officer { name }
    populationRequest { id } permitApplication { id } taxServiceRequest { id } clinicBooking { id } aidProposal { id } } }
}`;
const MY_TICKETS = 'query MyTickets { me { id tickets(first: 20) { id status canRate } } }';
const RATE = 'mutation RateService($input: RateServiceInput!) { rateService(input: $input) { id stars ticket { id canRate } } }';

/** Codes after which the app tries the same rating again (same idempotency key). */
const RETRYABLE = new Set([
  'NETWORK',
  'UPSTREAM_UNAVAILABLE',
  'SERVICE_UNAVAILABLE',
  'OVERLOADED',
  'RATE_LIMITED',
  'INTERNAL_SERVER_ERROR',
  'HTTP_502',
  'HTTP_503',
  'HTTP_504',
  'HTTP_500',
  'UNAUTHENTICATED',
]);

export class Load {
  scenario = 'warm-up';
  readonly outcomes: Outcome[] = [];
  readonly acknowledged: Acknowledged[] = [];
  /** Keys given up on (a non-retryable refusal), with the code. */
  readonly abandoned: { key: string; code: string; scenario: string }[] = [];
  readonly keys = new Set<string>();
  private stopped = false;
  private loops: Promise<void>[] = [];

  constructor(private readonly o: { gateway: string; ratingsUrl: string; dataDir: string; run: string; citizens: number; ticketsEach: number; pauseMs: number }) {}

  private async tokenFor(who: { sub: string; nik: string; name: string }, jwk: JWK): Promise<string> {
    const key = await importJWK(jwk, 'ES256');
    return new SignJWT({ roles: ['citizen'], name: who.name, nik: who.nik })
      .setProtectedHeader({ alg: 'ES256', kid: jwk.kid ?? 'gerbang-dev-1', typ: 'JWT' })
      .setSubject(who.sub)
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('2h')
      .sign(key);
  }

  /** Publishes each citizen's completed tickets to the ledger, as their agencies' feeds would. */
  async prepare(): Promise<{ tokens: string[]; tickets: string[][]; probeToken: string }> {
    const jwk = JSON.parse(readFileSync(join(this.o.dataDir, 'dev-idp', 'key.json'), 'utf8')) as JWK;
    const people = citizens(this.o.citizens);
    const completed = new Date(Date.now() - 24 * 3600_000).toISOString();
    const submitted = new Date(Date.now() - 3 * 24 * 3600_000).toISOString();
    const tickets: string[][] = people.map(() => []);
    const byAgency = new Map<string, TicketEvent[]>();
    people.forEach((p, i) => {
      for (let t = 0; t < this.o.ticketsEach; t++) {
        const a = AGENCIES[(i + t) % AGENCIES.length]!;
        const local = `CHAOS-${this.o.run}-${i + 1}-${t + 1}`;
        const ticketId = `${a.id}:${local}`;
        tickets[i]!.push(ticketId);
        const events = byAgency.get(a.id) ?? [];
        events.push({
          ticketId,
          citizenNik: p.nik,
          serviceId: a.service,
          officerId: a.officers[t % a.officers.length]!,
          status: 'COMPLETED',
          submittedAt: submitted,
          completedAt: completed,
          version: 1,
        });
        byAgency.set(a.id, events);
      }
    });
    for (const [agencyId, events] of byAgency) {
      const feed = new TicketFeedPublisher({ ledgerUrl: this.o.ratingsUrl, agencyId, key: devFeedKey(agencyId), timeoutMs: 30_000 });
      for (let i = 0; i < events.length; i += 500) await feed.publish(events.slice(i, i + 500));
    }
    const tokens = await Promise.all(people.map((p) => this.tokenFor(p, jwk)));
    const probeToken = await this.tokenFor({ sub: 'usr-warga-siti', nik: '3503115708900001', name: 'Siti Rahayu' }, jwk);
    return { tokens, tickets, probeToken };
  }

  private async post(token: string, query: string, variables: Record<string, unknown>, deviceId: string, timeoutMs = 15_000): Promise<{ code: string; body?: GraphQLAnswer | null; ms: number }> {
    const t = performance.now();
    const r = await this.send(token, query, variables, deviceId, timeoutMs);
    return { ...r, ms: performance.now() - t };
  }

  private async send(token: string, query: string, variables: Record<string, unknown>, deviceId: string, timeoutMs: number): Promise<{ code: string; body?: GraphQLAnswer | null }> {
    try {
      const res = await fetch(this.o.gateway, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${token}`, 'x-device-id': deviceId },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      let body: GraphQLAnswer | null;
      try {
        body = JSON.parse(text) as GraphQLAnswer | null;
      } catch {
        return { code: `HTTP_${res.status}` };
      }
      const first = body?.errors?.[0]?.extensions?.code;
      if (!res.ok) return { code: first ?? `HTTP_${res.status}`, body };
      return { code: body?.errors?.length ? (first ?? 'ERROR') : 'OK', body };
    } catch {
      return { code: 'NETWORK' };
    }
  }

  private record(op: Outcome['op'], r: { code: string; ms: number }, failedFields?: string[]): void {
    this.outcomes.push({ at: Date.now(), scenario: this.scenario, op, code: r.code, ms: r.ms, ...(failedFields ? { failedFields } : {}) });
  }

  /** The fields of every agency, as warga.siti: which came back as errors. */
  async probe(token: string): Promise<{ ok: boolean; failedFields: string[]; code: string }> {
    const r = await this.post(token, PROBE, {}, 'chaos-probe-device', 10_000);
    const failed = new Set<string>();
    for (const e of r.body?.errors ?? []) {
      const field = [...(e.path ?? [])].reverse().find((p) => typeof p === 'string');
      failed.add(typeof field === 'string' ? field : 'request');
    }
    if (!r.body?.data) failed.add('request');
    const failedFields = [...failed].sort();
    this.record('Probe', r, failedFields);
    return { ok: r.code === 'OK' && failedFields.length === 0, failedFields, code: r.code };
  }

  start(tokens: string[], tickets: string[][]): void {
    this.loops = tokens.map((token, i) => this.citizen(token, tickets[i]!, `chaos-device-${i + 1}`));
  }

  private async citizen(token: string, tickets: string[], deviceId: string): Promise<void> {
    let next = 0;
    // Spread the citizens over the pause.
    await new Promise((r) => setTimeout(r, Math.random() * this.o.pauseMs));
    while (!this.stopped && next < tickets.length) {
      const read = await this.post(token, MY_TICKETS, {}, deviceId);
      this.record('MyTickets', read);
      const ticketId = tickets[next++]!;
      const key = `chaos-${this.o.run}-${ticketId.replace(/[^A-Za-z0-9._:-]/g, '_')}`;
      this.keys.add(key);
      const scenario = this.scenario;
      // The app's retry: the same rating, the same key, until it is acknowledged.
      for (let attempt = 0; ; attempt++) {
        const r = await this.post(token, RATE, { input: { ticketId, stars: 1 + (next % 5), comment: 'Uji ketahanan sistem.', idempotencyKey: key } }, deviceId);
        this.record('RateService', r);
        const id = r.body?.data?.rateService?.id;
        if (r.code === 'OK' && id) {
          this.acknowledged.push({ key, ticketId, ratingId: id, scenario });
          break;
        }
        if (!RETRYABLE.has(r.code)) {
          this.abandoned.push({ key, code: r.code, scenario });
          break;
        }
        // Keeps trying after the load stops: an app retries until it has an answer.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- stop() sets it while this awaits; TypeScript keeps the loop condition's narrowing
        if (this.stopped && attempt > 60) {
          this.abandoned.push({ key, code: `GAVE_UP_AFTER_${r.code}`, scenario });
          break;
        }
        await new Promise((res) => setTimeout(res, Math.min(2_000, 200 * 2 ** Math.min(attempt, 4))));
      }
      await new Promise((r) => setTimeout(r, this.o.pauseMs));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }
}
