import http from 'node:http';
import { readBody, sendJson } from '@gerbang/simkit';
import { createDtksDropSimulator } from './simulator';

/**
 * Writes the first register batch into DTKS_DROP_DIR, answers any pending proposals, then keeps
 * publishing new batches and answering proposals every DTKS_DROP_INTERVAL_MS (0 = only on request).
 * The exchange itself is files; a small control plane on PORT lets people and tests steer it like
 * every other simulator: GET /__sim/health, GET|POST|DELETE /__sim/faults ({"down":true} moves the
 * folder away, {"corruptNext":true} truncates the next batch), POST /__sim/batch writes one now.
 */
const dir = process.env.DTKS_DROP_DIR ?? '.data/dtks-drop';
const intervalMs = Number(process.env.DTKS_DROP_INTERVAL_MS ?? 0);
const port = Number(process.env.PORT ?? 4107);
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
}

const control = http.createServer(async (req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  try {
    const body = await readBody(req, 10_000);
    if (path === '/__sim/health') return sendJson(res, 200, { status: 'ok', name: 'dtks-drop', dir: sim.dir });
    if (path === '/__sim/faults') {
      if (req.method === 'POST') return sendJson(res, 200, sim.faults.set(body.length ? JSON.parse(body.toString('utf8')) : {}));
      if (req.method === 'DELETE') return sendJson(res, 200, sim.faults.reset());
      return sendJson(res, 200, sim.faults.get());
    }
    if (path === '/__sim/batch' && req.method === 'POST') {
      const batch = await sim.writeBatch();
      const answered = await sim.processProposals();
      return sendJson(res, 200, { file: batch.file, rows: batch.rows, acknowledged: answered.map((a) => a.name) });
    }
    return sendJson(res, 404, { error: 'unknown control route' });
  } catch (err) {
    return sendJson(res, 500, { error: (err as Error).message });
  }
});
control.once('error', (err: NodeJS.ErrnoException) => {
  console.error(err.code === 'EADDRINUSE' ? `dtks-drop simulator: port ${port} is already in use; set PORT to a free port.` : err.message);
  process.exit(1);
});
control.listen(port, process.env.HOST ?? '127.0.0.1', () => log('dtks-drop control plane listening', { port, dir: sim.dir, intervalMs }));

const stop = () => {
  sim.stop();
  control.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
