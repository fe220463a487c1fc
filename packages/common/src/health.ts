/**
 * Health endpoints, the same three on every Gerbang server (the gateway and each subgraph):
 *
 * - `GET /health/live`: the process can serve. No dependency is called, so a dependency that is
 *   down never gets a healthy process restarted.
 * - `GET /health/ready`: the process's own dependencies answer, the ones without which it can
 *   serve nothing (a subgraph's database; the gateway's supergraph and access log). Load balancers
 *   and orchestrators route on this. Never an agency system nor another subgraph: one agency down
 *   must not take out the fields of the others.
 * - `GET /health/status`: a JSON document for operators and dashboards: readiness plus the state
 *   of everything else (agency systems, subgraphs).
 */
export type CheckStatus = 'up' | 'down';

export interface CheckResult {
  status: CheckStatus;
  /** How long the check took. */
  ms: number;
  /** Why it is down (a short message, e.g. "timed out after 2000 ms"). */
  reason?: string;
}

/** Runs one check with a deadline; never rejects. */
export async function runCheck(check: () => Promise<unknown>, timeoutMs = 2_000): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'up', ms: Math.round(performance.now() - started) };
  } catch (err) {
    return { status: 'down', ms: Math.round(performance.now() - started), reason: (err instanceof Error ? err.message : String(err)).slice(0, 200) };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs named checks in parallel; `ok` when every one is up. */
export async function runChecks(checks: Record<string, () => Promise<unknown>>, timeoutMs?: number): Promise<{ ok: boolean; checks: Record<string, CheckResult> }> {
  const entries = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await runCheck(check, timeoutMs)] as const));
  return { ok: entries.every(([, r]) => r.status === 'up'), checks: Object.fromEntries(entries) };
}

/**
 * A probe that runs at most once per `ttlMs`, whoever asks: callers within the interval get the
 * last result, and callers while a round is running share that round (single flight). Health
 * endpoints answer anyone who can reach them, so without this every hit would be passed on to
 * the dependencies (the gateway's status used to call all eight subgraphs per unauthenticated hit).
 * `probe` should not reject (a rejected round is not kept; the next caller starts a new one).
 */
export class SharedProbe<T> {
  private last: { value: T; at: number } | undefined;
  private inFlight: Promise<T> | undefined;
  /** Rounds started, for tests and metrics. */
  rounds = 0;

  constructor(
    private readonly probe: () => Promise<T>,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<T> {
    // The interval counts from the end of the last round, so rounds never overlap nor follow
    // each other closer than ttlMs.
    if (this.last && this.now() - this.last.at < this.ttlMs) return Promise.resolve(this.last.value);
    if (!this.inFlight) {
      this.rounds++;
      this.inFlight = this.probe()
        .then((value) => {
          this.last = { value, at: this.now() };
          return value;
        })
        .finally(() => {
          this.inFlight = undefined;
        });
    }
    return this.inFlight;
  }

  /** The last completed round, if any (no probe). */
  peek(): T | undefined {
    return this.last?.value;
  }
}
