import { createHash } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { GerbangError, pgArray, type Logger } from '@gerbang/common';
import type { BatchFile, BatchManifest, DtksDrop } from '../adapters/dtks/registry';
import { Sql } from '@gerbang/common';
import { parseBatch, type BadRow, type GoodRow } from './validate';

/** Why a whole file was quarantined (stable codes; `reason` says it for people). */
export type FileProblem = 'NO_MANIFEST' | 'MANIFEST_UNREADABLE' | 'CHECKSUM_MISMATCH' | 'MANIFEST_NAME' | 'ROW_COUNT' | 'UNREADABLE';

export interface FileOutcome {
  name: string;
  /**
   * APPLIED: good rows applied, bad rows quarantined, in one transaction. QUARANTINED: nothing
   * applied (see reason). PENDING: not complete yet (no or mismatching manifest within the grace
   * period); looked at again next time. SKIPPED: this exact content was handled before.
   * FAILED: an unexpected error (e.g. the database); nothing applied, retried next time.
   */
  outcome: 'APPLIED' | 'QUARANTINED' | 'PENDING' | 'SKIPPED' | 'FAILED';
  revision?: number;
  periode?: string | null;
  rowsApplied?: number;
  rowsQuarantined?: number;
  problem?: FileProblem;
  reason?: string;
}

export interface IngestReport {
  /** UPSTREAM_UNAVAILABLE: the drop folder could not be read (the run stopped there, nothing half-done). */
  status: 'OK' | 'UPSTREAM_UNAVAILABLE';
  startedAt: Date;
  finishedAt: Date;
  files: FileOutcome[];
  error?: { code: string; message: string; service?: string; reason?: string };
}

export interface IngesterOptions {
  orm: MikroORM;
  drop: DtksDrop;
  logger: Logger;
  /**
   * How long a batch may sit without a (matching) manifest before it is quarantined. The
   * producer writes the CSV, then the manifest: within the grace period a missing or mismatching
   * manifest means "still arriving".
   */
  graceMs: number;
  now?: () => Date;
}

interface KnownFile {
  id: string;
  name: string;
  sha256: string;
  status: 'APPLIED' | 'QUARANTINED';
  manifestSha256: string | null;
}

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

/**
 * Takes DTSEN register batches from the drop folder into the subgraph's tables.
 *
 * - Once and idempotently: every file is recorded by (name, sha256) under a unique constraint in
 *   the same transaction that applies it, so a file seen twice (another poll, another replica, a
 *   restart) is applied once. A file rewritten under the same name with different content is a
 *   new revision of that batch and is ingested as such (its rows follow the periode rule below).
 * - Only complete files: the manifest (written last by the producer) must be present, name the
 *   file, match its sha256 and its row count. Otherwise the file waits for `graceMs` after its
 *   last modification, then is quarantined with the reason (nothing applied). A quarantined file
 *   is looked at again only when its manifest changes.
 * - Never half-applied: the good rows are upserted, the bad rows quarantined with their reasons,
 *   and the file recorded, in ONE transaction.
 * - Eligibility is keyed by NIK; a row replaces the stored one when its periode is the same or
 *   newer (a re-publication of a period corrects it), never when older.
 */
export class RegisterIngester {
  private running: Promise<IngestReport> | undefined;
  lastReport: IngestReport | undefined;
  private readonly now: () => Date;

  constructor(private readonly options: IngesterOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** One pass over the drop folder. Concurrent calls share one run. Never throws for the folder being down. */
  ingestNow(): Promise<IngestReport> {
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(): Promise<IngestReport> {
    const startedAt = this.now();
    const files: FileOutcome[] = [];
    const sql = new Sql(this.options.orm.em.fork());
    let report: IngestReport;
    try {
      const listing = await this.options.drop.listBatches();
      const known = listing.length
        ? await sql.all<KnownFile>(`select id, name, sha256, status, manifest_sha256 as "manifestSha256" from ${sql.t('ingested_file')} where name = any(?::text[])`, [
            pgArray(listing.map((l) => l.name)),
          ])
        : [];
      for (const entry of listing) {
        const mine = known.filter((k) => k.name === entry.name);
        try {
          files.push(await this.ingestOne(sql, entry.name, entry.hasManifest, entry.modifiedAt, mine));
        } catch (err) {
          if (err instanceof GerbangError && err.code === 'UPSTREAM_UNAVAILABLE') throw err;
          if (err instanceof GerbangError && err.code === 'NOT_FOUND') {
            files.push({ name: entry.name, outcome: 'PENDING', reason: 'replaced while being read; next time' });
            continue;
          }
          this.options.logger.error({ err, file: entry.name }, 'register batch could not be ingested; retrying next time');
          files.push({ name: entry.name, outcome: 'FAILED', reason: (err as Error).message });
        }
      }
      report = { status: 'OK', startedAt, finishedAt: this.now(), files };
    } catch (err) {
      if (!(err instanceof GerbangError && err.code === 'UPSTREAM_UNAVAILABLE')) throw err;
      const ext = err.extensions as { service?: string; reason?: string };
      this.options.logger.warn({ service: ext.service, reason: ext.reason }, 'DTSEN drop folder unavailable; ingestion waits');
      report = {
        status: 'UPSTREAM_UNAVAILABLE',
        startedAt,
        finishedAt: this.now(),
        files,
        error: { code: err.code, message: err.message, service: ext.service, reason: ext.reason },
      };
    }
    this.lastReport = report;
    const applied = files.filter((f) => f.outcome === 'APPLIED' || f.outcome === 'QUARANTINED');
    // Each poll that finds a new batch (every minute with the simulator): routine, so debug; a
    // quarantined batch is also a warning of its own.
    if (applied.length) this.options.logger.debug({ files: applied }, 'register batches ingested');
    return report;
  }

  private async ingestOne(sql: Sql, name: string, hasManifest: boolean, modifiedAt: Date, known: KnownFile[]): Promise<FileOutcome> {
    const withinGrace = this.now().getTime() - modifiedAt.getTime() < this.options.graceMs;
    if (hasManifest) {
      // Cheap path: the manifest alone tells whether this content was handled already.
      const { manifest } = await this.options.drop.readManifest(name);
      if (manifest && known.some((k) => k.sha256 === manifest.sha256 && k.status === 'APPLIED')) return { name, outcome: 'SKIPPED' };
      if (manifest && known.some((k) => k.status === 'QUARANTINED' && k.manifestSha256 === manifest.sha256)) return { name, outcome: 'SKIPPED' };
    } else if (withinGrace) {
      return { name, outcome: 'PENDING', reason: 'waiting for the manifest' };
    }

    const file = await this.options.drop.readBatch(name);
    const hash = sha256(file.content);
    const seen = known.find((k) => k.sha256 === hash);
    if (seen?.status === 'APPLIED') return { name, outcome: 'SKIPPED' };
    if (seen?.manifestSha256 === (file.manifest?.sha256 ?? null)) return { name, outcome: 'SKIPPED' };

    const problem = this.checkManifest(file, hash);
    if (problem) {
      const fileGrace = this.now().getTime() - file.modifiedAt.getTime() < this.options.graceMs;
      if (problem.waitable && fileGrace) return { name, outcome: 'PENDING', problem: problem.code, reason: problem.reason };
      return this.quarantineFile(sql, file, hash, problem.code, problem.reason);
    }
    const manifest = file.manifest!;
    const parsed = parseBatch(file.content.toString('utf8'), { periode: manifest.periode });
    if (!parsed.ok) return this.quarantineFile(sql, file, hash, 'UNREADABLE', parsed.reason);
    if (parsed.records !== manifest.rows) {
      return this.quarantineFile(sql, file, hash, 'ROW_COUNT', `the manifest announces ${manifest.rows} rows, the file has ${parsed.records}`);
    }
    return this.apply(sql, file, hash, manifest, parsed.periode, parsed.good, parsed.bad);
  }

  private checkManifest(file: BatchFile, hash: string): { code: FileProblem; reason: string; waitable: boolean } | null {
    if (file.manifestProblem) return { code: 'MANIFEST_UNREADABLE', reason: file.manifestProblem, waitable: true };
    if (!file.manifest) return { code: 'NO_MANIFEST', reason: `no manifest (${file.name}.sha256) within the grace period`, waitable: true };
    if (file.manifest.name !== file.name) return { code: 'MANIFEST_NAME', reason: `the manifest names ${file.manifest.name}`, waitable: false };
    if (file.manifest.sha256 !== hash) {
      return { code: 'CHECKSUM_MISMATCH', reason: 'the file does not match its manifest checksum (incomplete or damaged transfer)', waitable: true };
    }
    return null;
  }

  /** Records the file as quarantined, applying nothing; the same content with a new manifest is reconsidered. */
  private async quarantineFile(sql: Sql, file: BatchFile, hash: string, problem: FileProblem, reason: string): Promise<FileOutcome> {
    const row = await sql.one<{ revision: number }>(
      `insert into ${sql.t('ingested_file')} (name, sha256, revision, status, problem, reason, manifest_sha256, periode)
       values (?, ?, (select count(*) + 1 from ${sql.t('ingested_file')} where name = ?), 'QUARANTINED', ?, ?, ?, ?)
       on conflict (name, sha256) do update set problem = excluded.problem, reason = excluded.reason,
         manifest_sha256 = excluded.manifest_sha256, ingested_at = now()
       where ${sql.t('ingested_file')}.status = 'QUARANTINED'
       returning revision`,
      [file.name, hash, file.name, problem, reason, file.manifest?.sha256 ?? null, file.manifest?.periode ?? null],
    );
    if (!row) return { name: file.name, outcome: 'SKIPPED' };
    this.options.logger.warn({ file: file.name, problem, reason }, 'register batch quarantined');
    return { name: file.name, outcome: 'QUARANTINED', revision: row.revision, problem, reason };
  }

  private apply(sql: Sql, file: BatchFile, hash: string, manifest: BatchManifest, periode: string | null, good: GoodRow[], bad: BadRow[]): Promise<FileOutcome> {
    return sql.transaction(async (tx) => {
      // The record first: its unique (name, sha256) is what makes a concurrent second apply wait,
      // then find the file applied and do nothing. A file quarantined for its manifest before is
      // taken over (same row) now that a matching manifest is there.
      const rec = await tx.one<{ id: string; revision: number }>(
        `insert into ${sql.t('ingested_file')} (name, sha256, revision, status, manifest_sha256, periode, rows_total, rows_valid, rows_quarantined)
         values (?, ?, (select count(*) + 1 from ${sql.t('ingested_file')} where name = ?), 'APPLIED', ?, ?, ?, ?, ?)
         on conflict (name, sha256) do update set status = 'APPLIED', problem = null, reason = null,
           manifest_sha256 = excluded.manifest_sha256, periode = excluded.periode, rows_total = excluded.rows_total,
           rows_valid = excluded.rows_valid, rows_quarantined = excluded.rows_quarantined, ingested_at = now()
         where ${sql.t('ingested_file')}.status = 'QUARANTINED'
         returning id, revision`,
        [file.name, hash, file.name, manifest.sha256, periode, good.length + bad.length, good.length, bad.length],
      );
      if (!rec) return { name: file.name, outcome: 'SKIPPED' } satisfies FileOutcome;

      if (bad.length) {
        await tx.all(
          `insert into ${sql.t('quarantined_row')} (file_id, line, raw, reason, kinds)
           select ?, t.line, t.raw, t.reason, string_to_array(t.kinds, ',')
           from unnest(?::int[], ?::text[], ?::text[], ?::text[]) as t(line, raw, reason, kinds)`,
          [
            rec.id,
            pgArray(bad.map((b) => b.line)),
            pgArray(bad.map((b) => b.raw)),
            pgArray(bad.map((b) => b.problems.map((p) => `${p.kind}: ${p.message}`).join('; '))),
            pgArray(bad.map((b) => b.problems.map((p) => p.kind).join(','))),
          ],
        );
      }

      let applied = 0;
      if (good.length && periode) {
        const rows = good.map((g) => g.row);
        const result = await tx.one<{ n: number }>(
          `with up as (
             insert into ${sql.t('aid_eligibility')} (nik, household_id, name, decile, programmes, status, periode, kecamatan, village, source_file_id, updated_at)
             select t.nik, t.household_id, t.name, t.decile, string_to_array(t.programmes, '|'), t.status, ?, t.kecamatan, t.village, ?, now()
             from unnest(?::text[], ?::text[], ?::text[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[])
               as t(nik, household_id, name, decile, programmes, status, kecamatan, village)
             on conflict (nik) do update set household_id = excluded.household_id, name = excluded.name, decile = excluded.decile,
               programmes = excluded.programmes, status = excluded.status, periode = excluded.periode, kecamatan = excluded.kecamatan,
               village = excluded.village, source_file_id = excluded.source_file_id, updated_at = now()
             where ${sql.t('aid_eligibility')}.periode <= excluded.periode
             returning 1
           ) select count(*)::int as n from up`,
          [
            periode,
            rec.id,
            pgArray(rows.map((r) => r.nik)),
            pgArray(rows.map((r) => r.householdId)),
            pgArray(rows.map((r) => r.name)),
            pgArray(rows.map((r) => r.decile)),
            pgArray(rows.map((r) => r.programmes.join('|'))),
            pgArray(rows.map((r) => r.status)),
            pgArray(rows.map((r) => r.kecamatan)),
            pgArray(rows.map((r) => r.village)),
          ],
        );
        applied = result?.n ?? 0;
      }
      await tx.all(`update ${sql.t('ingested_file')} set rows_applied = ? where id = ?`, [applied, rec.id]);
      return {
        name: file.name,
        outcome: 'APPLIED',
        revision: rec.revision,
        periode,
        rowsApplied: applied,
        rowsQuarantined: bad.length,
      } satisfies FileOutcome;
    });
  }
}
