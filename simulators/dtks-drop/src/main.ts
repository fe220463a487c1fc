import http from 'node:http';
import { join } from 'node:path';
import { readBody, sendJson, simLogger } from '@gerbang/simkit';
import { createDtksDropSimulator, type DropFaults } from './simulator';

/**
 * Writes the first register batch into DTKS_DROP_DIR (default DATA_DIR/dtks-drop), answers any
 * pending proposals, then keeps publishing new batches and answering proposals every
 * DTKS_DROP_INTERVAL_MS (0 = only on request).
 * The exchange itself is files; a small control plane on PORT lets people and tests steer it like
 * every other simulator: GET /__sim/health, GET|POST|DELETE /__sim/faults ({"down":true} moves the
 * folder away, {"corruptNext":true} truncates the next batch), POST /__sim/batch writes one now.
 */
// Unset: DATA_DIR/dtks-drop. A process writes under its DATA_DIR only, never its working
// directory (in the image that is the application's own, read-only to the user it runs as).
const dir = process.env.DTKS_DROP_DIR ?? join(process.env.DATA_DIR ?? '.data', 'dtks-drop');
const intervalMs = Number(process.env.DTKS_DROP_INTERVAL_MS ?? 0);
const port = Number(process.env.PORT ?? 4107);
if (!Number.isFinite(intervalMs) || intervalMs < 0) throw new Error('DTKS_DROP_INTERVAL_MS must be a non-negative number of milliseconds');

const log = simLogger('dtks-drop');
const sim = createDtksDropSimulator({ dir });
const first = await sim.writeBatch();
log.info({ file: first.file, rows: first.rows }, 'dtks-drop batch written');
const acks = await sim.processProposals();
if (acks.length) log.info({ files: acks.map((a) => a.name) }, 'dtks-drop proposals acknowledged');

if (intervalMs > 0) {
  sim.start(
    intervalMs,
    (err) => log.error({ err: (err as Error).message }, 'dtks-drop cycle failed'),
    // Every interval, for as long as it runs: routine, so debug (LOG_LEVEL=debug shows each batch).
    (batch, acks) => log.debug({ file: batch.file, rows: batch.rows, revision: sim.revision, acknowledged: acks.map((a) => a.name) }, 'dtks-drop batch written'),
  );
}

const control = http.createServer(async (req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  try {
    const body = await readBody(req, 10_000);
    if (path === '/__sim/health') return sendJson(res, 200, { status: 'ok', name: 'dtks-drop', dir: sim.dir });
    if (path === '/__sim/faults') {
      if (req.method === 'POST') return sendJson(res, 200, sim.faults.set(body.length ? (JSON.parse(body.toString('utf8')) as Partial<DropFaults>) : {}));
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
  log.fatal(err.code === 'EADDRINUSE' ? `dtks-drop simulator: port ${port} is already in use; set PORT to a free port.` : err.message);
  process.exit(1);
});
control.listen(port, process.env.HOST ?? '127.0.0.1', () => {
  const address = control.address();
  log.info({ port: typeof address === 'object' && address ? address.port : port, dir: sim.dir, intervalMs }, 'dtks-drop control plane listening');
});

const stop = () => {
  sim.stop();
  control.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
