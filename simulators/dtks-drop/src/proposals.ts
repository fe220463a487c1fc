import { access, mkdir, readFile, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { writeFileAtomic } from './batch';
import { isValidNik } from './nik';
import { MAX_AID_DECILE, PROGRAM_CODES, buildRegister, type Household, type Member, type ProgramCode } from './register';
import { toWibIso, wibCompactDate } from './util';

/**
 * Aid proposals travel as CSV too. The hub drops `USULAN_*.csv` into `<dir>/outbox`; Dinsos
 * processes each file once and answers with `<dir>/ack/ACK_<same name>`, one decision per row.
 * A proposal file counts as pending while it has no ACK.
 */
export const OUTBOX_DIR = 'outbox';
export const ACK_DIR = 'ack';
export const PROPOSAL_HEADER = ['id_usulan', 'nik', 'nama', 'id_keluarga', 'program', 'alasan', 'tanggal_usulan'] as const;
export const ACK_HEADER = ['baris', 'id_usulan', 'nik', 'status', 'alasan', 'diproses_pada'] as const;
export const PROPOSAL_FILE_PATTERN = /^USULAN_[A-Za-z0-9_-]+\.csv$/;

type ProposalField = (typeof PROPOSAL_HEADER)[number];

export interface ProposalRow {
  /** Physical line in the file, the header being line 1. */
  line: number;
  id_usulan: string;
  nik: string;
  nama: string;
  id_keluarga: string;
  program: string;
  alasan: string;
  tanggal_usulan: string;
  /** Set when the record is structurally broken (e.g. missing columns). */
  problem?: string;
}

export interface ProposalFile {
  name: string;
  file: string;
  rows: ProposalRow[];
  /** Set when the file as a whole cannot be read (wrong header, broken quoting). */
  problem?: string;
}

export type AckStatus = 'DITERIMA' | 'DITOLAK';

export interface AckRow {
  baris: number;
  id_usulan: string;
  nik: string;
  status: AckStatus;
  alasan: string;
  diproses_pada: string;
}

export interface AckResult {
  name: string;
  file: string;
  proposal: string;
  rows: AckRow[];
  /** False when the ACK existed already and was returned unchanged. */
  written: boolean;
}

export interface DecisionContext {
  /** Register entries by NIK. */
  register: ReadonlyMap<string, { household: Household; member: Member }>;
  /** `id_usulan` values already decided in this file. */
  seenIds: Set<string>;
}
export type Decide = (row: ProposalRow, ctx: DecisionContext) => { status: AckStatus; alasan: string };

export type NewProposal = Omit<ProposalRow, 'line' | 'problem'>;

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

export function ackNameFor(proposalName: string): string {
  return `ACK_${proposalName}`;
}

/** The hub's side of the exchange, as a reference and for tests: writes one `USULAN_*.csv` atomically. */
export async function writeProposals(dir: string, proposals: readonly NewProposal[], options: { name?: string; date?: Date } = {}): Promise<{ name: string; file: string }> {
  const outbox = join(dir, OUTBOX_DIR);
  await mkdir(outbox, { recursive: true });
  let name = options.name;
  if (!name) {
    const day = wibCompactDate(options.date ?? new Date());
    const taken = (await readdir(outbox)).filter((f) => f.startsWith(`USULAN_${day}_`)).length;
    name = `USULAN_${day}_${String(taken + 1).padStart(3, '0')}.csv`;
  }
  if (!PROPOSAL_FILE_PATTERN.test(name)) throw new Error(`proposal file name must match USULAN_*.csv: ${name}`);
  const records = proposals.map((p) => PROPOSAL_HEADER.map((h) => p[h]));
  const file = join(outbox, name);
  await writeFileAtomic(file, stringify([[...PROPOSAL_HEADER], ...records], { record_delimiter: 'windows' }));
  return { name, file };
}

function parseProposalText(name: string, file: string, text: string): ProposalFile {
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(text, { info: true, bom: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as unknown as typeof parsed;
  } catch (err) {
    return { name, file, rows: [], problem: `Berkas tidak dapat dibaca: ${(err as Error).message}` };
  }
  const [head, ...body] = parsed;
  const header = head?.record ?? [];
  const missing = PROPOSAL_HEADER.filter((h) => !header.includes(h));
  if (missing.length) return { name, file, rows: [], problem: `Kolom tidak lengkap: ${missing.join(', ')}` };
  // Columns are found by name, so a producer may order them differently or add its own.
  const at = Object.fromEntries(PROPOSAL_HEADER.map((h) => [h, header.indexOf(h)])) as Record<ProposalField, number>;
  const rows = body.map(({ record, info }) => {
    const field = (h: ProposalField) => record[at[h]] ?? '';
    const row: ProposalRow = {
      line: info.lines,
      id_usulan: field('id_usulan'),
      nik: field('nik'),
      nama: field('nama'),
      id_keluarga: field('id_keluarga'),
      program: field('program'),
      alasan: field('alasan'),
      tanggal_usulan: field('tanggal_usulan'),
    };
    if (record.length < header.length) row.problem = `Jumlah kolom ${record.length}, seharusnya ${header.length}`;
    return row;
  });
  return { name, file, rows };
}

/** Pending proposal files in `<dir>/outbox` (those without an ACK), oldest name first. */
export async function readProposals(dir: string, options: { includeAcknowledged?: boolean } = {}): Promise<ProposalFile[]> {
  const outbox = join(dir, OUTBOX_DIR);
  if (!(await exists(outbox))) return [];
  const names = (await readdir(outbox)).filter((f) => PROPOSAL_FILE_PATTERN.test(f)).sort();
  const out: ProposalFile[] = [];
  for (const name of names) {
    if (!options.includeAcknowledged && (await exists(join(dir, ACK_DIR, ackNameFor(name))))) continue;
    const file = join(outbox, name);
    out.push(parseProposalText(name, file, await readFile(file, 'utf8')));
  }
  return out;
}

export function registerIndex(households: readonly Household[]): Map<string, { household: Household; member: Member }> {
  const index = new Map<string, { household: Household; member: Member }>();
  for (const household of households) for (const member of household.members) index.set(member.nik, { household, member });
  return index;
}

const VERIFIKASI = 'Masuk daftar usulan untuk verifikasi dan validasi desa (musyawarah desa)';

/**
 * Dinsos's screening of a proposal, before the village's verification: malformed rows and
 * ineligible requests are refused with a reason a citizen can act on; the rest go on to the
 * village meeting that decides.
 */
export const decideProposal: Decide = (row, ctx) => {
  if (row.problem) return { status: 'DITOLAK', alasan: `Format baris tidak valid: ${row.problem}` };
  if (!row.id_usulan) return { status: 'DITOLAK', alasan: 'id_usulan kosong' };
  if (ctx.seenIds.has(row.id_usulan)) return { status: 'DITOLAK', alasan: 'id_usulan ganda dalam berkas' };
  ctx.seenIds.add(row.id_usulan);
  if (!isValidNik(row.nik)) return { status: 'DITOLAK', alasan: 'NIK tidak valid' };
  if (!(PROGRAM_CODES as readonly string[]).includes(row.program)) return { status: 'DITOLAK', alasan: `Kode program tidak dikenal: ${row.program || '(kosong)'}` };
  const program = row.program as ProgramCode;
  const entry = ctx.register.get(row.nik);
  if (!entry) return { status: 'DITERIMA', alasan: `${VERIFIKASI}; belum terdaftar di DTSEN` };
  const { household, member } = entry;
  if (member.programs.includes(program)) return { status: 'DITOLAK', alasan: `Sudah terdaftar sebagai penerima ${program}` };
  if (household.desil > MAX_AID_DECILE) {
    return { status: 'DITOLAK', alasan: `Desil ${household.desil} di luar sasaran bantuan sosial (desil 1–${MAX_AID_DECILE}); ajukan pemutakhiran DTSEN melalui desa` };
  }
  if (program === 'BLT-DD' && member.programs.some((p) => p === 'PKH' || p === 'BPNT')) {
    return { status: 'DITOLAK', alasan: 'Penerima PKH atau BPNT tidak dapat menerima BLT-DD' };
  }
  return { status: 'DITERIMA', alasan: VERIFIKASI };
};

/**
 * Decides every row of one proposal file and writes `<dir>/ack/ACK_<name>` atomically. Idempotent:
 * a file already acknowledged keeps its first answer.
 */
export async function acknowledge(dir: string, proposal: string | ProposalFile, options: { now?: Date; decide?: Decide; register?: readonly Household[] } = {}): Promise<AckResult> {
  const proposalName = typeof proposal === 'string' ? basename(proposal) : proposal.name;
  const name = ackNameFor(proposalName);
  const ackDir = join(dir, ACK_DIR);
  const file = join(ackDir, name);
  if (await exists(file)) return { name, file, proposal: proposalName, rows: await readAck(file), written: false };

  const parsed = typeof proposal === 'string' ? parseProposalText(proposalName, join(dir, OUTBOX_DIR, proposalName), await readFile(join(dir, OUTBOX_DIR, proposalName), 'utf8')) : proposal;
  const at = toWibIso(options.now ?? new Date());
  let rows: AckRow[];
  if (parsed.problem) {
    rows = [{ baris: 1, id_usulan: '', nik: '', status: 'DITOLAK', alasan: parsed.problem, diproses_pada: at }];
  } else {
    const decide = options.decide ?? decideProposal;
    const ctx: DecisionContext = { register: registerIndex(options.register ?? buildRegister()), seenIds: new Set() };
    rows = parsed.rows.map((row) => ({ baris: row.line, id_usulan: row.id_usulan, nik: row.nik, ...decide(row, ctx), diproses_pada: at }));
  }
  await mkdir(ackDir, { recursive: true });
  const records = rows.map((r) => ACK_HEADER.map((h) => String(r[h])));
  await writeFileAtomic(file, stringify([[...ACK_HEADER], ...records], { record_delimiter: 'windows' }));
  return { name, file, proposal: proposalName, rows, written: true };
}

export async function readAck(file: string): Promise<AckRow[]> {
  const records = parse<Record<string, string>>(await readFile(file, 'utf8'), { columns: true, bom: true, skip_empty_lines: true });
  return records.map((r) => ({
    baris: Number(r.baris),
    id_usulan: r.id_usulan ?? '',
    nik: r.nik ?? '',
    status: r.status as AckStatus,
    alasan: r.alasan ?? '',
    diproses_pada: r.diproses_pada ?? '',
  }));
}
