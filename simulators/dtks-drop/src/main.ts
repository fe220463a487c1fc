import { createDtksDropSimulator } from './simulator';

/**
 * Writes the first register batch into DTKS_DROP_DIR, answers any pending proposals, then, when
 * DTKS_DROP_INTERVAL_MS > 0, keeps publishing new batches and answering proposals at that pace.
 */
const dir = process.env.DTKS_DROP_DIR ?? '.data/dtks-drop';
const intervalMs = Number(process.env.DTKS_DROP_INTERVAL_MS ?? 0);
if (!Number.isFinite(intervalMs) || intervalMs < 0) throw new Error('DTKS_DROP_INTERVAL_MS must be a non-negative number of milliseconds');

const log = (msg: string, extra: Record<string, unknown> = {}) => console.log(JSON.stringify({ level: 'info', msg, ...extra }));
const sim = createDtksDropSimulator({ dir });
const first = await sim.writeBatch();
log('dtks-drop batch written', { file: first.file, rows: first.rows });
const acks = await sim.processProposals();
if (acks.length) log('dtks-drop proposals acknowledged', { files: acks.map((a) => a.name) });

if (intervalMs > 0) {
  sim.start(
    intervalMs,
    (err) => console.error(JSON.stringify({ level: 'error', msg: 'dtks-drop cycle failed', error: (err as Error).message })),
    (batch, acks) => log('dtks-drop batch written', { file: batch.file, rows: batch.rows, revision: sim.revision, acknowledged: acks.map((a) => a.name) }),
  );
  // The interval timer is unref'd so tests never hang on it; here a kept-alive handle holds the process.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  const stop = () => {
    sim.stop();
    clearInterval(keepAlive);
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  log('dtks-drop publishing', { dir: sim.dir, intervalMs });
}
