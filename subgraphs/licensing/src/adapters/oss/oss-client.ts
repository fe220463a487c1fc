import { z } from 'zod';
import { chunks, fetchJson, parseWire, Upstream, type UpstreamOptions } from '@gerbang/common';
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

const SERVICE = 'OSS RBA';

// ---- OSS's wire format (its own snake_case, Indonesian names), checked at this boundary ----
const RISK = { Rendah: 'LOW', 'Menengah Rendah': 'MEDIUM_LOW', 'Menengah Tinggi': 'MEDIUM_HIGH', Tinggi: 'HIGH' } as const satisfies Record<string, KbliRisk>;
const SCALE = { 'Usaha Mikro': 'MICRO', 'Usaha Kecil': 'SMALL', 'Usaha Menengah': 'MEDIUM', 'Usaha Besar': 'LARGE' } as const satisfies Record<string, BusinessScale>;
const KIND = { IZIN: 'BUSINESS_LICENCE', SERTIFIKAT_STANDAR: 'STANDARD_CERTIFICATE', PB_UMKU: 'SUPPORTING_LICENCE' } as const satisfies Record<string, LicenceKind>;
const STATUS = { TERBIT: 'ISSUED', PROSES: 'IN_PROCESS', DITOLAK: 'REJECTED', KEDALUWARSA: 'EXPIRED' } as const satisfies Record<string, LicenceStatus>;
const AUTHORITY = { Bupati: 'REGENCY', Gubernur: 'PROVINCE', Menteri: 'NATIONAL' } as const satisfies Record<string, LicenceAuthority>;

/** One of OSS's published code lists, read as the hub's value: a code outside the list breaks the interface. */
const coded = <K extends string, V>(table: Record<K, V>) => z.enum(Object.keys(table) as [K, ...K[]]).transform((k) => table[k]);
/** A list OSS may leave out when it is empty. */
const listOf = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);

const WireKbli = z.object({ kbli: z.string(), uraian_kbli: z.string(), tingkat_risiko: coded(RISK) });
const WireBusinessSummary = z.object({
  nib: z.string(),
  nama_perusahaan: z.string(),
  tanggal_terbit_oss: z.string(),
  status_nib: z.string(),
  skala_usaha: coded(SCALE),
  data_kbli: listOf(WireKbli),
});
const WireBusiness = WireBusinessSummary.extend({
  alamat_usaha: z.object({ alamat: z.string(), rt_rw: z.string(), kelurahan: z.string(), kecamatan: z.string(), kab_kota: z.string(), provinsi: z.string(), kode_pos: z.string() }),
  penanggung_jawab: listOf(z.object({ nik_penanggung_jawab: z.string() })),
});
const WireLicence = z.object({
  id_izin: z.string(),
  jenis_izin: coded(KIND),
  nama_izin: z.string(),
  nomor_izin: z.string().nullable(),
  kbli: z.string().nullable(),
  instansi: z.string(),
  kewenangan: coded(AUTHORITY),
  status_izin: coded(STATUS),
  tanggal_pengajuan: z.string(),
  tanggal_terbit: z.string().nullable(),
  tanggal_berlaku_sampai: z.string().nullable(),
  keterangan: z.string().nullable(),
});
/** Every answer: `status` true on success, then the endpoint's own `response<endpoint>`. */
const Envelope = z.looseObject({ status: z.unknown(), message: z.string().optional().catch(undefined) });

const BusinessesOf = z.object({ responseinqueryNIBByNIK: z.object({ dataNIB: z.array(WireBusinessSummary) }) });
const Businesses = z.object({ responseinqueryNIB: z.object({ dataNIB: z.array(WireBusiness) }) });
const Licences = z.object({ responsestatusIzin: z.object({ dataIzin: z.array(z.object({ nib: z.string(), izin: listOf(WireLicence) })) }) });
const IssuedCounts = z.object({
  responserekapIzinTerbit: z.object({
    dataRekap: z.array(z.object({ bulan_terbit: z.string().regex(/^\d{4}-\d{2}$/), kbli: z.string(), kecamatan: z.string(), jumlah_izin: z.number().int().nonnegative() })),
  }),
});

const toBusiness = (w: z.output<typeof WireBusinessSummary>): BusinessRecord => ({
  nib: w.nib,
  name: w.nama_perusahaan,
  issuedOn: w.tanggal_terbit_oss,
  status: w.status_nib,
  scale: w.skala_usaha,
  activities: w.data_kbli.map((k): BusinessActivityRecord => ({ code: k.kbli, description: k.uraian_kbli, risk: k.tingkat_risiko })),
});

const toDetails = (w: z.output<typeof WireBusiness>): BusinessDetailsRecord => {
  const a = w.alamat_usaha;
  return {
    ...toBusiness(w),
    address: [a.alamat, a.rt_rw && `RT/RW ${a.rt_rw}`, a.kelurahan, `Kec. ${a.kecamatan}`, a.kab_kota, a.provinsi, a.kode_pos].filter(Boolean).join(', '),
    responsibleNiks: w.penanggung_jawab.map((p) => p.nik_penanggung_jawab),
  };
};

const toLicence = (nib: string, w: z.output<typeof WireLicence>): LicenceRecord => ({
  id: w.id_izin,
  nib,
  kind: w.jenis_izin,
  name: w.nama_izin,
  number: w.nomor_izin,
  kbli: w.kbli,
  issuer: w.instansi,
  authority: w.kewenangan,
  status: w.status_izin,
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
    this.upstream = new Upstream({ service: SERVICE, ...options });
  }

  /**
   * POSTs an inquiry and checks the answer against `schema` inside the guarded call, so an answer
   * that breaks the interface is UPSTREAM_INVALID and counts as a failure of OSS.
   */
  private inquire<S extends z.ZodType, T>(path: string, body: unknown, schema: S, map: (wire: z.output<S>) => T): Promise<T> {
    return this.upstream.call(
      async (signal) => {
        const { body: envelope } = await fetchJson(SERVICE, `${this.options.baseUrl.replace(/\/$/, '')}${path}`, Envelope, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', user_key: this.options.userKey },
          body: JSON.stringify(body),
          signal,
        });
        if (envelope.status !== true) throw new Error(`OSS RBA answered without success: ${envelope.message ?? 'no message'}`);
        return map(parseWire(SERVICE, schema, envelope));
      },
      { idempotent: true },
    );
  }

  businessesOf(nik: string): Promise<BusinessRecord[]> {
    return this.inquire('/api/v1/inqueryNIBByNIK', { nik }, BusinessesOf, (w) => w.responseinqueryNIBByNIK.dataNIB.map(toBusiness));
  }

  async businesses(nibs: readonly string[]): Promise<Map<string, BusinessDetailsRecord>> {
    const out = new Map<string, BusinessDetailsRecord>();
    for (const part of chunks([...new Set(nibs)], OSS_MAX_BATCH)) {
      const found = await this.inquire('/api/v1/inqueryNIB', { nib: part }, Businesses, (w) => w.responseinqueryNIB.dataNIB.map(toDetails));
      for (const b of found) out.set(b.nib, b);
    }
    return out;
  }

  async licences(nibs: readonly string[]): Promise<Map<string, LicenceRecord[]>> {
    const out = new Map<string, LicenceRecord[]>();
    for (const part of chunks([...new Set(nibs)], OSS_MAX_BATCH)) {
      const found = await this.inquire('/api/v1/statusIzin', { nib: part }, Licences, (w) =>
        w.responsestatusIzin.dataIzin.map((d): [string, LicenceRecord[]] => [d.nib, d.izin.map((l) => toLicence(d.nib, l))]),
      );
      for (const [nib, licences] of found) out.set(nib, licences);
    }
    return out;
  }

  /** OSS's issued-licence statistics between two days, in one call (`rekapIzinTerbit`). */
  issuedLicenceCounts(from: string, to: string): Promise<IssuedLicenceCount[]> {
    return this.inquire('/api/v1/rekapIzinTerbit', { tanggal_awal: from, tanggal_akhir: to }, IssuedCounts, (w) =>
      w.responserekapIzinTerbit.dataRekap.map((r) => ({ month: r.bulan_terbit, kbli: r.kbli, kecamatan: r.kecamatan, count: r.jumlah_izin })),
    );
  }
}
