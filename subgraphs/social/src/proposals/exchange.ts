import type { MikroORM } from '@mikro-orm/postgresql';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { GerbangError, pgArray, toJakartaIso, type Logger } from '@gerbang/common';
import type { DtksDrop } from '../adapters/dtks/registry';
import { Sql } from '@gerbang/common';
import { changeLock } from '../modules/store';

/** The proposal file format agreed with Dinsos PPPA (outbox/USULAN_*.csv, CRLF, quoted as needed). */
const PROPOSAL_HEADER = ['id_usulan', 'nik', 'nama', 'id_keluarga', 'program', 'alasan', 'tanggal_usulan'] as const;
// Dinsos's answer (ack/ACK_USULAN_*.csv) has one decision per proposal row, its columns read by name in
// applyAck: baris, id_usulan, nik, status, alasan, diproses_pada.

export interface ExportResult {
  name: string;
  rows: number;
}

export interface AckOutcome {
  name: string;
  completed: number;
  rejected: number;
  /** Proposals of the file that the answer did not mention (left SUBMITTED, logged). */
  unanswered: number;
}

interface ExportProposal {
  id: string;
  nik: string;
  name: string;
  householdId: string | null;
  programme: string;
  reason: string;
  submittedAt: Date;
}

const DECISION: Record<string, 'COMPLETED' | 'REJECTED'> = { DITERIMA: 'COMPLETED', DITOLAK: 'REJECTED' };

/**
 * The proposal half of the CSV exchange:
 * - `exportPending`: claims every proposal not yet sent into one new outbox file (one file per
 *   run), records the file, then writes it atomically. A file recorded but not written (crash,
 *   folder down) is written again, with the same name and rows, on the next run.
 * - `readAcks`: for every written file without an answer yet, reads ack/ACK_<name>; in one
 *   transaction each decision moves its proposal SUBMITTED → COMPLETED (DITERIMA) or REJECTED
 *   (DITOLAK) with Dinsos's reason, assigns the reviewing officer, and marks the file answered.
 */
export class ProposalExchange {
  private readonly now: () => Date;
  constructor(private readonly options: { orm: MikroORM; drop: DtksDrop; logger: Logger; reviewerNip: string; now?: () => Date }) {
    this.now = options.now ?? (() => new Date());
  }

  private sql() {
    return new Sql(this.options.orm.em.fork());
  }

  async exportPending(): Promise<ExportResult[]> {
    const sql = this.sql();
    const pending = await sql.one<{ any: boolean }>(`select exists (select 1 from ${sql.t('aid_proposal')} where export_name is null and status = 'SUBMITTED') as any`);
    const claimed = !pending?.any
      ? null
      : await sql.transaction(async (tx) => {
          const name = await tx.one<{ name: string }>(
            `select 'USULAN_' || to_char(now() at time zone 'Asia/Jakarta', 'YYYYMMDD') || '_' || lpad(nextval('${sql.t('proposal_export_seq')}')::text, 4, '0') || '.csv' as name`,
            [],
          );
          await tx.all(`insert into ${sql.t('proposal_export')} (name, rows) values (?, 0)`, [name!.name]);
          // Rows another run claims meanwhile are skipped (`export_name is null` is re-checked after its commit).
          const rows = await tx.all<{ id: string }>(`update ${sql.t('aid_proposal')} set export_name = ? where export_name is null and status = 'SUBMITTED' returning id`, [name!.name]);
          if (!rows.length) {
            await tx.all(`delete from ${sql.t('proposal_export')} where name = ?`, [name!.name]);
            return null;
          }
          await tx.all(`update ${sql.t('proposal_export')} set rows = ? where name = ?`, [rows.length, name!.name]);
          return name!.name;
        });
    if (claimed) this.options.logger.info({ file: claimed }, 'aid proposals claimed for export');

    const unwritten = await sql.all<{ name: string }>(`select name from ${sql.t('proposal_export')} where written_at is null order by name`);
    const out: ExportResult[] = [];
    for (const { name } of unwritten) {
      const proposals = await sql.all<ExportProposal>(
        `select id, nik, name, household_id as "householdId", programme, reason, submitted_at as "submittedAt"
         from ${sql.t('aid_proposal')} where export_name = ? order by id`,
        [name],
      );
      await this.options.drop.writeProposalFile(name, proposalCsv(proposals));
      await sql.all(`update ${sql.t('proposal_export')} set written_at = now() where name = ?`, [name]);
      out.push({ name, rows: proposals.length });
    }
    return out;
  }

  async readAcks(): Promise<AckOutcome[]> {
    const sql = this.sql();
    const waiting = await sql.all<{ name: string }>(`select name from ${sql.t('proposal_export')} where written_at is not null and acked_at is null order by name`);
    const out: AckOutcome[] = [];
    for (const { name } of waiting) {
      const text = await this.options.drop.readAck(name);
      if (text === null) continue;
      let records: Record<string, string>[];
      try {
        records = parse(text, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), bom: true, skip_empty_lines: true, relax_column_count: true, trim: true });
      } catch (err) {
        this.options.logger.error({ file: name, err: (err as Error).message }, 'acknowledgement unreadable; left for an operator');
        continue;
      }
      out.push(await this.applyAck(sql, name, records));
    }
    return out;
  }

  private applyAck(sql: Sql, name: string, records: Record<string, string>[]): Promise<AckOutcome> {
    const now = this.now();
    const decisions = new Map<string, { status: 'COMPLETED' | 'REJECTED'; note: string; at: Date }>();
    let fileRefusal: { note: string; at: Date } | null = null;
    for (const r of records) {
      const status = DECISION[(r.status ?? '').toUpperCase()];
      const at = parseWhen(r.diproses_pada) ?? now;
      const note = (r.alasan ?? '').slice(0, 500);
      if (!r.id_usulan) {
        // A refusal of the whole file (wrong header, unreadable): it applies to every row.
        if (status === 'REJECTED') fileRefusal = { note, at };
        continue;
      }
      if (!status) {
        this.options.logger.warn({ file: name, id: r.id_usulan, status: r.status }, 'acknowledgement row with an unknown status ignored');
        continue;
      }
      if (!decisions.has(r.id_usulan)) decisions.set(r.id_usulan, { status, note, at });
    }
    return sql.transaction(async (tx) => {
      await changeLock(tx);
      const ids = await tx.all<{ id: string }>(`select id from ${sql.t('aid_proposal')} where export_name = ? and status = 'SUBMITTED' order by id`, [name]);
      const apply = ids
        .map(({ id }) => ({ id, d: decisions.get(id) ?? (fileRefusal ? { status: 'REJECTED' as const, ...fileRefusal } : undefined) }))
        .filter((x): x is { id: string; d: { status: 'COMPLETED' | 'REJECTED'; note: string; at: Date } } => x.d !== undefined);
      if (apply.length) {
        await tx.all(
          `update ${sql.t('aid_proposal')} p set status = t.status, decision_note = t.note, decided_at = t.at::timestamptz,
             officer_nip = ?, change_seq = nextval('${sql.t('aid_proposal_change_seq')}')
           from unnest(?::text[], ?::text[], ?::text[], ?::text[]) as t(id, status, note, at)
           where p.id = t.id and p.export_name = ? and p.status = 'SUBMITTED'`,
          [
            this.options.reviewerNip,
            pgArray(apply.map((a) => a.id)),
            pgArray(apply.map((a) => a.d.status)),
            pgArray(apply.map((a) => a.d.note)),
            pgArray(apply.map((a) => a.d.at.toISOString())),
            name,
          ],
        );
      }
      const unanswered = ids.length - apply.length;
      if (unanswered) this.options.logger.warn({ file: name, unanswered }, 'acknowledgement does not answer every proposal of its file');
      await tx.all(`update ${sql.t('proposal_export')} set acked_at = now() where name = ?`, [name]);
      return {
        name,
        completed: apply.filter((a) => a.d.status === 'COMPLETED').length,
        rejected: apply.filter((a) => a.d.status === 'REJECTED').length,
        unanswered,
      };
    });
  }
}

function parseWhen(value: string | undefined): Date | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** One outbox file: the agreed header, CRLF line ends, fields quoted when they hold commas or quotes. */
function proposalCsv(proposals: readonly ExportProposal[]): string {
  const records = proposals.map((p) => [p.id, p.nik, p.name, p.householdId ?? '', p.programme, p.reason, toJakartaIso(new Date(p.submittedAt)).slice(0, 10)]);
  return stringify([[...PROPOSAL_HEADER], ...records], { record_delimiter: 'windows' });
}

export const isUpstreamUnavailable = (err: unknown) => err instanceof GerbangError && err.code === 'UPSTREAM_UNAVAILABLE';
