import type { Sql } from '@gerbang/common';
import type { RatingRow, RatingStatus } from '../../rows';
import type { ModerationService } from '../moderation/moderation.service';
import { relation, SUBJECT_COLUMNS, type FlagWrite, type ScreeningFacts } from '../moderation/screening';

/**
 * Group commit of rateService: the ratings that arrive while a statement is on its way to
 * PostgreSQL are sent together in the next one. Two kinds of statement, each with a fixed text
 * (the batch travels as arrays, so one prepared statement serves every batch size):
 *
 *   read   for N ratings at once: the earlier result under each idempotency key, each ticket
 *          (and whether it is rated) and the anomaly rules' facts, read once per officer, device
 *          and address of the batch (ModerationService.factsSql over the relation `subjects`);
 *   write  N ratings in one INSERT … SELECT FROM unnest (the relation `stored`), their flags and
 *          the other flagged ratings' status in moderation's CTEs (ModerationService.writeFlags):
 *          atomic per statement, one commit (one WAL flush) for all.
 *
 * Every caller is still answered on its own: the rules run per rating between the two statements
 * (RatingsService), and a rating the write did not store (a concurrent rating of the ticket, or a
 * retry racing its first attempt) comes back as `undefined`, for the caller to answer from the
 * stored rating or with ALREADY_RATED. If a batched statement fails for any reason but a deadlock,
 * each rating of the batch is run again on its own, so an error reaches only the rating that caused
 * it; a deadlock (40P01: ratings of two batches flagging each other's officers' ratings) runs the
 * batch again whole, up to three times, as a single rating was.
 *
 * A batch is sent at the next turn of the event loop after the first rating joins it (no timer, no
 * added wait when idle), at most `maxInFlight` statements of a kind at once; while they are on
 * their way, arriving ratings gather for the next one (up to `maxBatch`).
 */

export interface GroupCommitConfig {
  /** Most ratings per statement (1: no grouping). */
  maxBatch: number;
  /** Statements of one kind on their way at once (keep ≤ the pool's connections). */
  maxInFlight: number;
  /**
   * Named prepared statements (parsed and planned once per connection). They are protocol-level
   * (Parse/Bind with a name), which PgBouncer ≥ 1.21 keeps per server connection in transaction
   * mode (max_prepared_statements > 0); false for an older pooler: unnamed statements, planned per
   * call (a batch shares that cost).
   */
  namedStatements: boolean;
}

export const DEFAULT_GROUP_COMMIT: GroupCommitConfig = { maxBatch: 64, maxInFlight: 2, namedStatements: true };

/** What the read needs of one rating about to be made. */
export interface ReadItem {
  ticketId: string;
  citizenRef: string;
  idempotencyKey: string | null;
  deviceRef: string | null;
  ipRef: string | null;
  now: Date;
}

/** One rating's row of the read (jsonb columns decoded by RatingsService), with its batch's screening facts. */
export interface ReadRow {
  replay: Record<string, unknown> | null;
  ticket: Record<string, unknown> | null;
  rated: boolean | null;
  /** The anomaly rules' facts of the whole batch (ModerationService.findings picks this rating's). */
  facts: ScreeningFacts;
}

/** One rating to store, with its final status and the flags its findings raise. */
export interface WriteItem {
  /** The stored row as the ledger keeps it (`RatingRow`), before any comment is hidden. */
  rating: Omit<RatingRow, 'commentHidden' | 'skm' | 'status'> & { skm: readonly number[] | null; status: RatingStatus };
  /** The flags its screening raised (ModerationService.flagsOf): written only if this rating is stored. */
  flags: FlagWrite[];
}

interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (err: unknown) => void;
}

/** A queue that sends its items in batches through `run` (see the file's comment). */
class Batcher<I, O> {
  private queue: Pending<I, O>[] = [];
  private inFlight = 0;
  private scheduled = false;
  /** Sizes of the batches sent (the benchmark reads them through `stats`). */
  batches = 0;
  items = 0;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly config: GroupCommitConfig,
  ) {}

  push(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.scheduled || !this.queue.length || this.inFlight >= this.config.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.queue.length || this.inFlight >= this.config.maxInFlight) return;
      const batch = this.queue.splice(0, this.config.maxBatch);
      this.inFlight++;
      this.batches++;
      this.items += batch.length;
      void this.send(batch).finally(() => {
        this.inFlight--;
        this.kick();
      });
      this.kick();
    });
  }

  private async send(batch: Pending<I, O>[]): Promise<void> {
    try {
      const out = await runWithDeadlockRetry(() => this.run(batch.map((p) => p.item)));
      batch.forEach((p, k) => p.resolve(out[k]!));
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err);
      // One rating's error must not become everyone's: each is run again alone.
      await Promise.all(
        batch.map(async (p) => {
          try {
            p.resolve((await runWithDeadlockRetry(() => this.run([p.item])))[0]!);
          } catch (own) {
            p.reject(own);
          }
        }),
      );
    }
  }
}

async function runWithDeadlockRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if ((err as { code?: string }).code === '40P01' && attempt < 3) continue;
      throw err;
    }
  }
}

/** The rating columns every statement returns (ratings.service.ts' RATING_COLUMNS, as jsonb for the read). */
export class GroupCommit {
  private readonly reads: Batcher<ReadItem, ReadRow>;
  private readonly writes: Batcher<WriteItem, Record<string, unknown> | undefined>;
  private readSql?: string;
  private writeSql?: string;

  constructor(
    /** The connection the batches go through (its own Sql: not any request's). */
    private readonly db: Sql,
    private readonly moderation: ModerationService,
    private readonly ratingColumns: string,
    private readonly ratingDates: readonly string[],
    readonly config: GroupCommitConfig = DEFAULT_GROUP_COMMIT,
  ) {
    this.reads = new Batcher((items) => this.runReads(items), config);
    this.writes = new Batcher((items) => this.runWrites(items), config);
  }

  /** Ratings per statement so far (reads, writes). */
  stats() {
    return {
      reads: { statements: this.reads.batches, ratings: this.reads.items },
      writes: { statements: this.writes.batches, ratings: this.writes.items },
    };
  }

  read(item: ReadItem): Promise<ReadRow> {
    return this.reads.push(item);
  }

  /** The stored rating (RATING_COLUMNS), or undefined when the ticket or the key was taken. */
  write(item: WriteItem): Promise<Record<string, unknown> | undefined> {
    return this.writes.push(item);
  }

  private async runReads(items: ReadItem[]): Promise<ReadRow[]> {
    const db = this.db;
    // `subjects`: the ratings of the batch whose ticket is known, as moderation's screening reads
    // them (SUBJECT_COLUMNS). Its facts come once per statement, with the first row.
    this.readSql ??= `with k as (
         select * from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[])
           with ordinality as k(ticket_id, citizen_ref, idempotency_key, device_ref, ip_ref, burst_since, spread_since, ord)
       ), subjects (${SUBJECT_COLUMNS.join(', ')}) as (
         select tk.officer_id, tk.agency_id, tk.completed_period, k.device_ref, k.ip_ref, k.burst_since, k.spread_since
         from k join ${db.t('ticket')} tk on tk.id = k.ticket_id
       )
       select k.ord::int as ord,
         (select to_jsonb(x) from (select ${this.ratingColumns} from ${db.t('rating')} r
            where k.idempotency_key is not null and r.citizen_ref = k.citizen_ref and r.idempotency_key = k.idempotency_key) x) as replay,
         case when tk.id is not null then jsonb_build_object('id', tk.id, 'agencyId', tk.agency_id, 'citizenRef', tk.citizen_ref, 'serviceId', tk.service_id,
           'officerId', tk.officer_id, 'status', tk.status, 'submittedAt', tk.submitted_at, 'completedAt', tk.completed_at) end as ticket,
         exists (select 1 from ${db.t('rating')} r where r.ticket_id = tk.id) as rated,
         case when k.ord = 1 then ${this.moderation.factsSql(db, relation('subjects'))} end as facts
       from k left join ${db.t('ticket')} tk on tk.id = k.ticket_id`;
    const windows = items.map((i) => this.moderation.windows(i.now));
    const rows = await db.prepared<Omit<ReadRow, 'facts'> & { ord: number; facts: unknown }>(
      this.readSql,
      [
        items.map((i) => i.ticketId),
        items.map((i) => i.citizenRef),
        items.map((i) => i.idempotencyKey),
        items.map((i) => i.deviceRef),
        items.map((i) => i.ipRef),
        windows.map((w) => w.burstSince),
        windows.map((w) => w.spreadSince),
      ],
      [],
      { named: this.config.namedStatements },
    );
    const facts = this.moderation.facts(rows.find((row) => row.ord === 1)!.facts);
    const out = new Array<ReadRow>(items.length);
    for (const row of rows) out[row.ord - 1] = { replay: row.replay, ticket: row.ticket, rated: row.rated, facts };
    return out;
  }

  private async runWrites(items: WriteItem[]): Promise<(Record<string, unknown> | undefined)[]> {
    const db = this.db;
    const flags = this.moderation.writeFlags(
      db,
      relation('stored'),
      items.flatMap((i) => i.flags),
    );
    this.writeSql ??= `with stored as (
         insert into ${db.t('rating')} as r (id, ticket_id, citizen_ref, idempotency_key, request_hash, agency_id, service_id, officer_id,
           stars, comment, skm, period, completed_at, created_at, device_ref, ip_ref, status)
         select x.id, x.ticket_id, x.citizen_ref, x.idempotency_key, x.request_hash, x.agency_id, x.service_id, x.officer_id,
           x.stars, x.comment, x.skm::smallint[], x.period, x.completed_at, x.created_at, x.device_ref, x.ip_ref, x.status
         from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                     ?::smallint[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::text[], ?::text[], ?::text[])
                with ordinality as x(id, ticket_id, citizen_ref, idempotency_key, request_hash, agency_id, service_id, officer_id,
                  stars, comment, skm, period, completed_at, created_at, device_ref, ip_ref, status, ord)
         order by x.ord
         on conflict do nothing
         returning ${this.ratingColumns}
       )${flags.sql}
       select * from stored`;
    const r = items.map((i) => i.rating);
    const rows = await db.prepared<Record<string, unknown>>(
      this.writeSql,
      [
        r.map((x) => x.id),
        r.map((x) => x.ticketId),
        r.map((x) => x.citizenRef),
        r.map((x) => x.idempotencyKey),
        r.map((x) => x.requestHash),
        r.map((x) => x.agencyId),
        r.map((x) => x.serviceId),
        r.map((x) => x.officerId),
        r.map((x) => x.stars),
        r.map((x) => x.comment),
        // smallint[] per rating: unnest would flatten a 2-D array, so each travels as its literal.
        r.map((x) => (x.skm ? `{${x.skm.join(',')}}` : null)),
        r.map((x) => x.period),
        r.map((x) => x.completedAt),
        r.map((x) => x.createdAt),
        r.map((x) => x.deviceRef),
        r.map((x) => x.ipRef),
        r.map((x) => x.status),
        ...flags.params,
      ],
      this.ratingDates,
      { named: this.config.namedStatements },
    );
    const byId = new Map(rows.map((row) => [row.id as string, row]));
    return items.map((i) => byId.get(i.rating.id));
  }
}
