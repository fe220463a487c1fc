import { AgencyMeasureAnswerer, kecamatanCodeOf, monthRangeDays, type AgencyFact, type AgencyMeasureRequest } from '@gerbang/common';
import type { LicenceStatistics } from '../adapters/oss/registry';

/** KBLI 2020 sections (kategori) by their first two digits (golongan pokok). */
const KBLI_SECTIONS: readonly { code: string; name: string; from: number; to: number }[] = [
  { code: 'A', name: 'Pertanian, Kehutanan dan Perikanan', from: 1, to: 3 },
  { code: 'B', name: 'Pertambangan dan Penggalian', from: 5, to: 9 },
  { code: 'C', name: 'Industri Pengolahan', from: 10, to: 33 },
  { code: 'D', name: 'Pengadaan Listrik, Gas, Uap/Air Panas dan Udara Dingin', from: 35, to: 35 },
  { code: 'E', name: 'Treatment Air, Treatment Air Limbah, Pengelolaan dan Daur Ulang Sampah', from: 36, to: 39 },
  { code: 'F', name: 'Konstruksi', from: 41, to: 43 },
  { code: 'G', name: 'Perdagangan Besar dan Eceran; Reparasi Mobil dan Sepeda Motor', from: 45, to: 47 },
  { code: 'H', name: 'Pengangkutan dan Pergudangan', from: 49, to: 53 },
  { code: 'I', name: 'Penyediaan Akomodasi dan Makan Minum', from: 55, to: 56 },
  { code: 'J', name: 'Informasi dan Komunikasi', from: 58, to: 63 },
  { code: 'K', name: 'Aktivitas Keuangan dan Asuransi', from: 64, to: 66 },
  { code: 'L', name: 'Real Estat', from: 68, to: 68 },
  { code: 'M', name: 'Aktivitas Profesional, Ilmiah dan Teknis', from: 69, to: 75 },
  { code: 'N', name: 'Aktivitas Penyewaan dan Sewa Guna Usaha Tanpa Hak Opsi, Ketenagakerjaan, Agen Perjalanan dan Penunjang Usaha Lainnya', from: 77, to: 82 },
  { code: 'O', name: 'Administrasi Pemerintahan, Pertahanan dan Jaminan Sosial Wajib', from: 84, to: 84 },
  { code: 'P', name: 'Pendidikan', from: 85, to: 85 },
  { code: 'Q', name: 'Aktivitas Kesehatan Manusia dan Aktivitas Sosial', from: 86, to: 88 },
  { code: 'R', name: 'Kesenian, Hiburan dan Rekreasi', from: 90, to: 93 },
  { code: 'S', name: 'Aktivitas Jasa Lainnya', from: 94, to: 96 },
  { code: 'T', name: 'Aktivitas Rumah Tangga sebagai Pemberi Kerja', from: 97, to: 98 },
  { code: 'U', name: 'Aktivitas Badan Internasional dan Badan Ekstra Internasional Lainnya', from: 99, to: 99 },
];

/** The KBLI 2020 section of a 5-digit KBLI code; `X` when it is none. */
export function kbliSection(kbli: string): string {
  if (!/^\d{5}$/.test(kbli)) return 'X';
  const division = Number(kbli.slice(0, 2));
  return KBLI_SECTIONS.find((s) => division >= s.from && division <= s.to)?.code ?? 'X';
}

export const kbliSectionName = (code: string) => KBLI_SECTIONS.find((s) => s.code === code)?.name ?? 'Tidak diketahui';

/**
 * PERMITS_ISSUED for one request: one OSS statistics call per question, month × KBLI × kecamatan
 * facts rolled up to the question's dimensions and suppressed in the licensing subgraph.
 */
export function permitsIssuedAnswerer({ statistics, ...request }: AgencyMeasureRequest & { statistics: LicenceStatistics | undefined }) {
  return new AgencyMeasureAnswerer({
    ...request,
    measure: 'PERMITS_ISSUED',
    source: 'licensing',
    kind: 'count',
    periodRule: true,
    facts: async (range): Promise<AgencyFact[]> => {
      if (!statistics) throw new Error('licensing: no OSS statistics configured');
      const days = monthRangeDays(range);
      const rows = await statistics.issuedLicenceCounts(days.first, days.last);
      return rows.map((r) => ({ key: { MONTH: r.month, SECTOR: kbliSection(r.kbli), KECAMATAN: String(kecamatanCodeOf(r.kecamatan)) }, n: r.count }));
    },
  });
}
