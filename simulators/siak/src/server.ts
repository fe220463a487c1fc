/**
 * HTTP face of the simulated SIAK web service, as Dispendukcapil exposes it to partner systems under
 * a cooperation agreement: an API key per partner, Indonesian paths and snake_case JSON.
 * Importing this module starts nothing; `createSiakSimulator` returns a server that is not listening.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { createSimulator, sendJson, type Faults, type Simulator } from '@gerbang/simkit';
import { DOCUMENT_TYPES, REQUEST_STATUSES, createSeed, type Citizen, type DocumentRequest, type DocumentType, type NewRequest, type RequestStatus } from './data.js';
import { SiakError, SiakStore } from './store.js';
import { toWibIso } from './time.js';

export interface SiakSimulatorOptions {
  /** The partner key every request must carry in `X-Api-Key`. */
  apiKey: string;
  /** The moment the seed is laid out around (default: now). */
  now?: Date;
  faults?: Partial<Faults>;
  /** Clock for requests filed or moved while running (default: the system clock). */
  clock?: () => Date;
  /** More requests to number after the seed, e.g. from `generateRequestsFor`. */
  extraRequests?: readonly NewRequest[];
}

export interface SiakSimulator extends Simulator {
  readonly store: SiakStore;
}

/** Largest batch the service accepts, as in its interface agreement. */
export const MAX_BATCH = 100;
export const DEFAULT_FEED_LIMIT = 100;
export const MAX_FEED_LIMIT = 500;

/** Names under which each route is counted in `sim.stats`. */
export const ROUTES = {
  residentBatch: 'penduduk.batch',
  verify: 'verifikasi',
  requestBatch: 'permohonan.batch',
  requestsByNik: 'permohonan.byNik',
  changes: 'permohonan.perubahan',
  create: 'permohonan.create',
  adminStatus: 'admin.status',
  unauthorized: '!unauthorized',
} as const;

type Json = Record<string, unknown>;

const badRequest = (message: string) => new SiakError(400, 'BAD_REQUEST', message);
const NIK_SHAPE = /^\d{16}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

// -- wire format ------------------------------------------------------------------------------

export function residentToWire(c: Citizen) {
  return {
    nik: c.nik,
    no_kk: c.familyCardNumber,
    nama_lengkap: c.fullName,
    jenis_kelamin: c.sex === 'M' ? 'LAKI-LAKI' : 'PEREMPUAN',
    tempat_lahir: c.birthPlace,
    tanggal_lahir: c.birthDate,
    alamat: c.address,
    desa: c.village,
    kecamatan: c.kecamatan,
    agama: c.religion,
    status_kawin: c.maritalStatus,
  };
}

export function requestToWire(r: DocumentRequest) {
  return {
    id: r.id,
    nik: r.nik,
    jenis: r.type,
    status: r.status,
    keterangan: r.note,
    client_ref: r.clientRef,
    diajukan_pada: toWibIso(r.submittedAt),
    selesai_pada: r.completedAt ? toWibIso(r.completedAt) : null,
    nip_petugas: r.officerNip,
    diperbarui_pada: toWibIso(r.updatedAt),
    versi: r.version,
    seq: r.sequence,
  };
}

// -- input parsing ----------------------------------------------------------------------------

function parseBody(body: Buffer): Json {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw badRequest('body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest('body must be a JSON object');
  return value as Json;
}

function stringList(body: Json, field: string): string[] {
  const list = body[field];
  if (!Array.isArray(list) || !list.every((v) => typeof v === 'string')) throw badRequest(`"${field}" must be an array of strings`);
  if (list.length > MAX_BATCH) throw badRequest(`"${field}" holds ${list.length} entries; at most ${MAX_BATCH} per call`);
  return list;
}

function requiredString(body: Json, field: string, maxLength = 200): string {
  const v = body[field];
  if (typeof v !== 'string' || v.trim() === '') throw badRequest(`"${field}" is required`);
  if (v.length > maxLength) throw badRequest(`"${field}" is longer than ${maxLength} characters`);
  return v;
}

function nikField(body: Json): string {
  const nik = requiredString(body, 'nik');
  if (!NIK_SHAPE.test(nik)) throw badRequest('"nik" must be 16 digits');
  return nik;
}

function nonNegativeInt(value: string | null, name: string, fallback: number): number {
  if (value === null || value === '') return fallback;
  if (!/^\d+$/.test(value)) throw badRequest(`"${name}" must be a non-negative integer`);
  return Number(value);
}

/** Constant time whatever the lengths: SHA-256 digests (32 bytes each) compared, so a guess's length tells nothing either. */
function safeEqual(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

// -- the simulator ----------------------------------------------------------------------------

export function createSiakSimulator(options: SiakSimulatorOptions): SiakSimulator {
  if (!options.apiKey) throw new Error('createSiakSimulator: apiKey is required');
  const store = new SiakStore(createSeed(options.now ?? new Date()), options.clock);
  if (options.extraRequests?.length) store.addRequests(options.extraRequests);

  const record = (route: string, items = 1) => sim.stats.record(route, items);

  const handler = async (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://siak.invalid');
    const method = req.method ?? 'GET';
    try {
      const key = req.headers['x-api-key'];
      if (typeof key !== 'string' || !safeEqual(key, options.apiKey)) {
        record(ROUTES.unauthorized);
        return sendJson(res, 401, { error: 'UNAUTHORIZED' });
      }
      const path = url.pathname.replace(/\/+$/, '');
      const allow = (...methods: string[]) => {
        if (!methods.includes(method)) throw new SiakError(405, 'METHOD_NOT_ALLOWED', `use ${methods.join(', ')}`, { allow: methods.join(', ') });
      };

      if (path === '/api/v1/penduduk/batch') {
        allow('POST');
        const niks = stringList(parseBody(body), 'nik');
        record(ROUTES.residentBatch, niks.length);
        const { found, notFound } = store.citizensByNik(niks);
        return sendJson(res, 200, { data: found.map(residentToWire), not_found: notFound });
      }

      if (path === '/api/v1/verifikasi') {
        allow('POST');
        const input = parseBody(body);
        const nik = nikField(input);
        const name = requiredString(input, 'nama_lengkap');
        const birthDate = requiredString(input, 'tanggal_lahir');
        if (!ISO_DATE.test(birthDate)) throw badRequest('"tanggal_lahir" must be YYYY-MM-DD');
        record(ROUTES.verify);
        return sendJson(res, 200, { match: store.verify(nik, name, birthDate) });
      }

      if (path === '/api/v1/permohonan/batch') {
        allow('POST');
        const ids = stringList(parseBody(body), 'id');
        record(ROUTES.requestBatch, ids.length);
        const { found, notFound } = store.requestsByIds(ids);
        return sendJson(res, 200, { data: found.map(requestToWire), not_found: notFound });
      }

      if (path === '/api/v1/permohonan/perubahan') {
        allow('GET');
        const since = nonNegativeInt(url.searchParams.get('since'), 'since', 0);
        const limit = nonNegativeInt(url.searchParams.get('limit'), 'limit', DEFAULT_FEED_LIMIT);
        if (limit < 1 || limit > MAX_FEED_LIMIT) throw badRequest(`"limit" must be between 1 and ${MAX_FEED_LIMIT}`);
        const page = store.changesSince(since, limit);
        record(ROUTES.changes, page.items.length);
        return sendJson(res, 200, { data: page.items.map(requestToWire), next_since: page.nextSince, has_more: page.hasMore });
      }

      if (path === '/api/v1/permohonan') {
        allow('GET', 'POST');
        if (method === 'GET') {
          const nik = url.searchParams.get('nik') ?? '';
          if (!NIK_SHAPE.test(nik)) throw badRequest('query parameter "nik" must be 16 digits');
          const requests = store.requestsOf(nik);
          record(ROUTES.requestsByNik, requests.length);
          return sendJson(res, 200, { data: requests.map(requestToWire) });
        }
        const input = parseBody(body);
        const nik = nikField(input);
        const type = requiredString(input, 'jenis');
        if (!DOCUMENT_TYPES.includes(type as DocumentType)) throw badRequest(`"jenis" must be one of ${DOCUMENT_TYPES.join(', ')}`);
        const note = input.keterangan;
        if (note !== undefined && note !== null && (typeof note !== 'string' || note.length > 500)) {
          throw badRequest('"keterangan" must be a string of at most 500 characters');
        }
        const clientRef = requiredString(input, 'client_ref', 100);
        record(ROUTES.create);
        const { request, created } = store.create({ nik, type: type as DocumentType, note: (note as string | undefined) ?? null, clientRef });
        return sendJson(res, created ? 201 : 200, requestToWire(request));
      }

      const admin = /^\/__admin\/permohonan\/([^/]+)\/status$/.exec(path);
      if (admin) {
        allow('POST');
        const input = parseBody(body);
        const status = requiredString(input, 'status');
        if (!REQUEST_STATUSES.includes(status as RequestStatus)) throw badRequest(`"status" must be one of ${REQUEST_STATUSES.join(', ')}`);
        const nip = input.nip;
        if (nip !== undefined && typeof nip !== 'string') throw badRequest('"nip" must be a string');
        record(ROUTES.adminStatus);
        const updated = store.setStatus(decodeURIComponent(admin[1]!), status as RequestStatus, nip);
        return sendJson(res, 200, requestToWire(updated));
      }

      throw new SiakError(404, 'NOT_FOUND', `no route ${method} ${url.pathname}`);
    } catch (err) {
      if (err instanceof SiakError) return sendJson(res, err.status, { error: err.code, message: err.message }, err.headers);
      throw err;
    }
  };

  const sim = createSimulator({ name: 'siak', handler, faults: options.faults, maxBodyBytes: 256_000 });
  return Object.assign(sim, { store });
}
