import { stringify } from 'csv-stringify/sync';
import { KECAMATAN } from '../history/catalogue';
import type { InsightResult } from './insights.service';
import type { PrivacyPolicy } from './engine';
import { measureDef, type Dimension, type Question } from './model';

/**
 * An answer as a data set for open data (Satu Data Indonesia, Perpres 39/2019: every data set
 * published with its metadata): CSV rows, one column per dimension and per measure, a suppressed
 * cell left empty with its `<measure>_suppressed` column `true`; and the metadata the portal needs
 * (title, producer, period, every measure's definition, the suppression rule, the licence).
 */
export interface ExportMetadata {
  title: string;
  producer: string;
  period: string;
  issued: string;
  dataAsOf: string | null;
  definitions: { column: string; definition: string; unit: string }[];
  suppressionRule: string;
  licence: string;
}

export const PRODUCER = 'Pemerintah Kabupaten Trenggalek — Gerbang (hub layanan publik), data dari buku besar tiket dan penilaian layanan';
export const LICENCE = 'Creative Commons Attribution 4.0 International (CC BY 4.0)';

const DIMENSION_COLUMNS: Record<Dimension, string[]> = {
  AGENCY: ['agency_id'],
  SERVICE: ['service_id'],
  MONTH: ['month'],
  WEEK: ['week'],
  DAY: ['day'],
  KECAMATAN: ['kecamatan_code', 'kecamatan'],
  CHANNEL: ['channel'],
  POSITION_CLASS: ['position_class'],
};

export function exportCsv(question: Question, result: InsightResult, privacy: PrivacyPolicy, now: Date, dataAsOf: string | null): { csv: string; metadata: ExportMetadata; filename: string } {
  const header = [...question.dimensions.flatMap((d) => DIMENSION_COLUMNS[d]), ...question.measures.flatMap((m) => [m.toLowerCase(), `${m.toLowerCase()}_suppressed`])];
  const rows = result.rows.map((r) => [
    ...question.dimensions.flatMap((d) => {
      const v = r.key[d] ?? '';
      return d === 'KECAMATAN' ? [v, KECAMATAN.find((k) => String(k.code) === v)?.name ?? 'Tidak diketahui'] : [v];
    }),
    ...r.cells.flatMap((c) => [c.value === null ? '' : String(c.value), c.suppressed ? 'true' : 'false']),
  ]);
  const csv = stringify([header, ...rows], { record_delimiter: '\r\n' });
  const split = question.dimensions.length ? ` menurut ${question.dimensions.map((d) => d.toLowerCase()).join(', ')}` : '';
  const filters = Object.entries(question.filter).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`);
  const metadata: ExportMetadata = {
    title: `${question.measures.map((m) => m.toLowerCase()).join(', ')}${split}, ${question.from} s.d. ${question.to}${filters.length ? ` (${filters.join(', ')})` : ''}`,
    producer: PRODUCER,
    period: `${question.from}/${question.to}`,
    issued: now.toISOString(),
    dataAsOf,
    definitions: [
      ...question.dimensions.map((d) => ({ column: DIMENSION_COLUMNS[d].join(', '), definition: `dimension ${d}`, unit: '' })),
      ...question.measures.map((m) => {
        const def = measureDef(m);
        return { column: m.toLowerCase(), definition: def.definition, unit: def.unit };
      }),
    ],
    suppressionRule:
      `A cell made by fewer than k records of its basis is empty with <measure>_suppressed = true (k: ${Object.entries(privacy.k).map(([b, k]) => `${b.toLowerCase()} ${k}`).join(', ')}); ` +
      `a position-class cell must describe at least ${privacy.minOfficers} officers. Complementary cells are suppressed too, so that no hidden cell can be recovered from totals, ` +
      'from a filtered question or from two periods (Gerbang README, "Privacy by construction").',
    licence: LICENCE,
  };
  const filename = `gerbang-insights-${question.from}-${question.to}.csv`;
  return { csv, metadata, filename };
}
