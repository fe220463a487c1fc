/**
 * HTTP face of the simulated SIMPEG: JSON-RPC 2.0 over `POST /rpc` with HTTP Basic client
 * credentials, the way BKPSDM's register is reached by other regency systems. Importing this module
 * starts nothing; `createBkpsdmSimulator` returns a server that is not listening.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { createSimulator, sendJson, type Faults, type Simulator } from '@gerbang/simkit';
import { seedOfficers, type CivilServant } from './data.js';
import { BkpsdmStore } from './store.js';

export interface BkpsdmSimulatorOptions {
  clientId: string;
  clientSecret: string;
  faults?: Partial<Faults>;
  /** Officers added to the seeded register, e.g. from `generateOfficers` for a benchmark. */
  extraOfficers?: readonly CivilServant[];
}

export interface BkpsdmSimulator extends Simulator {
  readonly store: BkpsdmStore;
}

/** JSON-RPC error codes: the spec's own, then this service's (-32000..-32099 are implementation-defined). */
export const RPC_ERRORS = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  UNAUTHORIZED: -32001,
  NOT_FOUND: -32004,
} as const;

export const MAX_NIPS_PER_CALL = 200;
export const MAX_NIKS_PER_CALL = 200;
export const MAX_PAGE = 200;
export const DEFAULT_PAGE = 50;
/** Calls in one JSON-RPC batch array. */
export const MAX_BATCH_CALLS = 50;

/** Names under which traffic is counted in `sim.stats`: one `rpc` per HTTP request, plus one per method call. */
export const ROUTES = {
  http: 'rpc',
  getByNip: 'pegawai.getByNip',
  getByNik: 'pegawai.getByNik',
  listByOpd: 'pegawai.listByOpd',
  unauthorized: '!unauthorized',
} as const;

type RpcId = string | number | null;
interface RpcErrorBody {
  code: number;
  message: string;
  data?: unknown;
}
type RpcResponse = { jsonrpc: '2.0'; id: RpcId; result: unknown } | { jsonrpc: '2.0'; id: RpcId; error: RpcErrorBody };

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

const invalidParams = (message: string) => new RpcError(RPC_ERRORS.INVALID_PARAMS, 'Invalid params', { reason: message });

/**
 * `pegawai.getByNik`'s answer: where a person works, nothing more. The NIK is a citizen's
 * identifier, asked for by systems that must know whether someone is staff (the ratings hub: an
 * officer never rates their own agency); they get the NIP and the OPD, not the HR record.
 */
export function employmentToWire(o: CivilServant) {
  return { nik: o.nik, nip: o.nip, opd: o.agencyId };
}

/** The HR record as `getByNip` and `listByOpd` hand it out (no NIK: those callers need none). */
export function officerToWire(o: CivilServant) {
  return {
    nip: o.nip,
    nama: o.name,
    opd: o.agencyId,
    jabatan: o.position,
    golongan: o.grade,
    status: o.employmentType,
    kelas_jabatan: o.jobClass,
    tpp_pokok: o.tppBase,
    unit: o.unit,
  };
}

function paramsObject(params: unknown): Record<string, unknown> {
  // Only named parameters: positional arrays would make the optional paging arguments ambiguous.
  if (typeof params !== 'object' || params === null || Array.isArray(params)) throw invalidParams('params must be an object');
  return params as Record<string, unknown>;
}

function optionalInt(params: Record<string, unknown>, name: string, fallback: number, min: number, max: number): number {
  const v = params[name];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw invalidParams(`${name} must be an integer between ${min} and ${max}`);
  return v;
}

/** Constant time whatever the lengths: SHA-256 digests (32 bytes each) compared, so a guess's length tells nothing either. */
function safeEqual(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** `Authorization: Basic base64(client_id:client_secret)`, compared in constant time. */
function isAuthorised(header: string | undefined, clientId: string, clientSecret: string): boolean {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return false;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Both halves are always compared, so a wrong id and a wrong secret take the same time.
  const idOk = safeEqual(decoded.slice(0, colon), clientId);
  const secretOk = safeEqual(decoded.slice(colon + 1), clientSecret);
  return idOk && secretOk;
}

const isRpcId = (v: unknown): v is RpcId => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

export function createBkpsdmSimulator(options: BkpsdmSimulatorOptions): BkpsdmSimulator {
  if (!options.clientId || !options.clientSecret) throw new Error('createBkpsdmSimulator: clientId and clientSecret are required');
  const store = new BkpsdmStore([...seedOfficers(), ...(options.extraOfficers ?? [])]);

  const methods: Record<string, (params: unknown) => unknown> = {
    'pegawai.getByNip': (params) => {
      const p = paramsObject(params);
      const nips = p.nip;
      if (!Array.isArray(nips) || !nips.every((n) => typeof n === 'string')) throw invalidParams('nip must be an array of strings');
      if (nips.length > MAX_NIPS_PER_CALL) throw invalidParams(`at most ${MAX_NIPS_PER_CALL} NIPs per call, got ${nips.length}`);
      sim.stats.record(ROUTES.getByNip, nips.length);
      const { found, notFound } = store.byNips(nips);
      return { pegawai: found.map(officerToWire), tidak_ditemukan: notFound };
    },
    'pegawai.getByNik': (params) => {
      const p = paramsObject(params);
      const niks = p.nik;
      if (!Array.isArray(niks) || !niks.every((n) => typeof n === 'string')) throw invalidParams('nik must be an array of strings');
      if (niks.length > MAX_NIKS_PER_CALL) throw invalidParams(`at most ${MAX_NIKS_PER_CALL} NIKs per call, got ${niks.length}`);
      sim.stats.record(ROUTES.getByNik, niks.length);
      const { found, notFound } = store.byNiks(niks);
      return { pegawai: found.map(employmentToWire), tidak_ditemukan: notFound };
    },
    'pegawai.listByOpd': (params) => {
      const p = paramsObject(params);
      if (typeof p.opd !== 'string' || p.opd === '') throw invalidParams('opd is required');
      const offset = optionalInt(p, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
      const limit = optionalInt(p, 'limit', DEFAULT_PAGE, 1, MAX_PAGE);
      const page = store.listByAgency(p.opd, offset, limit);
      if (!page) throw new RpcError(RPC_ERRORS.NOT_FOUND, 'OPD tidak dikenal', { opd: p.opd });
      sim.stats.record(ROUTES.listByOpd, page.items.length);
      return { pegawai: page.items.map(officerToWire), total: page.total, offset, limit };
    },
  };

  /** One call; `null` for a notification (no `id` member), which gets no answer, not even an error. */
  function call(raw: unknown): RpcResponse | null {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      return { jsonrpc: '2.0', id: null, error: { code: RPC_ERRORS.INVALID_REQUEST, message: 'Invalid Request' } };
    }
    const req = raw as Record<string, unknown>;
    const isNotification = !('id' in req);
    const id: RpcId = isRpcId(req.id) ? req.id : null;
    if (req.jsonrpc !== '2.0' || typeof req.method !== 'string' || (!isNotification && !isRpcId(req.id))) {
      return { jsonrpc: '2.0', id, error: { code: RPC_ERRORS.INVALID_REQUEST, message: 'Invalid Request' } };
    }
    const method = Object.hasOwn(methods, req.method) ? methods[req.method] : undefined;
    try {
      if (!method) throw new RpcError(RPC_ERRORS.METHOD_NOT_FOUND, 'Method not found', { method: req.method });
      const result = method(req.params);
      return isNotification ? null : { jsonrpc: '2.0', id, result };
    } catch (err) {
      if (isNotification) return null;
      if (err instanceof RpcError) {
        return { jsonrpc: '2.0', id, error: { code: err.code, message: err.message, ...(err.data !== undefined ? { data: err.data } : {}) } };
      }
      return { jsonrpc: '2.0', id, error: { code: RPC_ERRORS.INTERNAL_ERROR, message: 'Internal error' } };
    }
  }

  const rpcError = (code: number, message: string): RpcResponse => ({ jsonrpc: '2.0', id: null, error: { code, message } });

  const handler = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => {
    const path = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '');
    if (path !== '/rpc') return sendJson(res, 404, { error: 'NOT_FOUND', message: 'the register answers on POST /rpc' });
    if (req.method !== 'POST') return sendJson(res, 405, rpcError(RPC_ERRORS.INVALID_REQUEST, 'use POST'), { allow: 'POST' });

    const authHeader = req.headers.authorization;
    if (!isAuthorised(authHeader, options.clientId, options.clientSecret)) {
      sim.stats.record(ROUTES.unauthorized);
      return sendJson(res, 401, rpcError(RPC_ERRORS.UNAUTHORIZED, 'Unauthorized'), { 'www-authenticate': 'Basic realm="SIMPEG", charset="UTF-8"' });
    }

    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      sim.stats.record(ROUTES.http, 0);
      return sendJson(res, 200, rpcError(RPC_ERRORS.PARSE_ERROR, 'Parse error'));
    }

    if (Array.isArray(payload)) {
      sim.stats.record(ROUTES.http, payload.length);
      if (payload.length === 0) return sendJson(res, 200, rpcError(RPC_ERRORS.INVALID_REQUEST, 'Invalid Request: empty batch'));
      if (payload.length > MAX_BATCH_CALLS) {
        return sendJson(res, 200, rpcError(RPC_ERRORS.INVALID_REQUEST, `Invalid Request: at most ${MAX_BATCH_CALLS} calls per batch`));
      }
      const responses = payload.map(call).filter((r): r is RpcResponse => r !== null);
      // A batch of notifications only has nothing to answer.
      if (responses.length === 0) {
        res.writeHead(204).end();
        return;
      }
      return sendJson(res, 200, responses);
    }

    sim.stats.record(ROUTES.http, 1);
    const response = call(payload);
    if (!response) {
      res.writeHead(204).end();
      return;
    }
    // JSON-RPC errors travel in a 200 answer: the HTTP exchange itself worked (auth is the exception).
    return sendJson(res, 200, response);
  };

  const sim = createSimulator({ name: 'bkpsdm', handler, faults: options.faults, maxBodyBytes: 512_000 });
  return Object.assign(sim, { store });
}
