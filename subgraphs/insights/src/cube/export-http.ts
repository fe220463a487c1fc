import type http from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RecordBatchStreamWriter } from 'apache-arrow';
import { stringify } from 'csv-stringify';
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import { ErrorCode, hasRole, InternalAuthError, readBody, sendJson, type Logger, type RequestVerifier } from '@gerbang/common';
import { validateQuestion, type InsightsPolicy, type InsightsService } from './insights.service';
import {
  arrowBatch,
  arrowSchema,
  csvFields,
  DATASET_FORMATS as EXPORT_FORMATS,
  DATASET_MEDIA_TYPES as MEDIA_TYPES,
  type DatasetFormat as ExportFormat,
  type DatasetValue as ExportValue,
} from '@gerbang/common/dataset';
import { exportColumns, exportFilename, exportMetadata, exportRecords } from './export';
import { DIMENSIONS, MEASURE_NAMES, type Question } from './model';

/**
 * The streamed export: `POST /export` on the insights subgraph, reached through the gateway's
 * `POST /insights/export`, which authenticates the caller exactly as on /graphql and forwards the
 * request signed for the audience `insights:export` with that caller (the same envelope as a
 * GraphQL call; a call signed for `insights` is refused here, and the other way round). The body:
 * `{ "question": <InsightQuestionInput as JSON>, "format": "csv" | "arrow" | "metadata" }`.
 *
 * The question goes through `InsightsService.ask` like a GraphQL one (validation, price, budget
 * charge, suppression, access record), its rollup rows read through a cursor; the rows are then
 * written in batches with the response's backpressure: CSV (RFC 4180) or an Apache Arrow IPC
 * stream whose schema carries the Satu Data metadata. `metadata` answers the companion JSON of a
 * question (no data, nothing charged or recorded).
 */
export const EXPORT_AUDIENCE = 'insights:export';
export { DATASET_FORMATS as EXPORT_FORMATS, DATASET_MEDIA_TYPES as MEDIA_TYPES, type DatasetFormat as ExportFormat } from '@gerbang/common/dataset';

export interface ExportRouteOptions {
  insights: InsightsService;
  verifier: RequestVerifier;
  logger: Logger;
  policy: InsightsPolicy;
  /** Most rows one export may have (INSIGHTS_EXPORT_MAX_ROWS). */
  maxRows: number;
  /** Rows per cursor read and per written batch (INSIGHTS_EXPORT_BATCH_ROWS). */
  batchRows: number;
  dataAsOf: () => Promise<string | null>;
  now?: () => Date;
}

const refuse = (res: http.ServerResponse, status: number, code: string, message: string, extensions: Record<string, unknown> = {}, headers: http.OutgoingHttpHeaders = {}) =>
  sendJson(res, status, { errors: [{ message, extensions: { ...extensions, code } }] }, { 'cache-control': 'no-store', ...headers });

/** What the export reads of its JSON body; each value is checked where it is used. */
const ExportBodyJson = z.object({ question: z.unknown(), format: z.unknown() }).partial();
/** One entry of `sort`; `by` is checked against the question's measures and dimensions by validateQuestion. */
const SortKeyJson = z.object({ measure: z.unknown(), dimension: z.unknown(), descending: z.unknown() }).partial();

const STATUS_OF: Record<string, number> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.INSIGHTS_BUDGET_EXCEEDED]: 429,
  [ErrorCode.UPSTREAM_UNAVAILABLE]: 503,
};

/** The JSON body's question, as the GraphQL input would be coerced (defaults filled). */
export function questionFromJson(raw: unknown): Question {
  const bad = (message: string, field: string) => new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, field } });
  if (!raw || typeof raw !== 'object') throw bad('question must be an object.', 'question');
  const q = raw as Record<string, unknown>;
  const strings = (v: unknown, field: string, allowed: readonly string[]) => {
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !allowed.includes(x)))
      throw bad(`${field} must be a list of ${field === 'measures' ? 'InsightMeasure' : 'InsightDimension'} values.`, field);
    return v as string[];
  };
  const text = (v: unknown, field: string) => {
    if (typeof v !== 'string') throw bad(`${field} must be a string.`, field);
    return v;
  };
  const filter = q.filter ?? {};
  if (typeof filter !== 'object') throw bad('filter must be an object.', 'filter');
  const f = filter as Record<string, unknown>;
  for (const key of Object.keys(f)) if (!['agencyId', 'serviceId', 'kecamatan', 'channel', 'positionClass'].includes(key)) throw bad(`Unknown filter ${key}.`, `filter.${key}`);
  const sort = q.sort ?? [];
  if (!Array.isArray(sort)) throw bad('sort must be a list.', 'sort');
  return {
    measures: strings(q.measures, 'measures', MEASURE_NAMES) as Question['measures'],
    dimensions: strings(q.dimensions ?? [], 'dimensions', DIMENSIONS) as Question['dimensions'],
    from: text(q.from, 'from'),
    to: text(q.to, 'to'),
    filter: Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== null)),
    sort: sort.map((s: unknown) => {
      const key = SortKeyJson.safeParse(s);
      const { measure, dimension, descending }: z.infer<typeof SortKeyJson> = key.success ? key.data : {};
      return { by: (measure ?? dimension) as Question['sort'][number]['by'], descending: descending === true };
    }),
    limit: q.limit === undefined ? 1000 : (q.limit as number),
    compare: (q.compare as Question['compare']) ?? null,
  };
}

function* batches<T>(rows: Iterable<ExportValue[]>, size: number, map: (rows: ExportValue[][]) => T): Generator<T> {
  let batch: ExportValue[][] = [];
  for (const r of rows) {
    batch.push(r);
    if (batch.length === size) {
      yield map(batch);
      batch = [];
    }
  }
  if (batch.length) yield map(batch);
}

/** The route's handler: refusals as JSON with a stable `extensions.code`, the data set streamed. */
export function exportRoute(options: ExportRouteOptions) {
  const now = () => options.now?.() ?? new Date();
  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const requestId = (req.headers['x-request-id'] as string | undefined) ?? 'export';
    if (req.method !== 'POST') return refuse(res, 405, ErrorCode.METHOD_NOT_ALLOWED, 'Exports are asked with POST.', {}, { allow: 'POST' });
    const body = await readBody(req, 64_000);
    let caller;
    try {
      caller = await options.verifier.verify(req.headers, body, EXPORT_AUDIENCE);
    } catch (err) {
      if (!(err instanceof InternalAuthError)) throw err;
      options.logger.warn({ requestId, reason: err.reason }, 'refused unsigned or invalid export call');
      return refuse(res, 401, ErrorCode.UNAUTHENTICATED, 'This service answers only the Gerbang gateway.', { reason: err.reason });
    }
    if (!hasRole(caller, 'analyst', 'admin')) return refuse(res, 403, ErrorCode.FORBIDDEN, 'Insights are for analysts.');
    const purpose = `${hasRole(caller, 'analyst') ? 'analyst' : 'admin'} export`;
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return refuse(res, 400, 'BAD_REQUEST', 'Body is not JSON.');
    }
    // A body that is not an object has neither: csv, and no question (refused below as the GraphQL input would be).
    const fields = ExportBodyJson.safeParse(json);
    const parsed: z.infer<typeof ExportBodyJson> = fields.success ? fields.data : {};
    const format = (parsed.format ?? 'csv') as ExportFormat;
    if (!EXPORT_FORMATS.includes(format)) return refuse(res, 400, ErrorCode.BAD_USER_INPUT, `format is one of ${EXPORT_FORMATS.join(', ')}.`, { field: 'format' });
    let question: Question;
    let result;
    try {
      question = questionFromJson(parsed.question);
      if (format === 'metadata') {
        // The companion of a question: what it would be, no figure, so nothing is charged or recorded.
        validateQuestion(question, { ...options.policy, maxRows: options.maxRows });
        const metadata = exportMetadata(question, options.policy.privacy, now(), await options.dataAsOf());
        return sendJson(
          res,
          200,
          { ...metadata, columns: exportColumns(question) },
          { 'cache-control': 'no-store', 'content-disposition': `attachment; filename="${exportFilename(question, 'json')}"` },
        );
      }
      result = await options.insights.ask(caller, requestId, question, purpose, { batchRows: options.batchRows, maxRows: options.maxRows });
    } catch (err) {
      const code = err instanceof GraphQLError ? String(err.extensions.code) : undefined;
      if (!code || !STATUS_OF[code]) throw err;
      const { code: _, ...extensions } = (err as GraphQLError).extensions;
      const retry =
        code === ErrorCode.INSIGHTS_BUDGET_EXCEEDED && typeof extensions.resetsAt === 'string'
          ? { 'retry-after': String(Math.max(1, Math.ceil((Date.parse(extensions.resetsAt) - now().getTime()) / 1000))) }
          : {};
      return refuse(res, STATUS_OF[code], code, (err as Error).message, extensions, retry);
    }
    const metadata = exportMetadata(question, options.policy.privacy, now(), await options.dataAsOf());
    const columns = exportColumns(question);
    res.writeHead(200, {
      'content-type': MEDIA_TYPES[format],
      'content-disposition': `attachment; filename="${exportFilename(question, format)}"`,
      'cache-control': 'no-store',
      'x-request-id': requestId,
      'gerbang-insights-cost': String(result.cost),
      'gerbang-insights-budget-remaining': String(result.budgetRemaining),
      'gerbang-insights-suppressed-cells': String(result.suppressedCells),
    });
    const records = exportRecords(question, result);
    if (format === 'csv') {
      function* lines() {
        yield columns.map((c) => c.name);
        for (const r of records) yield csvFields(r);
      }
      await pipeline(Readable.from(lines()), stringify({ record_delimiter: '\r\n' }), res);
      return;
    }
    const schema = arrowSchema(columns, metadata);
    function* recordBatches() {
      let any = false;
      for (const b of batches(records, options.batchRows, (rows) => arrowBatch(schema, rows))) {
        any = true;
        yield b;
      }
      // An answer with no rows is still a data set: its schema (and metadata) in an empty batch.
      if (!any) yield arrowBatch(schema, []);
    }
    await pipeline(Readable.from(recordBatches()), RecordBatchStreamWriter.throughNode(), res);
  };
}
