import type http from 'node:http';
import { createSimulator, sendJson, type Faults, type Simulator } from '@gerbang/simkit';
import { BOOKING_STATUSES, ClinicQueueStore, MAX_FEED_LIMIT, QueueError, type BookingStatus } from './store';
import { verifySignedHeaders } from './signature';

export interface ClinicQueueOptions {
  consId: string;
  consSecret: string;
  userKey: string;
  /** The system's clock; seeds are placed relative to it and signatures are checked against it. */
  now?: () => Date;
  faults?: Partial<Faults>;
  /** Daily quota overrides keyed `<kodepuskesmas>/<kodepoli>`. */
  quotaOverrides?: Record<string, number>;
  /** Seed the demo and background bookings (default true). */
  seed?: boolean;
}

export interface ClinicQueueSimulator extends Simulator {
  /** The queue itself, for tests and demos that act as the Puskesmas front desk. */
  readonly store: ClinicQueueStore;
}

/** BPJS envelope: `metadata.code` 200 on success, 201 on any refusal; HTTP status tells the class. */
function reply(res: http.ServerResponse, httpStatus: number, code: 200 | 201, message: string, response: unknown = null, headers: http.OutgoingHttpHeaders = {}) {
  sendJson(res, httpStatus, { metadata: { code, message }, response }, headers);
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new QueueError('Body bukan JSON yang valid', 400);
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new QueueError('Path tidak valid', 400);
  }
}

function intParam(value: string | null, fallback: number, name: string): number {
  if (value === null || value === '') return fallback;
  if (!/^\d+$/.test(value)) throw new QueueError(`Parameter ${name} harus bilangan bulat tidak negatif`, 400);
  return Number(value);
}

/**
 * Dinkesdalduk's Puskesmas queue service, shaped like the BPJS antrean web service.
 *
 * Signed routes (headers X-cons-id, X-timestamp, X-signature, user_key):
 *   POST /antrean/ambil             book a queue number (idempotent on client_ref)
 *   POST /antrean/status            `{ kodebooking: string[] }`, at most 50
 *   GET  /antrean/peserta/:nik      a citizen's bookings, newest visit first
 *   GET  /antrean/perubahan         change feed `?since=<sequence>&limit=<n>`
 *   GET  /ref/puskesmas             Puskesmas, polyclinics and quotas (`?tanggal=` adds remaining quota)
 *   GET  /antrean/rekap             bookings per Puskesmas and visit month `?tanggalawal=&tanggalakhir=` (no NIK)
 * Unsigned demo control:
 *   POST /__admin/antrean/:kode/status  `{ status, nip?, keterangan? }`
 * Plus simkit's `/__sim/*` (faults, stats, health).
 */
export function createClinicQueueSimulator(options: ClinicQueueOptions): ClinicQueueSimulator {
  const now = options.now ?? (() => new Date());
  const store = new ClinicQueueStore({ now, quotaOverrides: options.quotaOverrides, seed: options.seed });
  const creds = { consId: options.consId, consSecret: options.consSecret, userKey: options.userKey };

  const sim: Simulator = createSimulator({
    name: 'clinic-queue',
    faults: options.faults,
    async handler(req, res, body) {
      const url = new URL(req.url ?? '/', 'http://clinic.invalid');
      const path = url.pathname.replace(/\/+$/, '') || '/';
      const method = req.method ?? 'GET';
      try {
        const admin = /^\/__admin\/antrean\/([^/]+)\/status$/.exec(path);
        if (admin) {
          if (method !== 'POST') return reply(res, 405, 201, 'Metode tidak diizinkan');
          sim.stats.record('POST /__admin/antrean/:kode/status');
          const input = parseJson(body) as { status?: unknown; nip?: unknown; keterangan?: unknown };
          const status = (typeof input.status === 'string' ? input.status.toUpperCase() : '') as BookingStatus;
          if (!BOOKING_STATUSES.includes(status)) throw new QueueError(`Status harus salah satu dari ${BOOKING_STATUSES.join(', ')}`, 400);
          const b = store.setStatus(decodeSegment(admin[1]!), status, {
            nip: typeof input.nip === 'string' ? input.nip : undefined,
            keterangan: typeof input.keterangan === 'string' ? input.keterangan : undefined,
          });
          return reply(res, 200, 200, 'Ok', store.view(b));
        }

        const route = matchRoute(method, path);
        if (!route) {
          sim.stats.record('!notfound');
          return reply(res, 404, 201, 'Endpoint tidak ditemukan');
        }
        const auth = verifySignedHeaders(req.headers, creds, now().getTime());
        if (!auth.ok) {
          sim.stats.record('!auth');
          return reply(res, 401, 201, auth.message);
        }

        switch (route.name) {
          case 'POST /antrean/ambil': {
            sim.stats.record(route.name);
            const input = store.parseBookingInput(parseJson(body));
            const { booking, replay } = store.book(input);
            return reply(
              res,
              200,
              200,
              'Ok',
              {
                ...store.view(booking),
                kuota: store.quota(booking.kodepuskesmas, booking.kodepoli),
                sisakuota: store.remaining(booking.kodepuskesmas, booking.kodepoli, booking.tanggalperiksa),
                keterangan: 'Harap datang 30 menit sebelum estimasi dilayani dengan membawa KTP-el dan kartu JKN',
              },
              replay ? { 'idempotent-replayed': 'true' } : {},
            );
          }
          case 'POST /antrean/status': {
            const input = parseJson(body) as { kodebooking?: unknown };
            const count = Array.isArray(input.kodebooking) ? input.kodebooking.length : 0;
            sim.stats.record(route.name, count);
            const { found, missing } = store.statusOf(input.kodebooking);
            return reply(res, 200, 200, 'Ok', { list: found.map((b) => store.view(b)), tidakditemukan: missing });
          }
          case 'GET /antrean/peserta/:nik': {
            sim.stats.record(route.name);
            const list = store.byNik(decodeSegment(route.param!)).map((b) => store.view(b));
            return reply(res, 200, 200, 'Ok', { list });
          }
          case 'GET /antrean/perubahan': {
            const since = intParam(url.searchParams.get('since'), 0, 'since');
            const limit = Math.min(intParam(url.searchParams.get('limit'), 100, 'limit'), MAX_FEED_LIMIT);
            if (limit === 0) throw new QueueError('Parameter limit minimal 1', 400);
            const feed = store.changes(since, limit);
            sim.stats.record(route.name, feed.list.length);
            return reply(res, 200, 200, 'Ok', { list: feed.list.map((b) => store.view(b)), lastsequence: feed.lastsequence, hasmore: feed.hasmore });
          }
          case 'GET /antrean/rekap': {
            sim.stats.record(route.name);
            const awal = url.searchParams.get('tanggalawal') ?? '';
            const akhir = url.searchParams.get('tanggalakhir') ?? '';
            if (!/^\d{4}-\d{2}-\d{2}$/.test(awal) || !/^\d{4}-\d{2}-\d{2}$/.test(akhir)) throw new QueueError('Format tanggalawal dan tanggalakhir harus YYYY-MM-DD', 400);
            if (awal > akhir) throw new QueueError('tanggalawal tidak boleh setelah tanggalakhir', 400);
            return reply(res, 200, 200, 'Ok', { list: store.rekap(awal, akhir) });
          }
          case 'GET /ref/puskesmas': {
            sim.stats.record(route.name);
            const tanggal = url.searchParams.get('tanggal') ?? undefined;
            if (tanggal !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(tanggal)) throw new QueueError('Format tanggal harus YYYY-MM-DD', 400);
            return reply(res, 200, 200, 'Ok', { list: store.puskesmasList(tanggal) });
          }
        }
      } catch (err) {
        if (err instanceof QueueError) return reply(res, err.httpStatus, 201, err.message);
        throw err;
      }
    },
  });

  return { ...sim, store };
}

type RouteName = 'POST /antrean/ambil' | 'POST /antrean/status' | 'GET /antrean/peserta/:nik' | 'GET /antrean/perubahan' | 'GET /antrean/rekap' | 'GET /ref/puskesmas';

function matchRoute(method: string, path: string): { name: RouteName; param?: string } | null {
  if (method === 'POST' && path === '/antrean/ambil') return { name: 'POST /antrean/ambil' };
  if (method === 'POST' && path === '/antrean/status') return { name: 'POST /antrean/status' };
  if (method === 'GET' && path === '/antrean/perubahan') return { name: 'GET /antrean/perubahan' };
  if (method === 'GET' && path === '/ref/puskesmas') return { name: 'GET /ref/puskesmas' };
  if (method === 'GET' && path === '/antrean/rekap') return { name: 'GET /antrean/rekap' };
  const m = /^\/antrean\/peserta\/([^/]+)$/.exec(path);
  if (method === 'GET' && m) return { name: 'GET /antrean/peserta/:nik', param: m[1] };
  return null;
}
