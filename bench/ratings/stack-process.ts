/**
 * A process of the throughput benchmark's stack (forked by bench/ratings.ts with an IPC channel):
 *   role "all"       directory + ratings + gateway in this one process;
 *   role "subgraphs" directory + ratings (as npm start's subgraph host);
 *   role "gateway"   the gateway, given the supergraph the subgraphs process composed.
 * It reports its URLs with messages, profiles its CPU on request (--profile), and stops when told to.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { startGatewayPart, startSubgraphs, type StackConfig } from './stack';

type Role = 'all' | 'subgraphs' | 'gateway';
const role = (process.argv[2] ?? 'all') as Role;
const config = JSON.parse(process.env.BENCH_STACK ?? '{}') as StackConfig & { supergraphSdl?: string };
const send = (msg: unknown) => process.send!(msg);
const closers: (() => Promise<void>)[] = [];

async function stop(code: number): Promise<never> {
  for (const close of closers) await close().catch(() => undefined);
  process.exit(code);
}

// CPU profile of the measured window only (not start-up): started and written on request.
let session: Session | undefined;
async function profile(action: 'start' | 'stop', file?: string) {
  if (action === 'start') {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
  } else if (session) {
    const { profile: result } = await session.post('Profiler.stop');
    if (file) writeFileSync(file, JSON.stringify(result));
    session.disconnect();
    session = undefined;
  }
  send({ type: `profile-${action}ed` });
}

process.on('message', (msg: { type?: string; action?: 'start' | 'stop'; file?: string } | null) => {
  if (msg?.type === 'stop') void stop(0);
  if (msg?.type === 'profile' && msg.action) void profile(msg.action, msg.file);
});
process.on('disconnect', () => void stop(0));

try {
  let sdl = config.supergraphSdl;
  if (role === 'all' || role === 'subgraphs') {
    const subgraphs = await startSubgraphs(config);
    closers.push(() => subgraphs.close());
    sdl = subgraphs.supergraphSdl;
    send({ type: 'subgraphs', urls: subgraphs.urls, supergraphSdl: subgraphs.supergraphSdl });
  }
  if (role === 'all' || role === 'gateway') {
    if (!sdl) throw new Error('the gateway needs the supergraph (BENCH_STACK.supergraphSdl)');
    const gateway = await startGatewayPart(config, sdl);
    closers.unshift(() => gateway.close());
    send({ type: 'gateway', url: gateway.url });
  }
} catch (err) {
  console.error(`bench stack (${role}): ${(err as Error).stack ?? String(err)}`);
  send({ type: 'error', message: (err as Error).message });
  await stop(1);
}
