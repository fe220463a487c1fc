import { createHash, randomUUID } from 'node:crypto';
import { pgArray, type Logger } from '@gerbang/common';
import type { AppealStatus } from '../../rows';
import type { Sql } from '@gerbang/common';
import { DomainError, ErrorCode } from '../../lib/domain-error';
import { DAY_MS, isMonth, jakartaMonthEnd } from '../../lib/months';
import type { RatingPolicy } from '../ratings/rules';
import { TALLY_COUNT, TALLY_STARS } from '../summaries/summary.service';
import type { StaffDirectory, StaffMember } from './staff-directory';
import { computeTppRow, type StarTotals, type TppPolicy, type TppRowFigures } from './tpp';

export interface TppReportData {
  agencyId: string;
  month: string;
  finalized: boolean;
  finalizedAt: Date | null;
  /** SHA-256 of the stored snapshot (finalised months only). */
  contentHash: string | null;
  rows: TppRowFigures[];
}

/** What a finalised month stores, serialised once; the bytes served afterwards are these. */
interface Snapshot {
  agencyId: string;
  month: string;
  policy: TppPolicy;
  ratingWindowDays: number;
  rows: TppRowFigures[];
}

export interface AppealRecord {
  id: string;
  agencyId: string;
  month: string;
  officerId: string;
  reason: string;
  status: AppealStatus;
  filedAt: Date;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  resolutionNote: string | null;
}

const APPEAL_COLUMNS = `a.id, a.agency_id as "agencyId", a.month, a.officer_id as "officerId", a.reason, a.status, a.filed_at as "filedAt",
  a.resolved_by as "resolvedBy", a.resolved_at as "resolvedAt", a.resolution_note as "resolutionNote"`;
const APPEAL_DATES = ['filedAt', 'resolvedAt'];
const TEXT_MAX = 2000;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function assertMonth(month: string): void {
  if (!isMonth(month)) throw new DomainError(ErrorCode.BAD_USER_INPUT, 'month must be YYYY-MM.', { field: 'month' });
}

/** TPP figures per officer and month: live until HR finalises, then the stored snapshot forever. */
export class TppService {
  constructor(
    private readonly db: Sql,
    private readonly staff: StaffDirectory,
    private readonly policy: TppPolicy,
    private readonly ratingPolicy: RatingPolicy,
    private readonly logger: Logger,
  ) {}

  /** The last moment a rating of the month can arrive: month end (Asia/Jakarta) + the rating window. */
  windowClosesAt(month: string): Date {
    return new Date(jakartaMonthEnd(month).getTime() + this.ratingPolicy.windowDays * DAY_MS);
  }

  /** The agency's roster from the staff register; NOT_FOUND when the register does not know the agency. */
  private async roster(agencyId: string): Promise<StaffMember[]> {
    const officers = await this.staff.officersOfAgency(agencyId);
    if (!officers) throw new DomainError(ErrorCode.NOT_FOUND, `Agency "${agencyId}" is not in the BKPSDM staff register.`, { field: 'agencyId' });
    return officers;
  }

  /** Figures from the ratings as they stand: valid ratings only (flagged ones wait for review). */
  async live(agencyId: string, month: string, officers?: StaffMember[]): Promise<TppRowFigures[]> {
    officers ??= await this.roster(agencyId);
    // From the rating tally (valid ratings per agency, month and officer), not the ratings.
    const totals = await this.db.all<{ officerId: string | null; n: number | null; s: number | null }>(
      `select t.officer_id as "officerId", ${TALLY_COUNT} as n, ${TALLY_STARS} as s from ${this.db.t('rating_tally')} t
         where t.officer_id = any(?::text[]) and t.period = ? group by t.officer_id
       union all
       select null, ${TALLY_COUNT}, ${TALLY_STARS} from ${this.db.t('rating_tally')} t
         where t.agency_id = ? and t.period = ?`,
      [pgArray(officers.map((o) => o.id)), month, agencyId, month],
    );
    const own = new Map<string, StarTotals>();
    let unit: StarTotals = { count: 0, sum: 0 };
    for (const t of totals) {
      if (t.officerId === null) unit = { count: t.n ?? 0, sum: t.s ?? 0 };
      else own.set(t.officerId, { count: t.n ?? 0, sum: t.s ?? 0 });
    }
    return officers.map((o) => computeTppRow(o, own.get(o.id) ?? { count: 0, sum: 0 }, unit, this.policy)).sort((a, b) => (a.officerId < b.officerId ? -1 : a.officerId > b.officerId ? 1 : 0));
  }

  private async stored(agencyId: string, month: string) {
    return this.db.one<{ finalizedAt: Date; snapshot: string; contentHash: string }>(
      `select finalized_at as "finalizedAt", snapshot, content_hash as "contentHash" from ${this.db.t('tpp_report')} where agency_id = ? and month = ?`,
      [agencyId, month],
      ['finalizedAt'],
    );
  }

  async report(agencyId: string, month: string): Promise<TppReportData> {
    assertMonth(month);
    const stored = await this.stored(agencyId, month);
    if (stored) {
      if (sha256(stored.snapshot) !== stored.contentHash) {
        this.logger.error({ agencyId, month }, 'finalised TPP snapshot does not match its content hash');
      }
      const snapshot = JSON.parse(stored.snapshot) as Snapshot;
      return { agencyId, month, finalized: true, finalizedAt: stored.finalizedAt, contentHash: stored.contentHash, rows: snapshot.rows };
    }
    return { agencyId, month, finalized: false, finalizedAt: null, contentHash: null, rows: await this.live(agencyId, month) };
  }

  /**
   * Freezes a month once its rating window has closed. A second call is refused with
   * ALREADY_FINALIZED (the stored figures stay as they are; read them with tppReport). An agency the
   * staff register does not know is NOT_FOUND whatever the month, and nothing is stored.
   */
  async finalize(args: { agencyId: string; month: string; actor: string; now: Date }): Promise<TppReportData> {
    const { agencyId, month, actor, now } = args;
    assertMonth(month);
    // A stored month needs no register: it was known when it was finalised.
    if (await this.stored(agencyId, month)) throw alreadyFinalized(month);
    const officers = await this.roster(agencyId);
    const closesAt = this.windowClosesAt(month);
    if (now.getTime() < closesAt.getTime()) {
      throw new DomainError(ErrorCode.PERIOD_NOT_CLOSED, `Ratings for ${month} are accepted until ${closesAt.toISOString()}; finalise after that.`, {
        closesAt: closesAt.toISOString(),
      });
    }
    const rows = await this.live(agencyId, month, officers);
    const snapshot = JSON.stringify({ agencyId, month, policy: this.policy, ratingWindowDays: this.ratingPolicy.windowDays, rows } satisfies Snapshot);
    const contentHash = sha256(snapshot);
    const inserted = await this.db.one<{ finalizedAt: Date }>(
      `insert into ${this.db.t('tpp_report')} (agency_id, month, finalized_at, finalized_by, snapshot, content_hash) values (?, ?, ?, ?, ?, ?)
       on conflict do nothing returning finalized_at as "finalizedAt"`,
      [agencyId, month, now, actor, snapshot, contentHash],
      ['finalizedAt'],
    );
    if (!inserted) throw alreadyFinalized(month);
    this.logger.info({ agencyId, month, actor, contentHash, rows: rows.length }, 'TPP month finalised');
    return { agencyId, month, finalized: true, finalizedAt: inserted.finalizedAt, contentHash, rows };
  }

  /** The access record of who read staff scores (UU PDP). */
  async recordAccess(entry: { actor: string; roles: readonly string[]; action: string; subject: Record<string, unknown>; now: Date }): Promise<void> {
    await this.db.all(`insert into ${this.db.t('access_log')} (at, actor, roles, action, subject) values (?, ?, ?, ?, ?::jsonb)`, [
      entry.now,
      entry.actor,
      entry.roles.join(','),
      entry.action,
      JSON.stringify(entry.subject),
    ]);
  }

  async fileAppeal(args: { agencyId: string; month: string; officerId: string; reason: string; actor: string; now: Date }): Promise<AppealRecord> {
    assertMonth(args.month);
    const reason = requireText(args.reason, 'reason');
    const { rows } = await this.report(args.agencyId, args.month);
    if (!rows.some((r) => r.officerId === args.officerId)) {
      throw new DomainError(ErrorCode.FORBIDDEN, 'You have no TPP figures at this agency for this month.');
    }
    const appeal = await this.db.one<AppealRecord>(
      `insert into ${this.db.t('tpp_appeal')} as a (id, agency_id, month, officer_id, reason, filed_by, filed_at) values (?, ?, ?, ?, ?, ?, ?)
       on conflict do nothing returning ${APPEAL_COLUMNS}`,
      [randomUUID(), args.agencyId, args.month, args.officerId, reason, args.actor, args.now],
      APPEAL_DATES,
    );
    if (!appeal) throw new DomainError(ErrorCode.BAD_USER_INPUT, 'You already have an open appeal for this month.', { field: 'month' });
    return appeal;
  }

  async resolveAppeal(args: { id: string; outcome: 'UPHELD' | 'REJECTED'; note: string; actor: string; now: Date }): Promise<AppealRecord> {
    const note = requireText(args.note, 'note');
    const appeal = await this.db.one<AppealRecord>(
      `update ${this.db.t('tpp_appeal')} a set status = ?, resolved_by = ?, resolved_at = ?, resolution_note = ?
       where a.id = ? and a.status = 'OPEN' returning ${APPEAL_COLUMNS}`,
      [args.outcome, args.actor, args.now, note, args.id],
      APPEAL_DATES,
    );
    if (appeal) return appeal;
    const exists = await this.db.one(`select 1 from ${this.db.t('tpp_appeal')} where id = ?`, [args.id]);
    if (!exists) throw new DomainError(ErrorCode.NOT_FOUND, 'Appeal not found.');
    throw new DomainError(ErrorCode.BAD_USER_INPUT, 'This appeal has already been resolved.', { field: 'id' });
  }

  appeals(filter: { agencyId?: string | null; month?: string | null; status?: AppealStatus | null; officerId?: string | null }, first: number): Promise<AppealRecord[]> {
    if (filter.month) assertMonth(filter.month);
    const f = [filter.agencyId ?? null, filter.month ?? null, filter.status ?? null, filter.officerId ?? null];
    return this.db.all<AppealRecord>(
      `select ${APPEAL_COLUMNS} from ${this.db.t('tpp_appeal')} a
       where (?::text is null or a.agency_id = ?) and (?::text is null or a.month = ?) and (?::text is null or a.status = ?)
         and (?::text is null or a.officer_id = ?)
       order by a.filed_at desc, a.id limit ?`,
      [f[0], f[0], f[1], f[1], f[2], f[2], f[3], f[3], first],
      APPEAL_DATES,
    );
  }
}

const alreadyFinalized = (month: string) => new DomainError(ErrorCode.ALREADY_FINALIZED, `TPP for ${month} has already been finalised.`);

function requireText(text: string, field: string): string {
  const trimmed = text.trim();
  if (!trimmed) throw new DomainError(ErrorCode.BAD_USER_INPUT, `${field} is required.`, { field });
  if (trimmed.length > TEXT_MAX) throw new DomainError(ErrorCode.BAD_USER_INPUT, `${field} is limited to ${TEXT_MAX} characters.`, { field });
  return trimmed;
}
