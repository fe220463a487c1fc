import { mkdir, open, readFile, readdir, rename, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Upstream, UpstreamRejectedError, type UpstreamOptions } from '@gerbang/common';
import type { BatchFile, BatchListing, BatchManifest, DtksDrop } from './registry';

/** Names as the DTSEN interface agreement fixes them. */
const BATCH_FILE_PATTERN = /^DTSEN_3503_(\d{8})_(\d{3})\.csv$/;
const PROPOSAL_FILE_PATTERN = /^USULAN_[A-Za-z0-9_-]+\.csv$/;
const OUTBOX_DIR = 'outbox';
const ACK_DIR = 'ack';
const ackNameFor = (proposalFileName: string) => `ACK_${proposalFileName}`;

/**
 * `sha256sum` format plus `# key=value` lines:
 *   <64 hex>  <file name>
 *   # rows=<data records>
 *   # periode=<YYYY-MM>
 */
export function parseManifest(text: string): BatchManifest {
  const [first, ...rest] = text.split(/\r?\n/);
  const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(first ?? '');
  if (!m) throw new Error('first line is not "<sha256>  <file name>"');
  const fields = new Map<string, string>();
  for (const line of rest) {
    const kv = /^# ([a-z_]+)=(.*)$/.exec(line.trim());
    if (kv) fields.set(kv[1]!, kv[2]!.trim());
  }
  const rows = Number(fields.get('rows'));
  if (!fields.has('rows') || !Number.isInteger(rows) || rows < 0) throw new Error('missing "# rows=<n>"');
  const periode = fields.get('periode') ?? null;
  if (periode !== null && !/^\d{4}-(0[1-9]|1[0-2])$/.test(periode)) throw new Error(`"# periode=${periode}" is not YYYY-MM`);
  return { sha256: m[1]!, name: m[2]!, rows, periode };
}

const code = (err: unknown) => (err as NodeJS.ErrnoException).code;

/** Rejects when `signal` aborts: a file share that hangs must not hold a request past its deadline. */
function withDeadline<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((res, rej) => {
    const onAbort = () => rej(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        res(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        rej(e);
      },
    );
  });
}

/**
 * Dinsos PPPA's DTSEN drop folder (a mounted share), behind the same guard as every agency system:
 * a deadline per operation, retries for reads only, and a circuit breaker. A folder that is gone
 * (unmounted share) is the system being down: UPSTREAM_UNAVAILABLE naming "Dinsos DTSEN drop
 * folder". A single missing file inside a reachable folder is a typed NOT_FOUND instead.
 *
 * The hub never creates the drop folder itself (only its outbox/ inside an existing one): a share
 * that is not mounted must stay visibly missing, not be replaced by an empty local directory.
 */
export class DtksDropFolder implements DtksDrop {
  readonly upstream: Upstream;
  readonly dir: string;

  constructor(options: { dir: string } & Partial<Omit<UpstreamOptions, 'service'>>) {
    const { dir, ...upstream } = options;
    this.dir = resolve(dir);
    this.upstream = new Upstream({ service: 'Dinsos DTSEN drop folder', timeoutMs: 5_000, ...upstream });
  }

  private run<T>(fn: () => Promise<T>, idempotent: boolean): Promise<T> {
    return this.upstream.call((signal) => withDeadline(signal, fn()), { idempotent });
  }

  /** Throws a plain error (→ UPSTREAM_UNAVAILABLE) when the folder itself is not there. */
  private async ensureOnline(): Promise<void> {
    try {
      const s = await stat(this.dir);
      if (!s.isDirectory()) throw new Error(`${this.dir} is not a directory`);
    } catch (err) {
      if (code(err) === 'ENOENT') throw new Error(`drop folder ${this.dir} is not reachable (ENOENT)`, { cause: err });
      throw err;
    }
  }

  private async readInside(path: string, what: string): Promise<Buffer> {
    try {
      return await readFile(path);
    } catch (err) {
      if (code(err) !== 'ENOENT') throw err;
      await this.ensureOnline();
      throw new UpstreamRejectedError(this.upstream.service, `${what} is not in the drop folder`, 'NOT_FOUND');
    }
  }

  listBatches(): Promise<BatchListing[]> {
    return this.run(async () => {
      await this.ensureOnline();
      const entries = await readdir(this.dir, { withFileTypes: true });
      const names = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
      const out: BatchListing[] = [];
      for (const name of [...names].filter((n) => BATCH_FILE_PATTERN.test(n)).sort()) {
        try {
          const s = await stat(join(this.dir, name));
          out.push({ name, size: s.size, modifiedAt: s.mtime, hasManifest: names.has(`${name}.sha256`) });
        } catch (err) {
          if (code(err) !== 'ENOENT') throw err; // replaced between listing and stat: seen next time
        }
      }
      return out;
    }, true);
  }

  readManifest(name: string): Promise<{ manifest: BatchManifest | null; problem?: string }> {
    return this.run(async () => {
      const found = await this.readManifestRaw(name);
      if (!found.manifest && !found.problem) await this.ensureOnline();
      return found;
    }, true);
  }

  readBatch(name: string): Promise<BatchFile> {
    if (!BATCH_FILE_PATTERN.test(name)) return Promise.reject(new UpstreamRejectedError(this.upstream.service, `not a batch file name: ${name}`));
    return this.run(async () => {
      const path = join(this.dir, name);
      // Manifest first: the producer writes it last, so a manifest seen before the content means
      // the content read next is at least as new as the manifest.
      const { manifest, problem } = await this.readManifestRaw(name);
      const content = await this.readInside(path, name);
      const s = await stat(path).catch(() => null);
      return { name, content, modifiedAt: s?.mtime ?? new Date(), manifest, ...(problem ? { manifestProblem: problem } : {}) };
    }, true);
  }

  private async readManifestRaw(name: string): Promise<{ manifest: BatchManifest | null; problem?: string }> {
    try {
      return { manifest: parseManifest(await readFile(join(this.dir, `${name}.sha256`), 'utf8')) };
    } catch (err) {
      if (code(err) === 'ENOENT') return { manifest: null };
      if (code(err)) throw err;
      return { manifest: null, problem: `manifest unreadable: ${(err as Error).message}` };
    }
  }

  /**
   * Same name, same content: repeating the write leaves the same file, so the call is safe to
   * retry. The temporary name ends in `.tmp`, which Dinsos's reader ignores (it takes `*.csv`).
   */
  writeProposalFile(name: string, content: string): Promise<void> {
    if (!PROPOSAL_FILE_PATTERN.test(name)) return Promise.reject(new UpstreamRejectedError(this.upstream.service, `not a proposal file name: ${name}`));
    return this.run(async () => {
      await this.ensureOnline();
      const outbox = join(this.dir, OUTBOX_DIR);
      await mkdir(outbox).catch((err: unknown) => {
        if (code(err) !== 'EEXIST') throw err;
      });
      const file = join(outbox, name);
      const tmp = `${file}.tmp`;
      const handle = await open(tmp, 'w');
      try {
        await handle.writeFile(content, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, file);
    }, true);
  }

  readAck(proposalFileName: string): Promise<string | null> {
    return this.run(async () => {
      try {
        return await readFile(join(this.dir, ACK_DIR, ackNameFor(proposalFileName)), 'utf8');
      } catch (err) {
        if (code(err) !== 'ENOENT') throw err;
        await this.ensureOnline();
        return null;
      }
    }, true);
  }
}
