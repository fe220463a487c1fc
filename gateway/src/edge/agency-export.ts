import type http from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RecordBatchStreamWriter } from 'apache-arrow';
import {
  arrowBatch,
  arrowSchema,
  csvFields,
  DATASET_FORMATS as AGENCY_EXPORT_FORMATS,
  DATASET_LICENCE as LICENCE,
  DATASET_MEDIA_TYPES as MEDIA_TYPES,
  type DatasetFormat as AgencyExportFormat,
  type DatasetColumn as Column,
  type DatasetMetadata as AgencyExportMetadata,
  type DatasetValue as Value,
} from '@gerbang/common/dataset';
import { stringify } from 'csv-stringify';
import type { FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import {
  AGENCY_DIMENSIONS,
  AGENCY_MEASURE_DEFS,
  AGENCY_MEASURES,
  ErrorCode,
  GerbangError,
  sendJson,
  validateAgencyQuestion,
  type AgencyDimension,
  type AgencyMeasure,
  type Logger,
} from '@gerbang/common';
import { EdgeRefusal } from './refusal';

/**
 * Exports of the measures the agency subgraphs contribute (PERMITS_ISSUED, PBB_COLLECTION_RATE,
 * CLINIC_BOOKINGS), answered at the gateway on `POST /insights/export` (README § Insights,
 * "Export"). The insights subgraph never sees these figures, so it cannot export them; the gateway
 * runs the `agencyInsights` operation through its own executor (the federated query plan) for the
 * caller it verified from the bearer token, so each subgraph applies its own `@requiresScopes`,
 * budget charge, suppression, access record and batching exactly as for a GraphQL call, and then
 * writes the rows as CSV or Arrow with the Satu Data metadata. The whole answer is fetched before
 * the first byte: a failing agency system is a refusal with its code, never a stream cut mid-way.
 *
 * A question naming both an agency measure and a cube measure is refused (BAD_USER_INPUT,
 * `measures`): the two are different data sets (other producers, other dimensions and filters,
 * other suppression bases), so they are exported one question each.
 */

/** Each agency measure's producer (Satu Data's "produsen data"): the agency whose system computes it. */
const PRODUCERS: Record<(typeof AGENCY_MEASURE_DEFS)[AgencyMeasure]['subgraph'], string> = {
  licensing: 'Pemerintah Kabupaten Trenggalek — Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu (DPMPTSP), data dari OSS RBA',
  'land-tax': 'Pemerintah Kabupaten Trenggalek — Badan Pengelolaan Keuangan dan Pendapatan Daerah (BPKPD), data dari SISMIOP',
  health: 'Pemerintah Kabupaten Trenggalek — Dinas Kesehatan, Pengendalian Penduduk dan Keluarga Berencana (Dinkesdalduk KB), data dari antrean Puskesmas',
};

/** The question of an agency export: the `AgencyInsightQuestionInput`, nothing else. */
interface AgencyExportQuestion {
  measures: AgencyMeasure[];
  dimensions: AgencyDimension[];
  from: string;
  to: string;
}

export interface AgencyExportRequest {
  question: AgencyExportQuestion;
  format: AgencyExportFormat;
}

const badInput = (message: string, field: string) => new EdgeRefusal(400, ErrorCode.BAD_USER_INPUT, message, { field });
const isAgencyMeasure = (m: unknown): m is AgencyMeasure => typeof m === 'string' && (AGENCY_MEASURES as readonly string[]).includes(m);
/** Absent, null, `{}` or `[]`: what a cube question's defaults look like, so nothing an agency question refuses. */
const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === 'object' && Object.keys(v).length === 0);

/**
 * Which path an export body takes. undefined: it names no agency measure (or is not a question at
 * all), so it goes to the insights subgraph's cube export exactly as it came. Otherwise the agency
 * export's request, checked; a question mixing agency and cube measures is refused.
 */
export function agencyExportRequest(body: Buffer): AgencyExportRequest | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object') return undefined;
  const { question, format = 'csv' } = parsed as { question?: unknown; format?: unknown };
  if (!question || typeof question !== 'object') return undefined;
  const q = question as Record<string, unknown>;
  if (!Array.isArray(q.measures) || !q.measures.some(isAgencyMeasure)) return undefined;
  const others = q.measures.filter((m) => !isAgencyMeasure(m));
  if (others.length)
    throw badInput(
      `${q.measures.filter(isAgencyMeasure).join(', ')} ${q.measures.filter(isAgencyMeasure).length > 1 ? 'are agency measures' : 'is an agency measure'} and ${others.map(String).join(', ')} ${others.length > 1 ? 'are' : 'is'} not: ` +
        'an agency measure comes from its agency system, with its own dimensions and suppression, so it is not a column of the cube’s table. Export the agency measures and the cube’s in two questions.',
      'measures',
    );
  if (typeof format !== 'string' || !(AGENCY_EXPORT_FORMATS as readonly string[]).includes(format)) throw badInput(`format is one of ${AGENCY_EXPORT_FORMATS.join(', ')}.`, 'format');
  for (const [key, value] of Object.entries(q)) {
    if (['measures', 'dimensions', 'from', 'to'].includes(key) || isEmpty(value)) continue;
    throw badInput(`Agency measures take no ${key}: a question about them is measures, dimensions, from and to.`, key);
  }
  const dimensions = q.dimensions ?? [];
  if (!Array.isArray(dimensions) || dimensions.some((d) => typeof d !== 'string' || !(AGENCY_DIMENSIONS as readonly string[]).includes(d)))
    throw badInput(`The dimensions of an agency question are ${AGENCY_DIMENSIONS.join(', ')}.`, 'dimensions');
  for (const field of ['from', 'to'] as const) if (typeof q[field] !== 'string') throw badInput(`${field} must be a month, YYYY-MM.`, field);
  return { question: { measures: q.measures as AgencyMeasure[], dimensions: dimensions as AgencyDimension[], from: q.from as string, to: q.to as string }, format: format as AgencyExportFormat };
}

/** The gateway's executor for the verified caller, after the query budget of the caller's roles (server.ts). */
export type ExecuteForCaller = (query: string, operationName: string, variables: Record<string, unknown>) => Promise<FormattedExecutionResult>;

const MEASURE_INFO = 'measure field subgraph unit definition dimensions minimumCellSize';

/** What the export asks of the graph: the question's measures only (`@include`), one batched `_entities` call per agency subgraph. */
const AGENCY_EXPORT_QUERY = `query AgencyInsightsExport($q: AgencyInsightQuestionInput!, $permits: Boolean!, $pbb: Boolean!, $clinics: Boolean!) {
  agencyInsights(question: $q) {
    cost budgetRemaining
    measures { ${MEASURE_INFO} }
    permitsIssued @include(if: $permits) { rows { month kecamatan kecamatanName sector sectorName value suppressed } suppressedCells }
    pbbCollectionRate @include(if: $pbb) { rows { month kecamatan kecamatanName value suppressed } suppressedCells }
    clinicBookings @include(if: $clinics) { rows { month kecamatan kecamatanName puskesmas puskesmasName value suppressed } suppressedCells }
  }
}`;

/** The metadata of a question without its figures: the measures' definitions and k, nothing charged or recorded. */
const MEASURES_QUERY = `query AgencyInsightMeasures { agencyInsightMeasures { ${MEASURE_INFO} } }`;

interface MeasureInfo {
  measure: AgencyMeasure;
  field: string;
  subgraph: keyof typeof PRODUCERS;
  unit: string;
  definition: string;
  dimensions: AgencyDimension[];
  minimumCellSize: number;
}

/** A row of any agency measure's answer (the fields its type has; the others absent). */
interface AnswerRow {
  month?: string | null;
  kecamatan?: number | null;
  kecamatanName?: string | null;
  sector?: string | null;
  sectorName?: string | null;
  puskesmas?: string | null;
  puskesmasName?: string | null;
  value: number | null;
  suppressed: boolean;
}

interface AgencyAnswer {
  cost: number;
  budgetRemaining: number;
  measures: MeasureInfo[];
  [field: string]: unknown;
}

/** A dimension's columns, and how a row gives them. */
const DIMENSION_COLUMNS: Record<AgencyDimension, { name: string; kind: 'text' | 'integer'; of: (r: AnswerRow) => string | number | null }[]> = {
  MONTH: [{ name: 'month', kind: 'text', of: (r) => r.month ?? null }],
  KECAMATAN: [
    { name: 'kecamatan_code', kind: 'integer', of: (r) => r.kecamatan ?? null },
    { name: 'kecamatan', kind: 'text', of: (r) => r.kecamatanName ?? null },
  ],
  SECTOR: [
    { name: 'sector', kind: 'text', of: (r) => r.sector ?? null },
    { name: 'sector_name', kind: 'text', of: (r) => r.sectorName ?? null },
  ],
  PUSKESMAS: [
    { name: 'puskesmas', kind: 'text', of: (r) => r.puskesmas ?? null },
    { name: 'puskesmas_name', kind: 'text', of: (r) => r.puskesmasName ?? null },
  ],
};
/** The field of a row that keys it in each dimension. */
const KEY_OF: Record<AgencyDimension, (r: AnswerRow) => string | number | null | undefined> = {
  MONTH: (r) => r.month,
  KECAMATAN: (r) => r.kecamatan,
  SECTOR: (r) => r.sector,
  PUSKESMAS: (r) => r.puskesmas,
};

function columnsOf(question: AgencyExportQuestion): Column[] {
  return [
    ...question.dimensions.flatMap((d) => DIMENSION_COLUMNS[d].map(({ name, kind }) => ({ name, kind }))),
    ...orderedMeasures(question).flatMap((m): Column[] => [
      { name: m.toLowerCase(), kind: 'measure' },
      { name: `${m.toLowerCase()}_suppressed`, kind: 'suppressed' },
    ]),
  ];
}

/** The measures in the order the graph answers them (AGENCY_MEASURES'), as the columns are. */
const orderedMeasures = (question: AgencyExportQuestion) => AGENCY_MEASURES.filter((m) => question.measures.includes(m));

function metadataOf(question: AgencyExportQuestion, infos: readonly MeasureInfo[], issued: Date, dataAsOf: string | null): AgencyExportMetadata {
  const measures = orderedMeasures(question).map((m) => infos.find((i) => i.measure === m)!);
  const split = question.dimensions.length ? ` menurut ${question.dimensions.map((d) => d.toLowerCase()).join(', ')}` : '';
  return {
    title: `${measures.map((m) => m.measure.toLowerCase()).join(', ')}${split}, ${question.from} s.d. ${question.to}`,
    producer: [...new Set(measures.map((m) => PRODUCERS[m.subgraph]))].join('; '),
    period: `${question.from}/${question.to}`,
    issued: issued.toISOString(),
    dataAsOf,
    definitions: [
      ...question.dimensions.map((d) => ({ column: DIMENSION_COLUMNS[d].map((c) => c.name).join(', '), definition: `dimension ${d}`, unit: '' })),
      ...measures.map((m) => ({ column: m.measure.toLowerCase(), definition: m.definition, unit: m.unit })),
    ],
    suppressionRule:
      `A cell made by fewer than k records of its measure's basis is empty with <measure>_suppressed = true (k: ${measures
        .map((m) => `${m.measure.toLowerCase()} ${m.minimumCellSize} ${AGENCY_MEASURE_DEFS[m.measure].basis}`)
        .join(', ')}), applied by the agency subgraph that computes the measure; complementary cells are suppressed too in every line, ` +
      'and a count over a period holding some but not all hidden months of a year is suppressed, so that no hidden cell can be recovered from totals or from two periods. ' +
      'A cell empty with <measure>_suppressed = false has no records in the agency system (Gerbang README, "Measures the agency subgraphs contribute").',
    licence: LICENCE,
  };
}

/** The measures' answers joined on their dimension keys, in key order (codes numerically, as each answer's own rows are). */
function recordsOf(question: AgencyExportQuestion, answer: AgencyAnswer): Value[][] {
  const measures = orderedMeasures(question);
  const rows = new Map<string, { sample: AnswerRow; cells: Map<AgencyMeasure, AnswerRow> }>();
  for (const m of measures) {
    const field = AGENCY_MEASURE_DEFS[m].field;
    for (const r of (answer[field] as { rows: AnswerRow[] }).rows) {
      const key = JSON.stringify(question.dimensions.map((d) => String(KEY_OF[d](r) ?? '')));
      const row = rows.get(key) ?? { sample: r, cells: new Map() };
      row.cells.set(m, r);
      rows.set(key, row);
    }
  }
  return [...rows]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([, { sample, cells }]) => [
      ...question.dimensions.flatMap((d) => DIMENSION_COLUMNS[d].map((c) => c.of(sample))),
      ...measures.flatMap((m) => {
        const cell = cells.get(m);
        return [cell?.value ?? null, cell?.suppressed ?? false];
      }),
    ]);
}

/** HTTP status of a refusal the graph answered, by its code (the cube export's statuses). */
const STATUS_OF: Record<string, number> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.INSIGHTS_BUDGET_EXCEEDED]: 429,
  [ErrorCode.UPSTREAM_UNAVAILABLE]: 503,
};

function refusalOf(error: GraphQLFormattedError | undefined, now: Date): EdgeRefusal {
  const { code = ErrorCode.INTERNAL_SERVER_ERROR, ...extensions } = (error?.extensions ?? {}) as { code?: string } & Record<string, unknown>;
  if (code === 'GRAPHQL_VALIDATION_FAILED') return new EdgeRefusal(503, ErrorCode.UPSTREAM_UNAVAILABLE, 'Agency insights are not part of this graph.', { service: 'insights' });
  const headers: Record<string, string> =
    code === ErrorCode.INSIGHTS_BUDGET_EXCEEDED && typeof extensions.resetsAt === 'string'
      ? { 'retry-after': String(Math.max(1, Math.ceil((Date.parse(extensions.resetsAt) - now.getTime()) / 1000))) }
      : {};
  const status = STATUS_OF[code] ?? (code === ErrorCode.INTERNAL_SERVER_ERROR ? 500 : 502);
  return new EdgeRefusal(status, code, error?.message ?? 'Internal error.', extensions, headers);
}

export interface AgencyExportOptions {
  execute: ExecuteForCaller;
  requestId: string;
  baseHeaders: Record<string, string>;
  logger: Logger;
  /** Rows per written CSV chunk and per Arrow record batch. */
  batchRows?: number;
  now?: () => Date;
}

/**
 * Answers an agency export: the graph's answer first (refusals as JSON with the GraphQL error
 * shape, before any byte of data), then the data set written with the response's backpressure.
 */
export async function exportAgencyMeasures(res: http.ServerResponse, request: AgencyExportRequest, options: AgencyExportOptions): Promise<void> {
  const now = () => options.now?.() ?? new Date();
  const { question, format } = request;
  const columns = columnsOf(question);
  const filename = `gerbang-agency-insights-${question.from}-${question.to}`;
  if (format === 'metadata') {
    const result = await options.execute(MEASURES_QUERY, 'AgencyInsightMeasures', {});
    const infos = (result.data?.agencyInsightMeasures ?? null) as MeasureInfo[] | null;
    if (!infos) throw refusalOf(result.errors?.[0], now());
    // The question checked as the insights subgraph checks it, with the k in force, so a companion is never of a question the data export would refuse.
    try {
      validateAgencyQuestion({ ...question, k: Object.fromEntries(infos.map((i) => [i.measure, i.minimumCellSize])) });
    } catch (err) {
      if (!(err instanceof GerbangError)) throw err;
      throw refusalOf({ message: err.message, extensions: err.extensions }, now());
    }
    return sendJson(
      res,
      200,
      { ...metadataOf(question, infos, now(), null), columns },
      { ...options.baseHeaders, 'cache-control': 'no-store', 'content-disposition': `attachment; filename="${filename}.json"` },
    );
  }
  const variables = {
    q: question,
    permits: question.measures.includes('PERMITS_ISSUED'),
    pbb: question.measures.includes('PBB_COLLECTION_RATE'),
    clinics: question.measures.includes('CLINIC_BOOKINGS'),
  };
  const result = await options.execute(AGENCY_EXPORT_QUERY, 'AgencyInsightsExport', variables);
  const answer = (result.data?.agencyInsights ?? null) as AgencyAnswer | null;
  if (!answer) throw refusalOf(result.errors?.[0], now());
  const dataAsOf = now();
  // Every measure asked must be there: one whose agency system failed refuses the export (nothing partial is published).
  for (const m of orderedMeasures(question)) {
    const def = AGENCY_MEASURE_DEFS[m];
    if (answer[def.field]) continue;
    const error = result.errors?.find((e) => e.path?.[1] === def.field);
    const code = (error?.extensions?.code as string | undefined) ?? ErrorCode.UPSTREAM_UNAVAILABLE;
    options.logger.warn({ requestId: options.requestId, measure: m, code, error: error?.message }, 'agency export: a measure did not arrive');
    throw new EdgeRefusal(STATUS_OF[code] ?? 503, code, `${m} is unavailable (${def.subgraph}: ${error?.message ?? 'no answer'}); nothing was exported. Try again later.`, {
      service: def.subgraph,
      measure: m,
    });
  }
  const metadata = metadataOf(question, answer.measures, now(), dataAsOf.toISOString());
  const records = recordsOf(question, answer);
  const suppressedCells = orderedMeasures(question).reduce((n, m) => n + (answer[AGENCY_MEASURE_DEFS[m].field] as { suppressedCells: number }).suppressedCells, 0);
  res.writeHead(200, {
    ...options.baseHeaders,
    'content-type': MEDIA_TYPES[format],
    'content-disposition': `attachment; filename="${filename}.${format}"`,
    'cache-control': 'no-store',
    'gerbang-insights-cost': String(answer.cost),
    'gerbang-insights-budget-remaining': String(answer.budgetRemaining),
    'gerbang-insights-suppressed-cells': String(suppressedCells),
  });
  const size = options.batchRows ?? 1000;
  // The client gone mid-way (the answer itself was complete): logged as the forwarded export's end is.
  const endedEarly = (err: unknown) => options.logger.info({ requestId: options.requestId, err: err instanceof Error ? err.message : String(err) }, 'agency export ended early');
  if (format === 'csv') {
    function* lines() {
      yield columns.map((c) => c.name);
      for (const r of records) yield csvFields(r);
    }
    await pipeline(Readable.from(lines()), stringify({ record_delimiter: '\r\n' }), res).catch(endedEarly);
    return;
  }
  const schema = arrowSchema(columns, metadata);
  function* recordBatches() {
    // An answer with no rows is still a data set: its schema (and metadata) in an empty batch.
    if (!records.length) yield arrowBatch(schema, []);
    for (let i = 0; i < records.length; i += size) yield arrowBatch(schema, records.slice(i, i + size));
  }
  await pipeline(Readable.from(recordBatches()), RecordBatchStreamWriter.throughNode(), res).catch(endedEarly);
}
