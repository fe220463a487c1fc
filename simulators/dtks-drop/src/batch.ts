import { createHash } from 'node:crypto';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { buildRegister, type Household } from './register';
import { wibCompactDate, wibMonth } from './util';

export const BATCH_HEADER = ['id_keluarga', 'nik', 'nama', 'desil', 'program', 'status_bantuan', 'periode', 'kecamatan', 'desa'] as const;
export const BATCH_FILE_PATTERN = /^DTSEN_3503_(\d{8})_(\d{3})\.csv$/;

/** Bad rows a test can ask for, by kind and count, to exercise the hub's validation. */
export interface BadRows {
  /** NIK of the wrong length or with an impossible birth date. */
  invalidNik?: number;
  decileZero?: number;
  decileEleven?: number;
  /** A programme code the register does not know (e.g. `BANSOS-X`). */
  unknownProgram?: number;
  /** A record with fewer fields than the header. */
  missingColumns?: number;
  /** A second record with the NIK of a person already in the file. */
  duplicateNik?: number;
  /** Aid programmes on a household above decile 4, which the rules forbid. */
  aidAboveDecile4?: number;
}
export type BadRowKind = keyof BadRows;

export interface InjectedRow {
  kind: BadRowKind;
  /** Physical line in the file, the header being line 1. */
  line: number;
  nik: string;
}

export interface WriteBatchOptions {
  /** Moment of the export: names the file by its WIB day and sets `periode` (default: now). */
  date?: Date;
  /** Sequence of the file within its day (default: the next free one in `dir`). */
  seq?: number;
  /** Exact file name; writing an existing name replaces that file (atomically) and its manifest. */
  name?: string;
  /** `YYYY-MM` (default: the WIB month of `date`). */
  periode?: string;
  /** Households to export (default: the register at `revision`). */
  households?: readonly Household[];
  /** Register publication to export (default 0); later revisions move a few households' deciles. */
  revision?: number;
  inject?: BadRows;
  /**
   * Cut the CSV short after writing a manifest for the full content, as a transfer that died half
   * way: the manifest's hash and row count no longer match the file.
   */
  truncate?: boolean;
}

export interface BatchResult {
  name: string;
  file: string;
  manifestFile: string;
  sha256: string;
  /** Data records the producer meant to deliver (what the manifest says). */
  rows: number;
  injected: InjectedRow[];
  truncated: boolean;
}

export interface Manifest {
  sha256: string;
  name: string;
  rows: number;
  periode?: string;
}

type CsvRecord = string[];

function rowsOf(households: readonly Household[], periode: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  for (const h of households) {
    for (const m of h.members) out.push([h.idKeluarga, m.nik, m.nama, String(h.desil), m.programs.join('|'), m.status, periode, h.kecamatan, h.desa]);
  }
  return out;
}

/** Builds the bad records of each requested kind from good ones, so everything else about them is plausible. */
function badRecords(good: CsvRecord[], inject: BadRows): { kind: BadRowKind; record: CsvRecord }[] {
  const out: { kind: BadRowKind; record: CsvRecord }[] = [];
  const template = (i: number): CsvRecord => [...good[(i * 37) % good.length]!];
  const add = (kind: BadRowKind, make: (i: number) => CsvRecord) => {
    for (let i = 0; i < (inject[kind] ?? 0); i++) out.push({ kind, record: make(out.length + i) });
  };
  add('invalidNik', (i) => {
    const r = template(i);
    // Alternate the two faults seen in practice: a dropped digit, and a day/month that cannot exist.
    r[1] = i % 2 === 0 ? r[1]!.slice(0, 15) : `${r[1]!.slice(0, 6)}3213${r[1]!.slice(10)}`;
    return r;
  });
  add('decileZero', (i) => Object.assign(template(i), { 3: '0' }));
  add('decileEleven', (i) => Object.assign(template(i), { 3: '11' }));
  add('unknownProgram', (i) => Object.assign(template(i), { 3: '2', 4: 'PKH|BANSOS-X', 5: 'AKTIF' }));
  add('missingColumns', (i) => template(i).slice(0, 6));
  add('duplicateNik', (i) => {
    const r = template(i);
    const other = good[(i * 53 + 11) % good.length]!;
    return [other[0]!, r[1]!, r[2]!, other[3]!, other[4]!, other[5]!, other[6]!, other[7]!, other[8]!];
  });
  add('aidAboveDecile4', (i) => Object.assign(template(i), { 3: '7', 4: 'BPNT|PBI-JK', 5: 'AKTIF' }));
  return out;
}

async function nextSeq(dir: string, day: string): Promise<number> {
  let max = 0;
  for (const f of await readdir(dir)) {
    const m = BATCH_FILE_PATTERN.exec(f);
    if (m?.[1] === day) max = Math.max(max, Number(m[2]));
  }
  return max + 1;
}

/**
 * Writes to `<name>.tmp`, flushes it to disk, then renames: a reader listing `*.csv` never sees a
 * half-written file. The rename is atomic on one file system, which the tmp file shares.
 */
export async function writeFileAtomic(path: string, content: string | Buffer): Promise<void> {
  const tmp = `${path}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}

export function formatManifest(m: Manifest): string {
  // `sha256sum -c` reads the first line and skips `#` lines, so operators can check a file by hand.
  return `${m.sha256}  ${m.name}\n# rows=${m.rows}\n${m.periode ? `# periode=${m.periode}\n` : ''}`;
}

export function parseManifest(text: string): Manifest {
  const [first, ...rest] = text.split(/\r?\n/);
  const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(first ?? '');
  if (!m) throw new Error('manifest: first line is not "<sha256>  <file name>"');
  const fields = new Map(rest.filter((l) => l.startsWith('# ')).map((l) => l.slice(2).split('=', 2) as [string, string]));
  const rows = Number(fields.get('rows'));
  if (!Number.isInteger(rows) || rows < 0) throw new Error('manifest: missing "# rows=<n>"');
  return { sha256: m[1]!, name: m[2]!, rows, periode: fields.get('periode') };
}

/**
 * Writes one register batch `DTSEN_3503_<yyyymmdd>_<seq>.csv` into `dir`, then its manifest
 * `<name>.sha256`. The manifest goes last: a reader should take a CSV only once its manifest exists
 * and matches.
 */
export async function writeBatch(dir: string, options: WriteBatchOptions = {}): Promise<BatchResult> {
  await mkdir(dir, { recursive: true });
  const date = options.date ?? new Date();
  const day = wibCompactDate(date);
  const name = options.name ?? `DTSEN_3503_${day}_${String(options.seq ?? (await nextSeq(dir, day))).padStart(3, '0')}.csv`;
  if (name.includes('/') || name.includes('\\')) throw new Error(`batch name must be a plain file name: ${name}`);
  const periode = options.periode ?? wibMonth(date);

  const good = rowsOf(options.households ?? buildRegister(options.revision ?? 0), periode);
  const bad = good.length ? badRecords(good, options.inject ?? {}) : [];
  // Spread bad records through the file rather than at its end, as real defects are.
  const records: CsvRecord[] = [...good];
  const injected: InjectedRow[] = [];
  bad.forEach((b, i) => {
    const at = Math.min(records.length, Math.floor(((i + 1) * good.length) / (bad.length + 1)) + i);
    records.splice(at, 0, b.record);
  });
  // Physical lines are known only once every record is in place.
  const badSet = new Map(bad.map((b) => [b.record, b.kind]));
  records.forEach((r, i) => {
    const kind = badSet.get(r);
    if (kind) injected.push({ kind, line: i + 2, nik: r[1] ?? '' });
  });

  // Government exports come from Windows desktops: CRLF line ends.
  const content = Buffer.from(stringify([[...BATCH_HEADER], ...records], { record_delimiter: 'windows' }), 'utf8');
  const sha256 = createHash('sha256').update(content).digest('hex');
  const file = join(dir, name);
  const manifestFile = `${file}.sha256`;
  const truncated = options.truncate === true;

  // A rewrite under the same name first withdraws the old manifest, so no reader pairs the new
  // file with the old hash.
  await rm(manifestFile, { force: true });
  await writeFileAtomic(file, truncated ? content.subarray(0, Math.floor(content.length * 0.6)) : content);
  await writeFileAtomic(manifestFile, formatManifest({ sha256, name, rows: records.length, periode }));
  return { name, file, manifestFile, sha256, rows: records.length, injected, truncated };
}
