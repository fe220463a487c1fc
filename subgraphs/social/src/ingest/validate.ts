import { parse } from 'csv-parse/sync';
import { isValidNik } from '@gerbang/common';

/**
 * The DTSEN register batch format (interface agreement with Dinsos PPPA) and the rules every row
 * must satisfy before it may change anyone's eligibility. Pure: no I/O, so each rule is unit-tested.
 */
export const REGISTER_COLUMNS = ['id_keluarga', 'nik', 'nama', 'desil', 'program', 'status_bantuan', 'periode', 'kecamatan', 'desa'] as const;
type Column = (typeof REGISTER_COLUMNS)[number];

export const PROGRAMME_CODES = ['PKH', 'BPNT', 'PBI-JK', 'BLT-DD', 'PIP'] as const;
export type ProgrammeCode = (typeof PROGRAMME_CODES)[number];
export const PROGRAMME_NAMES: Readonly<Record<ProgrammeCode, string>> = {
  PKH: 'Program Keluarga Harapan',
  BPNT: 'Bantuan Pangan Non Tunai (Sembako)',
  'PBI-JK': 'Penerima Bantuan Iuran Jaminan Kesehatan',
  'BLT-DD': 'Bantuan Langsung Tunai Dana Desa',
  PIP: 'Program Indonesia Pintar',
};
export const isProgrammeCode = (code: string): code is ProgrammeCode => (PROGRAMME_CODES as readonly string[]).includes(code);

/** Social aid goes to welfare deciles 1–4 only. */
export const MAX_AID_DECILE = 4;

/** AKTIF receives aid; DITANGGUHKAN is suspended pending re-verification; TIDAK_MENERIMA gets none. */
const AID_STATUSES = ['AKTIF', 'DITANGGUHKAN', 'TIDAK_MENERIMA'] as const;
type AidStatusCode = (typeof AID_STATUSES)[number];

export type RowProblemKind =
  | 'COLUMN_COUNT'
  | 'MISSING_VALUE'
  | 'INVALID_NIK'
  | 'INVALID_HOUSEHOLD_ID'
  | 'DECILE_OUT_OF_RANGE'
  | 'UNKNOWN_PROGRAMME'
  | 'UNKNOWN_STATUS'
  | 'STATUS_MISMATCH'
  | 'AID_ABOVE_DECILE_4'
  | 'PERIOD_MISMATCH'
  | 'DUPLICATE_NIK';

export interface RowProblem {
  kind: RowProblemKind;
  message: string;
}

export interface RegisterRow {
  householdId: string;
  nik: string;
  name: string;
  decile: number;
  programmes: ProgrammeCode[];
  status: AidStatusCode;
  periode: string;
  kecamatan: string;
  village: string;
}

export interface GoodRow {
  line: number;
  row: RegisterRow;
}

export interface BadRow {
  line: number;
  /** The record as it stands in the file (without its line end). */
  raw: string;
  problems: RowProblem[];
}

export type ParsedBatch = { ok: true; periode: string | null; records: number; good: GoodRow[]; bad: BadRow[] } | { ok: false; reason: string };

const PERIODE = /^\d{4}-(0[1-9]|1[0-2])$/;
const HOUSEHOLD_ID = /^\d{16}$/;
const REQUIRED: readonly Column[] = ['id_keluarga', 'nik', 'nama', 'desil', 'status_bantuan', 'periode', 'kecamatan', 'desa'];

/**
 * Checks one record against the rules, given where each column is. Returns the row or every
 * problem found (a row can be wrong in more than one way; all reasons are kept).
 */
export function validateRecord(
  record: readonly string[],
  at: Readonly<Record<Column, number>>,
  headerLength: number,
  expectedPeriode: string | null,
): { row: RegisterRow } | { problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const add = (kind: RowProblemKind, message: string) => problems.push({ kind, message });
  if (record.length !== headerLength) add('COLUMN_COUNT', `${record.length} columns, the header has ${headerLength}`);
  const field = (c: Column) => (record[at[c]] ?? '').trim();

  const missing = REQUIRED.filter((c) => !field(c));
  if (missing.length) add('MISSING_VALUE', `empty or missing: ${missing.join(', ')}`);

  const nik = field('nik');
  if (nik && !isValidNik(nik)) add('INVALID_NIK', 'nik is not a valid Trenggalek NIK (16 digits, region 35.03.01–14, a real birth date)');
  const householdId = field('id_keluarga');
  if (householdId && !HOUSEHOLD_ID.test(householdId)) add('INVALID_HOUSEHOLD_ID', 'id_keluarga must be 16 digits');

  const decileText = field('desil');
  const decile = /^\d{1,2}$/.test(decileText) ? Number(decileText) : NaN;
  const decileOk = Number.isInteger(decile) && decile >= 1 && decile <= 10;
  if (decileText && !decileOk) add('DECILE_OUT_OF_RANGE', `desil "${decileText}" is not a welfare decile 1–10`);

  const codes = field('program')
    ? field('program')
        .split('|')
        .map((p) => p.trim())
    : [];
  const unknown = codes.filter((p) => !isProgrammeCode(p));
  if (unknown.length) add('UNKNOWN_PROGRAMME', `unknown programme code(s): ${unknown.map((p) => p || '(empty)').join(', ')}`);
  const programmes = [...new Set(codes.filter(isProgrammeCode))];

  const status = field('status_bantuan');
  const statusOk = (AID_STATUSES as readonly string[]).includes(status);
  if (status && !statusOk) add('UNKNOWN_STATUS', `status_bantuan "${status}" is not one of ${AID_STATUSES.join(', ')}`);

  if (decileOk && decile > MAX_AID_DECILE && (codes.length > 0 || (statusOk && status !== 'TIDAK_MENERIMA'))) {
    add('AID_ABOVE_DECILE_4', `aid recorded for decile ${decile}; aid is for deciles 1–${MAX_AID_DECILE} only`);
  } else if (statusOk && !unknown.length && (codes.length === 0) !== (status === 'TIDAK_MENERIMA')) {
    add('STATUS_MISMATCH', codes.length ? `programmes listed but status_bantuan is ${status}` : `status_bantuan ${status} without any programme`);
  }

  const periode = field('periode');
  if (periode && !PERIODE.test(periode)) add('PERIOD_MISMATCH', `periode "${periode}" is not YYYY-MM`);
  else if (periode && expectedPeriode && periode !== expectedPeriode) add('PERIOD_MISMATCH', `periode ${periode} differs from the batch's ${expectedPeriode}`);

  if (problems.length) return { problems };
  return {
    row: {
      householdId,
      nik,
      name: field('nama'),
      decile,
      programmes,
      status: status as AidStatusCode,
      periode,
      kecamatan: field('kecamatan'),
      village: field('desa'),
    },
  };
}

/** Index of each line start, to turn an offset into a 1-based physical line number. */
function lineLocator(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/**
 * Parses a whole batch (CSV with a header; quoted fields may hold commas; CRLF or LF line ends)
 * and sorts every record into good and bad rows. A NIK on more than one valid record is
 * ambiguous: every such record is quarantined, none is applied. `periode` is the manifest's; when
 * it has none, the first well-formed row's periode is the batch's.
 */
export function parseBatch(text: string, options: { periode: string | null }): ParsedBatch {
  let parsed: { record: string[]; raw: string }[];
  try {
    parsed = parse(text, { bom: true, raw: true, relax_column_count: true, skip_empty_lines: true }) as unknown as typeof parsed;
  } catch (err) {
    return { ok: false, reason: `not readable as CSV: ${(err as Error).message}` };
  }
  const [head, ...body] = parsed;
  const header = (head?.record ?? []).map((h) => h.trim().toLowerCase());
  const missing = REGISTER_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) return { ok: false, reason: `header lacks column(s): ${missing.join(', ')}` };
  const at = Object.fromEntries(REGISTER_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<Column, number>;

  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lineOf = lineLocator(source);
  let cursor = head ? source.indexOf(head.raw) + head.raw.length : 0;

  let periode = options.periode;
  if (!periode) {
    const first = body.find((r) => PERIODE.test((r.record[at.periode] ?? '').trim()));
    periode = first ? first.record[at.periode]!.trim() : null;
  }

  const checked: { line: number; raw: string; nik: string; result: ReturnType<typeof validateRecord> }[] = [];
  for (const { record, raw } of body) {
    const offset = source.indexOf(raw, cursor);
    const line = lineOf(offset >= 0 ? offset : cursor);
    if (offset >= 0) cursor = offset + raw.length;
    checked.push({ line, raw: raw.replace(/\r?\n$|\r$/, ''), nik: (record[at.nik] ?? '').trim(), result: validateRecord(record, at, header.length, periode) });
  }

  // A NIK on two or more otherwise valid records is ambiguous (which one is right?): all of them
  // are quarantined. Invalid records do not count, they are quarantined for their own reasons.
  const linesByNik = new Map<string, number[]>();
  for (const c of checked) if ('row' in c.result) linesByNik.set(c.nik, [...(linesByNik.get(c.nik) ?? []), c.line]);

  const good: GoodRow[] = [];
  const bad: BadRow[] = [];
  for (const c of checked) {
    if ('problems' in c.result) {
      bad.push({ line: c.line, raw: c.raw, problems: c.result.problems });
      continue;
    }
    const lines = linesByNik.get(c.nik) ?? [];
    if (lines.length > 1) bad.push({ line: c.line, raw: c.raw, problems: [{ kind: 'DUPLICATE_NIK', message: `the same nik is on lines ${lines.join(', ')} of this batch` }] });
    else good.push({ line: c.line, row: c.result.row });
  }
  return { ok: true, periode, records: body.length, good, bad };
}
