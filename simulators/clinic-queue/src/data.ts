/**
 * Reference data of the Puskesmas of Kabupaten Trenggalek.
 *
 * Codes follow the Kemenkes pattern `P` + the 7-digit BPS kecamatan code (`3503110` = Trenggalek)
 * + a 3-digit serial, so two Puskesmas in one kecamatan (Trenggalek and Rejowinangun) stay apart.
 */

export type PoliCode = 'UMUM' | 'GIGI' | 'KIA' | 'KB' | 'MTBS' | 'LANSIA';

export interface PoliDefinition {
  kode: PoliCode;
  nama: string;
  /** Prefix of the printed queue number (`A-012`), one letter per polyclinic as on the ticket machine. */
  huruf: string;
  /** Average minutes per patient, used for the estimated service time. */
  menitPerPasien: number;
}

export const POLI: Readonly<Record<PoliCode, PoliDefinition>> = {
  UMUM: { kode: 'UMUM', nama: 'Poli Umum', huruf: 'A', menitPerPasien: 6 },
  GIGI: { kode: 'GIGI', nama: 'Poli Gigi dan Mulut', huruf: 'B', menitPerPasien: 15 },
  KIA: { kode: 'KIA', nama: 'Poli Kesehatan Ibu dan Anak', huruf: 'C', menitPerPasien: 10 },
  KB: { kode: 'KB', nama: 'Poli Keluarga Berencana', huruf: 'D', menitPerPasien: 10 },
  MTBS: { kode: 'MTBS', nama: 'Poli MTBS (Balita Sakit)', huruf: 'E', menitPerPasien: 8 },
  LANSIA: { kode: 'LANSIA', nama: 'Poli Lansia', huruf: 'F', menitPerPasien: 8 },
};

export interface PuskesmasDefinition {
  kode: string;
  nama: string;
  kecamatan: string;
  alamat: string;
  /** Daily quota per polyclinic offered there. */
  kuota: Partial<Record<PoliCode, number>>;
}

// Larger Puskesmas (rawat inap / town centre) run more polyclinics with larger quotas.
const BESAR: Partial<Record<PoliCode, number>> = { UMUM: 60, GIGI: 15, KIA: 25, KB: 15, MTBS: 20, LANSIA: 25 };
const SEDANG: Partial<Record<PoliCode, number>> = { UMUM: 45, GIGI: 12, KIA: 20, KB: 10, LANSIA: 20 };
const KECIL: Partial<Record<PoliCode, number>> = { UMUM: 35, GIGI: 10, KIA: 15 };

export const PUSKESMAS: readonly PuskesmasDefinition[] = [
  { kode: 'P3503010101', nama: 'Puskesmas Panggul', kecamatan: 'Panggul', alamat: 'Jl. Raya Panggul No. 1, Panggul', kuota: BESAR },
  { kode: 'P3503010102', nama: 'Puskesmas Bodag', kecamatan: 'Panggul', alamat: 'Desa Bodag, Panggul', kuota: KECIL },
  { kode: 'P3503020101', nama: 'Puskesmas Munjungan', kecamatan: 'Munjungan', alamat: 'Jl. Raya Munjungan, Munjungan', kuota: SEDANG },
  { kode: 'P3503030101', nama: 'Puskesmas Pule', kecamatan: 'Pule', alamat: 'Jl. Raya Pule, Pule', kuota: SEDANG },
  { kode: 'P3503040101', nama: 'Puskesmas Dongko', kecamatan: 'Dongko', alamat: 'Jl. Raya Dongko, Dongko', kuota: SEDANG },
  { kode: 'P3503040102', nama: 'Puskesmas Pandean', kecamatan: 'Dongko', alamat: 'Desa Pandean, Dongko', kuota: KECIL },
  { kode: 'P3503050101', nama: 'Puskesmas Tugu', kecamatan: 'Tugu', alamat: 'Jl. Raya Tugu - Ponorogo, Tugu', kuota: SEDANG },
  { kode: 'P3503060101', nama: 'Puskesmas Karangan', kecamatan: 'Karangan', alamat: 'Jl. Raya Karangan, Karangan', kuota: SEDANG },
  { kode: 'P3503070101', nama: 'Puskesmas Kampak', kecamatan: 'Kampak', alamat: 'Jl. Raya Kampak, Kampak', kuota: SEDANG },
  { kode: 'P3503080101', nama: 'Puskesmas Watulimo', kecamatan: 'Watulimo', alamat: 'Jl. Raya Prigi, Watulimo', kuota: BESAR },
  { kode: 'P3503080102', nama: 'Puskesmas Slawe', kecamatan: 'Watulimo', alamat: 'Desa Slawe, Watulimo', kuota: KECIL },
  { kode: 'P3503090101', nama: 'Puskesmas Bendungan', kecamatan: 'Bendungan', alamat: 'Desa Dompyong, Bendungan', kuota: KECIL },
  { kode: 'P3503100101', nama: 'Puskesmas Gandusari', kecamatan: 'Gandusari', alamat: 'Jl. Raya Gandusari, Gandusari', kuota: SEDANG },
  { kode: 'P3503100102', nama: 'Puskesmas Karanganyar', kecamatan: 'Gandusari', alamat: 'Desa Karanganyar, Gandusari', kuota: KECIL },
  { kode: 'P3503110101', nama: 'Puskesmas Trenggalek', kecamatan: 'Trenggalek', alamat: 'Jl. Brigjen Sutran No. 3, Trenggalek', kuota: BESAR },
  { kode: 'P3503110102', nama: 'Puskesmas Rejowinangun', kecamatan: 'Trenggalek', alamat: 'Jl. Mayjen Sungkono, Rejowinangun, Trenggalek', kuota: SEDANG },
  { kode: 'P3503120101', nama: 'Puskesmas Pogalan', kecamatan: 'Pogalan', alamat: 'Jl. Raya Pogalan No. 12, Pogalan', kuota: BESAR },
  { kode: 'P3503130101', nama: 'Puskesmas Durenan', kecamatan: 'Durenan', alamat: 'Jl. Raya Durenan, Durenan', kuota: BESAR },
  { kode: 'P3503130102', nama: 'Puskesmas Baruharjo', kecamatan: 'Durenan', alamat: 'Desa Baruharjo, Durenan', kuota: KECIL },
  { kode: 'P3503140101', nama: 'Puskesmas Suruh', kecamatan: 'Suruh', alamat: 'Jl. Raya Suruh, Suruh', kuota: SEDANG },
];

export const PUSKESMAS_TRENGGALEK = 'P3503110101';
export const PUSKESMAS_POGALAN = 'P3503120101';

/** Dinkesdalduk officers who serve patients (DEMO-DATA.md), with the Puskesmas they work at. */
export const PETUGAS: readonly { nip: string; nama: string; kodepuskesmas: string }[] = [
  { nip: '198912112014022002', nama: 'dr. Anita Permatasari', kodepuskesmas: PUSKESMAS_TRENGGALEK },
  { nip: '199305192020121006', nama: 'Eko Wahyudi', kodepuskesmas: PUSKESMAS_POGALAN },
];

/** Demo citizens (DEMO-DATA.md). */
export const WARGA = {
  siti: { nik: '3503115708900001', nomorkartu: '0001234567890' },
  budi: { nik: '3503120203850002', nomorkartu: '0001234567891' },
} as const;
