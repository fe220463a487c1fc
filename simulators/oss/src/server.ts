import { createHash, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { createSimulator, sendJson, type Faults, type Simulator } from '@gerbang/simkit';
import { BUSINESSES, LICENCES, type OssBusiness, type OssLicence } from './data.js';
import { isPlausibleNik } from './nik.js';

export interface OssSimulatorOptions {
  /** The shared secret OSS issues to a connected regional system, sent as the `user_key` header. */
  userKey: string;
  faults?: Partial<Faults>;
}

/** OSS host-to-host caps one inquiry at 50 NIBs; the hub must batch within that. */
export const MAX_BATCH = 50;

/** Stats route names, one per endpoint (counted once authenticated, with the number of items asked for). */
export const OSS_ROUTES = {
  inqueryNIB: 'inqueryNIB',
  inqueryNIBByNIK: 'inqueryNIBByNIK',
  statusIzin: 'statusIzin',
  rekapIzinTerbit: 'rekapIzinTerbit',
} as const;

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

class BadRequest extends Error {}

const NIB_PATTERN = /^\d{13}$/;

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Comparing digests keeps the comparison constant-time whatever the lengths. */
function sameSecret(given: string, expected: Buffer): boolean {
  return timingSafeEqual(digest(given), expected);
}

function parseJson(body: Buffer): Record<string, unknown> {
  if (body.length === 0) throw new BadRequest('Body permintaan kosong');
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new BadRequest('Format JSON tidak valid');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BadRequest('Body permintaan harus berupa objek JSON');
  return value as Record<string, unknown>;
}

/** `nib` may be one NIB or a list; duplicates are answered once. */
function parseNibs(input: unknown, allowSingle: boolean): string[] {
  const list = typeof input === 'string' && allowSingle ? [input] : input;
  if (!Array.isArray(list)) throw new BadRequest(allowSingle ? 'nib wajib diisi (string atau array string)' : 'nib wajib berupa array string');
  if (list.length === 0) throw new BadRequest('nib tidak boleh kosong');
  if (list.length > MAX_BATCH) throw new BadRequest(`Maksimal ${MAX_BATCH} NIB per permintaan`);
  const invalid = list.filter((n) => typeof n !== 'string' || !NIB_PATTERN.test(n));
  if (invalid.length > 0) throw new BadRequest(`Format NIB tidak valid (harus 13 digit angka): ${invalid.map(String).join(', ')}`);
  return [...new Set(list as string[])];
}

function businessSummary(b: OssBusiness) {
  return {
    nib: b.nib,
    nama_perusahaan: b.nama_perusahaan,
    tanggal_terbit_oss: b.tanggal_terbit_oss,
    status_nib: b.status_nib,
    skala_usaha: b.skala_usaha,
    data_kbli: b.data_kbli,
  };
}

/**
 * OSS RBA host-to-host, as a regional system sees it: JSON over POST, one `user_key` per connected
 * system, answers wrapped in `{ status, message, response<endpoint> }` with OSS's field names.
 */
export function createOssSimulator(options: OssSimulatorOptions): Simulator {
  if (!options.userKey) throw new Error('createOssSimulator: userKey is required');
  const expectedKey = digest(options.userKey);
  const byNib = new Map(BUSINESSES.map((b) => [b.nib, b]));

  // Each endpoint validates its body (BadRequest on failure) and returns the success body; items is
  // what the call asked for, recorded in the stats so tests can tell one batch from N single calls.
  const inqueryNib = (body: Record<string, unknown>) => {
    const nibs = parseNibs(body.nib, true);
    const found: OssBusiness[] = [];
    const missing: string[] = [];
    for (const nib of nibs) {
      const business = byNib.get(nib);
      if (business) found.push(business);
      else missing.push(nib);
    }
    return {
      items: nibs.length,
      body: {
        status: true,
        message: found.length > 0 ? 'Data NIB ditemukan' : 'Data NIB tidak ditemukan',
        responseinqueryNIB: { kode: 200, keterangan: 'Sukses', jumlah_data: found.length, dataNIB: found, nib_tidak_ditemukan: missing },
      },
    };
  };

  const inqueryNibByNik = (body: Record<string, unknown>) => {
    const nik = body.nik;
    if (typeof nik !== 'string' || nik.length === 0) throw new BadRequest('nik wajib diisi');
    if (!isPlausibleNik(nik)) throw new BadRequest('Format NIK tidak valid');
    const owned = BUSINESSES.filter((b) => b.penanggung_jawab.some((p) => p.nik_penanggung_jawab === nik));
    return {
      items: 1,
      body: {
        status: true,
        message: owned.length > 0 ? 'Data NIB ditemukan' : 'Tidak ada NIB atas NIK tersebut',
        responseinqueryNIBByNIK: { kode: 200, keterangan: 'Sukses', nik, jumlah_data: owned.length, dataNIB: owned.map(businessSummary) },
      },
    };
  };

  const statusIzin = (body: Record<string, unknown>) => {
    const nibs = parseNibs(body.nib, false);
    const dataIzin: { nib: string; nama_perusahaan: string; jumlah_izin: number; izin: readonly OssLicence[] }[] = [];
    const missing: string[] = [];
    for (const nib of nibs) {
      const business = byNib.get(nib);
      if (!business) {
        missing.push(nib);
        continue;
      }
      const izin = LICENCES[nib] ?? [];
      dataIzin.push({ nib, nama_perusahaan: business.nama_perusahaan, jumlah_izin: izin.length, izin });
    }
    return {
      items: nibs.length,
      body: {
        status: true,
        message: dataIzin.length > 0 ? 'Data status izin ditemukan' : 'Data NIB tidak ditemukan',
        responsestatusIzin: { kode: 200, keterangan: 'Sukses', dataIzin, nib_tidak_ditemukan: missing },
      },
    };
  };

  /**
   * The statistics OSS offers a connected region: licences issued between two dates, counted per
   * issue month, KBLI and the business's kecamatan (no NIB, no name: an aggregate only).
   */
  const rekapIzinTerbit = (body: Record<string, unknown>) => {
    const { tanggal_awal: awal, tanggal_akhir: akhir } = body;
    if (typeof awal !== 'string' || !DATE_PATTERN.test(awal)) throw new BadRequest('tanggal_awal wajib diisi (YYYY-MM-DD)');
    if (typeof akhir !== 'string' || !DATE_PATTERN.test(akhir)) throw new BadRequest('tanggal_akhir wajib diisi (YYYY-MM-DD)');
    if (awal > akhir) throw new BadRequest('tanggal_awal tidak boleh setelah tanggal_akhir');
    const counts = new Map<string, { bulan_terbit: string; kbli: string; kecamatan: string; jumlah_izin: number }>();
    for (const business of BUSINESSES) {
      for (const izin of LICENCES[business.nib] ?? []) {
        if (!izin.tanggal_terbit || izin.tanggal_terbit < awal || izin.tanggal_terbit > akhir) continue;
        if (izin.status_izin !== 'TERBIT' && izin.status_izin !== 'KEDALUWARSA') continue;
        const kbli = izin.kbli ?? business.data_kbli[0]?.kbli ?? '';
        const row = { bulan_terbit: izin.tanggal_terbit.slice(0, 7), kbli, kecamatan: business.alamat_usaha.kecamatan, jumlah_izin: 0 };
        const key = `${row.bulan_terbit}|${row.kbli}|${row.kecamatan}`;
        const found = counts.get(key) ?? row;
        found.jumlah_izin++;
        counts.set(key, found);
      }
    }
    const dataRekap = [...counts.values()].sort((a, b) => (a.bulan_terbit + a.kbli + a.kecamatan).localeCompare(b.bulan_terbit + b.kbli + b.kecamatan));
    return {
      items: 1,
      body: {
        status: true,
        message: 'Rekap izin terbit',
        responserekapIzinTerbit: { kode: 200, keterangan: 'Sukses', tanggal_awal: awal, tanggal_akhir: akhir, jumlah_data: dataRekap.length, dataRekap },
      },
    };
  };

  const routes: Record<string, { name: string; run: (body: Record<string, unknown>) => { items: number; body: unknown } }> = {
    '/api/v1/inqueryNIB': { name: OSS_ROUTES.inqueryNIB, run: inqueryNib },
    '/api/v1/inqueryNIBByNIK': { name: OSS_ROUTES.inqueryNIBByNIK, run: inqueryNibByNik },
    '/api/v1/statusIzin': { name: OSS_ROUTES.statusIzin, run: statusIzin },
    '/api/v1/rekapIzinTerbit': { name: OSS_ROUTES.rekapIzinTerbit, run: rekapIzinTerbit },
  };

  const handler = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const route = routes[path];
    if (!route) return sendJson(res, 404, { status: false, message: 'Endpoint tidak ditemukan' });
    if (req.method !== 'POST') return sendJson(res, 405, { status: false, message: 'Metode tidak diizinkan, gunakan POST' }, { allow: 'POST' });

    // Authentication comes before validation so an unauthenticated caller learns nothing about the API.
    const key = req.headers.user_key;
    if (typeof key !== 'string' || !sameSecret(key, expectedKey)) {
      sim.stats.record('!unauthorized');
      return sendJson(res, 401, { status: false, message: 'user_key tidak valid atau tidak dikirim' });
    }
    try {
      const result = route.run(parseJson(body));
      sim.stats.record(route.name, result.items);
      return sendJson(res, 200, result.body);
    } catch (err) {
      if (err instanceof BadRequest) {
        // A refused request still reached the system: counted, with no items.
        sim.stats.record(route.name, 0);
        return sendJson(res, 400, { status: false, message: err.message });
      }
      throw err;
    }
  };

  const sim = createSimulator({ name: 'oss', handler, faults: options.faults });
  return sim;
}
