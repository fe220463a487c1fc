import type http from 'node:http';
import { bearerMatches, runCheck, runChecks, sendJson, SharedProbe, type CheckResult } from '@gerbang/common';

/**
 * The gateway's health endpoints (the three of common's health.ts, plus the clients' /health):
 *
 * | path | answers | status |
 * |---|---|---|
 * | /health/live | the process serves; calls nothing | always 200 |
 * | /health/ready | the supergraph is loaded and the gateway's own store (the access log) answers; never the subgraphs; 503 from the moment a shutdown begins (`drain`) | 200 / 503 |
 * | /health/status | a JSON document: readiness, the gateway's dependencies, each subgraph's state (and its agency systems') | 200 while ready / 503; METRICS_TOKEN when set |
 * | /health | the clients' contract: 200 once every subgraph is reachable (and the gateway ready), else 503 | 200 / 503 |
 *
 * Readiness leaves the subgraphs out on purpose: a load balancer or an orchestrator that saw one
 * agency's subgraph down in every gateway's readiness would take the whole hub out, while the
 * gateway still answers every other agency's fields (and UPSTREAM_UNAVAILABLE for that one's).
 * Redis is reported but is not readiness either: without it the gateway falls back to in-memory
 * rate limits and APQ misses, so it still serves, and a shared Redis down would otherwise take
 * every replica out at once.
 *
 * Every hit is answered from shared probe rounds (SharedProbe): the subgraphs are asked at most
 * once per `subgraphCacheMs` whoever calls, the gateway's own store at most once a second.
 */
export interface SubgraphTarget {
  name: string;
  /** Its GraphQL URL; the health endpoints are beside it. */
  url: string;
}

export interface SubgraphState extends CheckResult {
  /** The gateway's circuit breaker for this subgraph (from real traffic). */
  circuit?: string;
  /** The subgraph's own status document (its database, its agency systems). */
  detail?: Record<string, unknown>;
}

export interface GatewayHealthOptions {
  /** The subgraphs of the current supergraph (read each round: a reload may change them). */
  subgraphs: () => SubgraphTarget[];
  circuitOf?: (name: string) => string | undefined;
  /** The gateway's own dependencies: readiness. */
  ready: Record<string, () => Promise<unknown>>;
  /** Dependencies it serves without (degraded): reported only. */
  optional?: Record<string, () => Promise<unknown>>;
  /** How long one round of subgraph probes is reused (default 5000 ms). */
  subgraphCacheMs?: number;
  /** How long the own-dependency checks are reused (default 1000 ms). */
  ownCacheMs?: number;
  /** Deadline of one probe (default 2000 ms). */
  probeTimeoutMs?: number;
  /** Bearer token required by /health/status, when set (METRICS_TOKEN). */
  token?: string;
}

interface OwnRound {
  ok: boolean;
  checks: Record<string, CheckResult>;
  optional: Record<string, CheckResult>;
}

export class GatewayHealth {
  private readonly own: SharedProbe<OwnRound>;
  private readonly round: SharedProbe<{ at: string; subgraphs: Record<string, SubgraphState> }>;
  /** Health requests sent to each subgraph (tests: the load a flood of hits passes on). */
  readonly probesSent = new Map<string, number>();
  private draining = false;

  constructor(private readonly options: GatewayHealthOptions) {
    const timeout = options.probeTimeoutMs ?? 2_000;
    this.own = new SharedProbe(async () => {
      const [required, optional] = await Promise.all([runChecks(options.ready, timeout), runChecks(options.optional ?? {}, timeout)]);
      return { ok: required.ok, checks: required.checks, optional: optional.checks };
    }, options.ownCacheMs ?? 1_000);
    this.round = new SharedProbe(async () => {
      const targets = options.subgraphs();
      const states = await Promise.all(targets.map(async (s) => [s.name, await this.probe(s, timeout)] as const));
      return { at: new Date().toISOString(), subgraphs: Object.fromEntries(states) };
    }, options.subgraphCacheMs ?? 5_000);
  }

  private async probe(target: SubgraphTarget, timeoutMs: number): Promise<SubgraphState> {
    this.probesSent.set(target.name, (this.probesSent.get(target.name) ?? 0) + 1);
    let detail: Record<string, unknown> | undefined;
    const result = await runCheck(async () => {
      const res = await fetch(target.url.replace(/\/graphql$/, '/health/status'), { signal: AbortSignal.timeout(timeoutMs) });
      const text = await res.text();
      try {
        const parsed = JSON.parse(text) as unknown;
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
          const { service: _service, ...rest } = parsed as Record<string, unknown>;
          detail = rest;
        }
      } catch {
        /* not a status document: the HTTP status decides */
      }
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
    }, timeoutMs);
    const circuit = this.options.circuitOf?.(target.name);
    return { ...result, ...(circuit ? { circuit } : {}), ...(detail ? { detail } : {}) };
  }

  /**
   * A shutdown has begun (server.ts `close`): from now on the gateway is not ready, whatever its
   * dependencies say, so that load balancers send it nothing new while it finishes what it holds.
   */
  drain(): void {
    this.draining = true;
  }

  /** The rounds run so far (tests). */
  get subgraphRounds(): number {
    return this.round.rounds;
  }

  /** Serves the health paths; false when `path` is none of them. */
  async serve(path: string, req: http.IncomingMessage, res: http.ServerResponse, headers: Record<string, string>): Promise<boolean> {
    const h = { ...headers, 'cache-control': 'no-store' };
    switch (path) {
      case '/health/live':
        sendJson(res, 200, { status: 'ok' }, h);
        return true;
      case '/health/ready': {
        if (this.draining) {
          sendJson(res, 503, { status: 'draining' }, h);
          return true;
        }
        const own = await this.own.get();
        // Public (load balancers ask without credentials): states only, no reasons.
        sendJson(res, own.ok ? 200 : 503, { status: own.ok ? 'ok' : 'unavailable', checks: Object.fromEntries(Object.entries(own.checks).map(([k, v]) => [k, v.status])) }, h);
        return true;
      }
      case '/health/status': {
        if (this.options.token && !bearerMatches(req.headers.authorization, this.options.token)) {
          sendJson(res, 401, { error: 'unauthorized' }, h);
          return true;
        }
        const [own, round] = await Promise.all([this.own.get(), this.round.get()]);
        const allUp = Object.values(round.subgraphs).every((s) => s.status === 'up');
        const ready = own.ok && !this.draining;
        sendJson(
          res,
          ready ? 200 : 503,
          {
            status: this.draining ? 'draining' : !own.ok ? 'unavailable' : allUp ? 'ok' : 'degraded',
            live: true,
            ready,
            gateway: { ...own.checks, ...own.optional },
            subgraphsCheckedAt: round.at,
            subgraphs: round.subgraphs,
          },
          h,
        );
        return true;
      }
      case '/health': {
        // The clients' contract: "GET /health answers 200 once every subgraph is reachable".
        const [own, round] = await Promise.all([this.own.get(), this.round.get()]);
        const allUp = Object.values(round.subgraphs).every((s) => s.status === 'up');
        const ok = own.ok && allUp && !this.draining;
        sendJson(
          res,
          ok ? 200 : 503,
          { status: this.draining ? 'draining' : ok ? 'ok' : own.ok ? 'degraded' : 'unavailable', subgraphs: Object.fromEntries(Object.entries(round.subgraphs).map(([name, s]) => [name, s.status])) },
          h,
        );
        return true;
      }
      default:
        return false;
    }
  }
}
