import { stringify } from 'csv-stringify/sync';
import { csvFields, DATASET_LICENCE as LICENCE, type DatasetColumn as ExportColumn, type DatasetMetadata as ExportMetadata, type DatasetValue as ExportValue } from '@gerbang/common/dataset';
import { KECAMATAN } from '../history/catalogue';
import type { InsightResult } from './insights.service';
import type { PrivacyPolicy } from './engine';
import { measureDef, type Dimension, type Question } from './model';

/**
 * An answer as a data set for open data (Satu Data Indonesia, Perpres 39/2019: every data set
 * published with its metadata): one column per dimension and per measure, a suppressed cell left
 * empty (null) with its `<measure>_suppressed` column `true`; and the metadata the portal needs
 * (title, producer, period, every measure's definition, the suppression rule, the licence).
 * The GraphQL field (`insightsExport`) and the streamed HTTP export (`export-http.ts`: CSV and
 * Apache Arrow) share these columns, rows and metadata.
 */

export const PRODUCER = 'Pemerintah Kabupaten Trenggalek — Gerbang (hub layanan publik), data dari buku besar tiket dan penilaian layanan';
export { DATASET_LICENCE as LICENCE } from '@gerbang/common/dataset';

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

export function exportColumns(question: Question): ExportColumn[] {
  return [
    ...question.dimensions.flatMap((d) => DIMENSION_COLUMNS[d].map((name): ExportColumn => ({ name, kind: name === 'kecamatan_code' ? 'integer' : 'text' }))),
    ...question.measures.flatMap((m): ExportColumn[] => [
      { name: m.toLowerCase(), kind: 'measure' },
      { name: `${m.toLowerCase()}_suppressed`, kind: 'suppressed' },
    ]),
  ];
}

/** The answer's rows as typed values, in the order of `exportColumns`. */
export function* exportRecords(question: Question, result: Pick<InsightResult, 'rows'>): Generator<ExportValue[]> {
  for (const r of result.rows) {
    const out: ExportValue[] = [];
    for (const d of question.dimensions) {
      const v = r.key[d] ?? null;
      if (d === 'KECAMATAN') out.push(v === null ? null : Number(v), KECAMATAN.find((k) => String(k.code) === v)?.name ?? 'Tidak diketahui');
      else out.push(v);
    }
    for (const c of r.cells) out.push(c.value, c.suppressed);
    yield out;
  }
}

export function exportMetadata(question: Question, privacy: PrivacyPolicy, now: Date, dataAsOf: string | null): ExportMetadata {
  const split = question.dimensions.length ? ` menurut ${question.dimensions.map((d) => d.toLowerCase()).join(', ')}` : '';
  const filters = Object.entries(question.filter)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`);
  return {
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
      `A cell made by fewer than k records of its basis (citizens, raters: distinct citizens) is empty with <measure>_suppressed = true (k: ${Object.entries(privacy.k)
        .map(([b, k]) => `${b.toLowerCase()} ${k}`)
        .join(', ')}); ` +
      `a position-class cell and an officer count (officers, officers_below_4_stars) must describe at least ${privacy.minOfficers} officers. Complementary cells are suppressed too, so that no hidden cell can be recovered from totals, ` +
      'from a filtered question or from two periods; for distinct citizens, a line total minus its visible cells is never 1 to k-1 (Gerbang README, "Privacy by construction").',
    licence: LICENCE,
  };
}

export const exportFilename = (question: Question, extension: string) => `gerbang-insights-${question.from}-${question.to}.${extension}`;

/** The whole answer as one CSV text (the GraphQL field; the HTTP export streams the same rows). */
export function exportCsv(question: Question, result: InsightResult, privacy: PrivacyPolicy, now: Date, dataAsOf: string | null): { csv: string; metadata: ExportMetadata; filename: string } {
  const header = exportColumns(question).map((c) => c.name);
  const csv = stringify([header, ...[...exportRecords(question, result)].map(csvFields)], { record_delimiter: '\r\n' });
  return { csv, metadata: exportMetadata(question, privacy, now, dataAsOf), filename: exportFilename(question, 'csv') };
}
