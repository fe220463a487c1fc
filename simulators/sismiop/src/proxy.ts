import net from 'node:net';
import { Transform, type TransformCallback } from 'node:stream';
import { CallStats, FaultState, createSimulator, sendJson, type Faults, type Simulator } from '@gerbang/simkit';

/**
 * A TCP proxy in front of PostgreSQL, so the hub's adapter can meet a slow or dead legacy database
 * over the wire, exactly as its `pg` pool would:
 * - latencyMs / jitterMs: added to every chunk in each direction (a simple query's round trip grows
 *   by about twice latencyMs);
 * - down: new connections are reset on accept, and open ones are reset at their next byte;
 * - errorRate: share of new connections reset on accept.
 * It also counts connections and the queries clients send (simple `Query` and extended-protocol
 * `Execute` messages), so tests can assert an adapter batches its reads, and records the request ids
 * statements carry in a sqlcommenter comment (`/*request_id='…'*\/`) in `stats.requestIds`, as the
 * HTTP simulators record `x-request-id`.
 */

export interface PgTarget {
  host: string;
  port: number;
}

export interface PgProxyOptions {
  target: PgTarget;
  /** Shared with a control server, so `/__sim/faults` steers the proxy (default: a fresh state). */
  faults?: FaultState;
  stats?: CallStats;
}

export interface PgProxy {
  readonly faults: FaultState;
  readonly stats: CallStats;
  readonly target: PgTarget;
  listen(port?: number, host?: string): Promise<PgTarget>;
  address(): PgTarget;
  /** Open client connections. */
  connections(): number;
  /** Resets every open connection, as a database restart does. */
  dropConnections(): void;
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
/** Longest Query/Parse message whose SQL text is read (others are counted but not read). */
const MAX_SQL_MESSAGE_BYTES = 1 << 20;

/**
 * Follows the frontend side of the PostgreSQL protocol just enough to count messages: the untyped
 * startup packets first, then `type(1) length(4) body`. The SQL text of simple `Query` and
 * extended-protocol `Parse` messages is handed to `onSql`. It gives up (stays silent) once TLS is
 * negotiated, since the bytes are then opaque, or on a length no valid message has.
 */
export class FrontendMessageCounter {
  private startup = true;
  private skip = 0;
  private pending: Buffer = Buffer.alloc(0);
  /** The Query/Parse message being read, while its body spans chunks. */
  private body: { type: string; missing: number; parts: Buffer[] } | undefined;
  private awaitingEncryptionAnswer = false;
  private opaque = false;

  constructor(
    private readonly onMessage: (type: string) => void,
    private readonly onSql?: (sql: string) => void,
  ) {}

  /** Bytes from the server: its one-byte answer to SSLRequest/GSSENCRequest decides whether we can read on. */
  fromServer(chunk: Buffer): void {
    if (!this.awaitingEncryptionAnswer || chunk.length === 0) return;
    this.awaitingEncryptionAnswer = false;
    const answer = String.fromCharCode(chunk[0]!);
    if (answer === 'S' || answer === 'G') this.opaque = true;
  }

  fromClient(chunk: Buffer): void {
    if (this.opaque) return;
    const data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let i = 0;
    for (;;) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, data.length - i);
        this.skip -= n;
        i += n;
        if (this.skip > 0) break;
      }
      if (this.body) {
        const n = Math.min(this.body.missing, data.length - i);
        this.body.parts.push(Buffer.from(data.subarray(i, i + n)));
        this.body.missing -= n;
        i += n;
        if (this.body.missing > 0) break;
        const { type, parts } = this.body;
        this.body = undefined;
        this.onSql?.(sqlOf(type, Buffer.concat(parts)));
        continue;
      }
      if (this.startup) {
        if (data.length - i < 8) break;
        const length = data.readInt32BE(i);
        const code = data.readInt32BE(i + 4);
        if (length < 8) return this.lose();
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) this.awaitingEncryptionAnswer = true;
        else this.startup = false;
        this.skip = length;
        continue;
      }
      if (data.length - i < 5) break;
      const type = String.fromCharCode(data[i]!);
      const length = data.readInt32BE(i + 1);
      if (length < 4) return this.lose();
      this.onMessage(type);
      i += 5;
      const bodyLength = length - 4;
      if (this.onSql && (type === 'Q' || type === 'P') && bodyLength <= MAX_SQL_MESSAGE_BYTES) this.body = { type, missing: bodyLength, parts: [] };
      else this.skip = bodyLength;
    }
    this.pending = i < data.length ? Buffer.from(data.subarray(i)) : Buffer.alloc(0);
  }

  /** Out of step with the protocol (a length no message has): read nothing more on this connection. */
  private lose(): void {
    this.opaque = true;
    this.pending = Buffer.alloc(0);
    this.body = undefined;
  }
}

/** The SQL text of a message body: Query is `sql\0`; Parse is `name\0 sql\0 parameter types`. */
function sqlOf(type: string, body: Buffer): string {
  const start = type === 'P' ? body.indexOf(0) + 1 : 0;
  const end = body.indexOf(0, start);
  return body.toString('utf8', start, end < 0 ? body.length : end);
}

/** A comment closing the statement, before an optional `;`: `/*key='value',…*\/`. */
const TRAILING_COMMENT = /^\/\*([^]*?)\*\/\s*;?\s*$/;
const COMMENT_PAIR = /([A-Za-z0-9_.~%-]+)='((?:[^'\\]|\\.)*)'/g;

/**
 * The request id a statement carries in its sqlcommenter comment
 * (https://google.github.io/sqlcommenter/): `request_id='<url-encoded id>'` in a comment at the end of
 * the statement, as the land-tax adapter appends it. Undefined when there is none or it is malformed.
 */
export function sqlCommentRequestId(sql: string): string | undefined {
  const start = sql.lastIndexOf('/*');
  const comment = start < 0 ? undefined : TRAILING_COMMENT.exec(sql.slice(start))?.[1];
  if (!comment || comment.includes('*/')) return undefined;
  for (const [, key, raw] of comment.matchAll(COMMENT_PAIR)) {
    if (key !== 'request_id') continue;
    try {
      return decodeURIComponent(raw!.replace(/\\(.)/g, '$1')) || undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Delays each chunk by the current latency; a Transform keeps order and back-pressure. */
function delayer(faults: FaultState, onChunk: (chunk: Buffer) => void, onDown: () => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      const f = faults.get();
      if (f.down) {
        onDown();
        return done();
      }
      onChunk(chunk);
      const delay = f.latencyMs + (f.jitterMs ? Math.random() * f.jitterMs : 0);
      if (delay <= 0) return done(null, chunk);
      void sleep(delay).then(() => done(null, chunk));
    },
  });
}

export function createPgProxy(options: PgProxyOptions): PgProxy {
  const faults = options.faults ?? new FaultState();
  const stats = options.stats ?? new CallStats();
  const sockets = new Set<net.Socket>();
  const clients = new Set<net.Socket>();
  let bound: PgTarget = { host: '127.0.0.1', port: 0 };

  const reset = (s: net.Socket) => {
    if (!s.destroyed) s.resetAndDestroy();
  };

  const server = net.createServer((client) => {
    const f = faults.get();
    if (f.down || (f.errorRate > 0 && Math.random() < f.errorRate)) {
      stats.record(f.down ? '!refused' : '!fault');
      client.on('error', () => undefined);
      reset(client);
      return;
    }
    stats.record('connection');
    const upstream = net.connect(options.target.port, options.target.host);
    sockets.add(client);
    sockets.add(upstream);
    clients.add(client);
    const teardown = () => {
      reset(client);
      reset(upstream);
    };
    const counter = new FrontendMessageCounter(
      (type) => {
        if (type === 'Q' || type === 'E') stats.record('query');
      },
      (sql) => stats.seenRequestId(sqlCommentRequestId(sql)),
    );
    client.on('error', teardown);
    upstream.on('error', teardown);
    client.on('close', () => {
      sockets.delete(client);
      clients.delete(client);
      upstream.end();
    });
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.end();
    });
    client.pipe(delayer(faults, (c) => counter.fromClient(c), teardown)).pipe(upstream);
    upstream.pipe(delayer(faults, (c) => counter.fromServer(c), teardown)).pipe(client);
  });

  return {
    faults,
    stats,
    target: options.target,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const addr = server.address() as net.AddressInfo;
          bound = { host, port: addr.port };
          resolve(bound);
        });
      });
    },
    address: () => bound,
    connections: () => clients.size,
    dropConnections() {
      for (const s of sockets) reset(s);
    },
    close() {
      return new Promise((resolve) => {
        for (const s of sockets) reset(s);
        server.close(() => resolve());
      });
    },
  };
}

export interface SismiopSimulator {
  /** HTTP control plane: simkit's `/__sim/*` plus `GET /` (proxy status) and `POST /__admin/drop-connections`. */
  readonly control: Simulator;
  readonly proxy: PgProxy;
}

/**
 * The proxy and its HTTP control server, sharing one FaultState and CallStats so that
 * `POST /__sim/faults {"down":true}` takes the database "down" for everyone behind the proxy.
 */
export function createSismiopSimulator(options: { target: PgTarget; faults?: Partial<Faults> }): SismiopSimulator {
  const control = createSimulator({
    name: 'sismiop',
    faults: options.faults,
    handler(req, res) {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'POST' && path === '/__admin/drop-connections') {
        const dropped = proxy.connections();
        proxy.dropConnections();
        return sendJson(res, 200, { dropped });
      }
      if (req.method === 'GET' && path === '/') {
        return sendJson(res, 200, { proxy: proxy.address(), target: options.target, connections: proxy.connections(), faults: proxy.faults.get() });
      }
      sendJson(res, 404, { error: 'NOT_FOUND' });
    },
  });
  const proxy = createPgProxy({ target: options.target, faults: control.faults, stats: control.stats });
  return { control, proxy };
}
