import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { BENCH_DIR, LOAD_CPU, spawnNode, stopChild, waitForMessage } from './proc';
import { INTERNAL_SECRET } from './common';

/**
 * Gerbang's whole graph for workloads 2 and 3: test/support/stack.ts in one child process (every
 * subgraph and agency-system simulator, on the load generator's CPU), its supergraph composed
 * here, and its IdP's JWKS served over HTTP. Started once per run and shared by both workloads.
 * The subgraphs verify the signing secret drawn for this run, so that Gerbang's gateway runs
 * with NODE_ENV=production (which refuses every secret this repository publishes).
 */
export interface GraphStack {
  child: ChildProcess;
  supergraphPath: string;
  jwksUrl: string;
  issuer: string;
  audience: string;
  tokens: { siti: string };
  /** Sets the latency of every agency-system simulator. */
  setLatency(latencyMs: number, jitterMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function startGraphStack(o: { tmp: string; databaseUrl: string; log: (line: string) => void }): Promise<GraphStack> {
  const logs = join(o.tmp, 'logs');
  mkdirSync(logs, { recursive: true });
  o.log('starting the whole graph (test/support/stack.ts) for workloads 2 and 3 …');
  const child = spawnNode(join(BENCH_DIR, 'workload2', 'stack-child.ts'), {
    cpu: LOAD_CPU,
    env: { DATABASE_URL: o.databaseUrl, NODE_ENV: 'development', E2E_LOG_LEVEL: 'silent', BENCH_INTERNAL_SECRET: INTERNAL_SECRET },
    logFile: join(logs, 'stack.log'),
  });
  let jwks: http.Server | undefined;
  const close = async () => {
    if (child.connected) child.send({ type: 'stop' });
    await stopChild(child, 15_000);
    if (jwks) await new Promise<void>((r) => jwks!.close(() => r()));
  };
  try {
    const ready = await waitForMessage<{
      subgraphUrls: Record<string, string>;
      sdl: Record<string, string>;
      jwks: unknown;
      issuer: string;
      audience: string;
      tokens: { siti: string };
    }>(child, (m) => m.ready, 240_000);
    const composed = composeServices(Object.entries(ready.sdl).map(([name, sdl]) => ({ name, url: ready.subgraphUrls[name]!, typeDefs: parse(sdl) })));
    if (composed.errors?.length) throw new Error(`composition failed: ${composed.errors.map((e) => e.message).join('; ')}`);
    const supergraphPath = join(o.tmp, 'stack-supergraph.graphql');
    writeFileSync(supergraphPath, composed.supergraphSdl!);
    const server = http.createServer((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ready.jwks));
    });
    jwks = server;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    return {
      child,
      supergraphPath,
      jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
      issuer: ready.issuer,
      audience: ready.audience,
      tokens: ready.tokens,
      async setLatency(latencyMs, jitterMs) {
        child.send({ type: 'latency', latencyMs, jitterMs });
        await waitForMessage(child, (m) => m.type === 'latency-set');
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * The environment of Gerbang's production gateway (gateway/src/main.ts, NODE_ENV=production) over
 * the stack: rate limits raised so that the benchmark's load is admitted, every limiter still running.
 */
export function stackGatewayEnv(stack: GraphStack, o: { port: number; dataDir: string; databaseUrl: string; auditSchema: string }): Record<string, string | undefined> {
  return {
    NODE_ENV: 'production',
    PORT: String(o.port),
    HOST: '127.0.0.1',
    SUPERGRAPH_PATH: stack.supergraphPath,
    INTERNAL_SIGNING_SECRET: INTERNAL_SECRET,
    JWT_ISSUER: stack.issuer,
    JWT_AUDIENCE: stack.audience,
    JWT_JWKS_URL: stack.jwksUrl,
    DATA_DIR: o.dataDir,
    DATABASE_URL: o.databaseUrl,
    AUDIT_SCHEMA: o.auditSchema,
    RATE_LIMIT_USER_PER_MINUTE: '100000000',
    RATE_LIMIT_USER_BURST: '100000000',
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '100000000',
    RATE_LIMIT_CLIENT_PER_MINUTE: '100000000',
    REDIS_URL: undefined,
    OTEL_EXPORTER_OTLP_ENDPOINT: undefined,
  };
}
