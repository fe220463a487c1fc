/**
 * Child process: the load generator (autocannon, pinned in bench/gateway/vendor), on its own CPU.
 * Receives one LoadSpec over IPC, runs a warm-up, tells the parent that the measured window
 * starts, measures, and sends a LoadResult. Every response is checked: a status other than 200,
 * or a body that is not byte-for-byte the body verified before the run, counts as an error.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { BENCH_DIR } from './proc';

export interface LoadRequest {
  method: 'POST' | 'GET';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadSpec {
  url: string;
  /** Requests cycled through by every connection (one for workload 1). */
  requests: LoadRequest[];
  /** Bearer tokens: connection i sends tokens[i % tokens.length] (one user per connection). */
  tokens?: string[];
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** Exact expected body per request index; absent: only the status (and no "errors") is checked. */
  expectedBodies?: (string | undefined)[];
  /** For bodies that vary (ids, times): the response must parse and have no `errors`. */
  checkNoErrors?: boolean;
  timeoutSeconds?: number;
  /** Every occurrence of `placeholder` in a request body becomes a number unique to the request, from `start` on. */
  counter?: { placeholder: string; start: number };
}

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  errorKinds: Record<string, number>;
  bytesPerResponse: number;
}

const require = createRequire(join(BENCH_DIR, 'vendor', 'package.json'));
const autocannon = require('autocannon');

function percentile(sorted: Float64Array, p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

let counter = 0;

function run(spec: LoadSpec, seconds: number, _measure: boolean): Promise<LoadResult> {
  if (spec.counter && counter === 0) counter = spec.counter.start;
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const errorKinds: Record<string, number> = {};
    const bump = (k: string) => (errorKinds[k] = (errorKinds[k] ?? 0) + 1);
    let bytes = 0;
    let ok = 0;
    let nextToken = 0;
    const tokens = spec.tokens ?? [];
    const requests = spec.requests.map((r, i) => ({
      method: r.method,
      path: r.path,
      headers: r.headers,
      ...(r.body !== undefined ? { body: r.body } : {}),
      setupRequest: (req: any, context: any) => {
        if (spec.counter && r.body) req.body = r.body.split(spec.counter.placeholder).join(String(counter++));
        if (tokens.length) {
          if (context.token === undefined) context.token = tokens[nextToken++ % tokens.length];
          req.headers = { ...r.headers, authorization: `Bearer ${context.token}` };
        }
        return req;
      },
      onResponse: (status: number, body: string) => {
        if (status !== 200) return bump(`http ${status}`);
        const expected = spec.expectedBodies?.[i];
        if (expected !== undefined) {
          if (body !== expected) return bump('body differs from the verified one');
        } else if (spec.checkNoErrors) {
          try {
            const parsed = JSON.parse(body);
            if (parsed.errors?.length || !parsed.data) return bump(`graphql error: ${String(parsed.errors?.[0]?.message).slice(0, 80)}`);
          } catch {
            return bump('body is not JSON');
          }
        }
        ok++;
      },
    }));
    const started = performance.now();
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: seconds,
        requests,
        timeout: spec.timeoutSeconds ?? 10,
        // Keep-alive, one request in flight per connection (50 virtual users), like k6's VUs.
        pipelining: 1,
      },
      (err: Error | null, result: any) => {
        if (err) return reject(err);
        const elapsed = (performance.now() - started) / 1000;
        if (result.errors) errorKinds['connection errors'] = result.errors;
        if (result.timeouts) errorKinds.timeouts = result.timeouts;
        const sorted = Float64Array.from(latencies).sort();
        const errors = Object.values(errorKinds).reduce((a, b) => a + b, 0);
        resolve({
          requests: ok,
          seconds: elapsed,
          rps: ok / elapsed,
          p50: percentile(sorted, 50),
          p95: percentile(sorted, 95),
          p99: percentile(sorted, 99),
          max: sorted.length ? sorted[sorted.length - 1]! : NaN,
          errors,
          errorKinds,
          bytesPerResponse: latencies.length ? bytes / latencies.length : 0,
        });
      },
    );
    instance.on('response', (_client: unknown, _status: number, resBytes: number, responseTime: number) => {
      latencies.push(responseTime);
      bytes += resBytes;
    });
  });
}

process.on('message', async (spec: LoadSpec) => {
  try {
    if (spec.warmupSeconds > 0) await run(spec, spec.warmupSeconds, false);
    process.send!({ measuring: true });
    const result = await run(spec, spec.durationSeconds, true);
    process.send!({ result });
  } catch (err) {
    process.send!({ error: (err as Error).stack ?? String(err) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true });
