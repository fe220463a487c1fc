import { chunks, fetchJson, Upstream, type UpstreamOptions } from '@gerbang/common';
import type {
  BusinessActivityRecord,
  BusinessDetailsRecord,
  BusinessRecord,
  BusinessRegistry,
  BusinessScale,
  IssuedLicenceCount,
  KbliRisk,
  LicenceAuthority,
  LicenceKind,
  LicenceRecord,
  LicenceStatistics,
  LicenceStatus,
} from './registry';

/** OSS host-to-host caps an inquiry at 50 NIBs. */
export const OSS_MAX_BATCH = 50;

// ---- OSS's wire format (its own snake_case, Indonesian names) ----
interface WireKbli {
  kbli: string;
  uraian_kbli: string;
  tingkat_risiko: string;
}
interface WireBusinessSummary {
  nib: string;
  nama_perusahaan: string;
  tanggal_terbit_oss: string;
  status_nib: string;
  skala_usaha: string;
  data_kbli: WireKbli[];
}
interface WireBusiness extends WireBusinessSummary {
  alamat_usaha: { alamat: string; rt_rw: string; kelurahan: string; kecamatan: string; kab_kota: string; provinsi: string; kode_pos: string };
  penanggung_jawab: { nik_penanggung_jawab: string }[];
}
interface WireLicence {
  id_izin: string;
  jenis_izin: string;
  nama_izin: string;
  nomor_izin: string | null;
  kbli: string | null;
  instansi: string;
  kewenangan: string;
  status_izin: string;
  tanggal_pengajuan: string;
  tanggal_terbit: string | null;
  tanggal_berlaku_sampai: string | null;
  keterangan: string | null;
}
interface Envelope {
  /** `true` on success; checked as sent, since the answer is not validated beyond it. */
  status: unknown;
  message?: string;
}

const RISK: Record<string, KbliRisk> = { Rendah: 'LOW', 'Menengah Rendah': 'MEDIUM_LOW', 'Menengah Tinggi': 'MEDIUM_HIGH', Tinggi: 'HIGH' };
const SCALE: Record<string, BusinessScale> = { 'Usaha Mikro': 'MICRO', 'Usaha Kecil': 'SMALL', 'Usaha Menengah': 'MEDIUM', 'Usaha Besar': 'LARGE' };
const KIND: Record<string, LicenceKind> = { IZIN: 'BUSINESS_LICENCE', SERTIFIKAT_STANDAR: 'STANDARD_CERTIFICATE', PB_UMKU: 'SUPPORTING_LICENCE' };
const STATUS: Record<string, LicenceStatus> = { TERBIT: 'ISSUED', PROSES: 'IN_PROCESS', DITOLAK: 'REJECTED', KEDALUWARSA: 'EXPIRED' };
const AUTHORITY: Record<string, LicenceAuthority> = { Bupati: 'REGENCY', Gubernur: 'PROVINCE', Menteri: 'NATIONAL' };

/** A value outside OSS's published code lists: the system broke its contract (counted as a failure). */
function known<T>(table: Record<string, T>, value: string, field: string): T {
  const mapped = table[value];
  if (mapped === undefined) throw new Error(`OSS RBA answered an unknown ${field} "${value}"`);
  return mapped;
}

const toActivity = (w: WireKbli): BusinessActivityRecord => ({
  code: w.kbli,
  description: w.uraian_kbli,
  risk: known(RISK, w.tingkat_risiko, 'tingkat_risiko'),
});

const toBusiness = (w: WireBusinessSummary): BusinessRecord => ({
  nib: w.nib,
  name: w.nama_perusahaan,
  issuedOn: w.tanggal_terbit_oss,
  status: w.status_nib,
  scale: known(SCALE, w.skala_usaha, 'skala_usaha'),
  activities: (w.data_kbli ?? []).map(toActivity),
});

const toDetails = (w: WireBusiness): BusinessDetailsRecord => {
  const a = w.alamat_usaha;
  return {
    ...toBusiness(w),
    address: [a.alamat, a.rt_rw && `RT/RW ${a.rt_rw}`, a.kelurahan, `Kec. ${a.kecamatan}`, a.kab_kota, a.provinsi, a.kode_pos].filter(Boolean).join(', '),
    responsibleNiks: (w.penanggung_jawab ?? []).map((p) => p.nik_penanggung_jawab),
  };
};

const toLicence = (nib: string, w: WireLicence): LicenceRecord => ({
  id: w.id_izin,
  nib,
  kind: known(KIND, w.jenis_izin, 'jenis_izin'),
  name: w.nama_izin,
  number: w.nomor_izin,
  kbli: w.kbli,
  issuer: w.instansi,
  authority: known(AUTHORITY, w.kewenangan, 'kewenangan'),
  status: known(STATUS, w.status_izin, 'status_izin'),
  appliedOn: w.tanggal_pengajuan,
  issuedOn: w.tanggal_terbit,
  validUntil: w.tanggal_berlaku_sampai,
  note: w.keterangan,
});

/**
 * OSS RBA host-to-host (JSON over POST, `user_key` header), behind timeout, retries and a breaker.
 * Every call is an inquiry, so every call is idempotent and may be retried.
 */
export class OssClient implements BusinessRegistry, LicenceStatistics {
  readonly upstream: Upstream;
  constructor(private readonly options: { baseUrl: string; userKey: string } & Partial<Omit<UpstreamOptions, 'service'>>) {
    this.upstream = new Upstream({ service: 'OSS RBA', ...options });
  }

  /** POSTs an inquiry and maps the answer inside the guarded call, so a malformed answer counts as a failure. */
  private inquire<W extends Envelope, T>(path: string, body: unknown, map: (wire: W) => T): Promise<T> {
    return this.upstream.call(
      async (signal) => {
        const { body: wire } = await fetchJson<W>(this.upstream.service, `${this.options.baseUrl.replace(/\/$/, '')}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', user_key: this.options.userKey },
          body: JSON.stringify(body),
          signal,
        });
        if (!wire || wire.status !== true) throw new Error(`OSS RBA answered without success: ${wire?.message ?? 'no body'}`);
        return map(wire);
      },
      { idempotent: true },
    );
  }

  businessesOf(nik: string): Promise<BusinessRecord[]> {
    return this.inquire<Envelope & { responseinqueryNIBByNIK: { dataNIB: WireBusinessSummary[] } }, BusinessRecord[]>('/api/v1/inqueryNIBByNIK', { nik }, (w) =>
      w.responseinqueryNIBByNIK.dataNIB.map(toBusiness),
    );
  }

  async businesses(nibs: readonly string[]): Promise<Map<string, BusinessDetailsRecord>> {
    const out = new Map<string, BusinessDetailsRecord>();
    for (const part of chunks([...new Set(nibs)], OSS_MAX_BATCH)) {
      const found = await this.inquire<Envelope & { responseinqueryNIB: { dataNIB: WireBusiness[] } }, BusinessDetailsRecord[]>('/api/v1/inqueryNIB', { nib: part }, (w) =>
        w.responseinqueryNIB.dataNIB.map(toDetails),
      );
      for (const b of found) out.set(b.nib, b);
    }
    return out;
  }

  async licences(nibs: readonly string[]): Promise<Map<string, LicenceRecord[]>> {
    const out = new Map<string, LicenceRecord[]>();
    for (const part of chunks([...new Set(nibs)], OSS_MAX_BATCH)) {
      const found = await this.inquire<Envelope & { responsestatusIzin: { dataIzin: { nib: string; izin: WireLicence[] }[] } }, [string, LicenceRecord[]][]>('/api/v1/statusIzin', { nib: part }, (w) =>
        w.responsestatusIzin.dataIzin.map((d) => [d.nib, (d.izin ?? []).map((l) => toLicence(d.nib, l))]),
      );
      for (const [nib, licences] of found) out.set(nib, licences);
    }
    return out;
  }

  /** OSS's issued-licence statistics between two days, in one call (`rekapIzinTerbit`). */
  issuedLicenceCounts(from: string, to: string): Promise<IssuedLicenceCount[]> {
    type Wire = Envelope & { responserekapIzinTerbit: { dataRekap: { bulan_terbit: string; kbli: string; kecamatan: string; jumlah_izin: number }[] } };
    return this.inquire<Wire, IssuedLicenceCount[]>('/api/v1/rekapIzinTerbit', { tanggal_awal: from, tanggal_akhir: to }, (w) =>
      w.responserekapIzinTerbit.dataRekap.map((r) => {
        if (!/^\d{4}-\d{2}$/.test(r.bulan_terbit) || !Number.isInteger(r.jumlah_izin) || r.jumlah_izin < 0) throw new Error('OSS RBA answered a malformed statistics row');
        return { month: r.bulan_terbit, kbli: r.kbli, kecamatan: r.kecamatan, count: r.jumlah_izin };
      }),
    );
  }
}
