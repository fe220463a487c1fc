import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray, Sql } from '@gerbang/common';
import { AccessLogEntity, EligibilityEntity, type AccessLogRow, type EligibilityRow, type ProposalRow } from '../entities';

const PROPOSAL_COLUMNS = `p.id, p.nik, p.household_id as "householdId", p.name, p.programme, p.reason, p.client_ref as "clientRef",
  p.status, p.submitted_at as "submittedAt", p.export_name as "exportName", x.written_at as "exportedAt", p.decision_note as "decisionNote",
  p.decided_at as "decidedAt", p.officer_nip as "officerNip", p.change_seq::float8 as "changeSeq"`;

export type ProposalView = ProposalRow & { exportedAt: Date | null };

export type AccessLogEntry = Omit<AccessLogRow, 'id' | 'readAt'>;

/**
 * Writers that hand out change_seq values serialise on this lock, so the values become visible
 * in the order they were taken and the ticket sync's cursor never skips a late commit.
 */
export const changeLock = (tx: Sql) => tx.all(`select pg_advisory_xact_lock(hashtext(?))`, [`"${tx.schema}".aid_proposal_change_seq`]);

/**
 * Every request-time query of the social subgraph; each takes many keys at once for the loaders.
 * Single-table reads and writes go through MikroORM's entities (src/entities.ts); proposals, whose
 * numbers and change sequence come from PostgreSQL sequences under a lock, are SQL.
 */
export class SocialStore {
  readonly sql: Sql;
  private ormStatements = 0;
  constructor(
    private readonly em: EntityManager,
    private readonly onQuery?: (sql: string) => void,
  ) {
    this.sql = new Sql(em, { onQuery });
  }

  /** Round trips so far, SQL and entity statements alike (the N+1 tests count them). */
  get queries() {
    return this.sql.queries + this.ormStatements;
  }

  private counted(label: string): void {
    this.ormStatements++;
    this.onQuery?.(label);
  }

  eligibilityByNiks(niks: readonly string[]): Promise<EligibilityRow[]> {
    this.counted('find EligibilityRow by nik');
    // Read-only: not kept in the identity map, so a later batch of the loader sees the table.
    return this.em.find(EligibilityEntity, { nik: { $in: [...niks] } }, { disableIdentityMap: true });
  }

  /** Appends to the access log; the read it records is answered only once this has succeeded. */
  async logAccess(entry: AccessLogEntry): Promise<void> {
    this.counted('insert AccessLogRow');
    await this.em.insert<AccessLogRow>(AccessLogEntity, entry);
  }

  proposalsByIds(ids: readonly string[]): Promise<ProposalView[]> {
    return this.sql.all<ProposalView>(
      `select ${PROPOSAL_COLUMNS} from ${this.sql.t('aid_proposal')} p left join ${this.sql.t('proposal_export')} x on x.name = p.export_name
       where p.id = any(?::text[])`,
      [pgArray(ids)],
    );
  }

  proposalsOf(nik: string): Promise<ProposalView[]> {
    return this.sql.all<ProposalView>(
      `select ${PROPOSAL_COLUMNS} from ${this.sql.t('aid_proposal')} p left join ${this.sql.t('proposal_export')} x on x.name = p.export_name
       where p.nik = ? order by p.submitted_at desc, p.id desc`,
      [nik],
    );
  }

  /**
   * Files a proposal once per client reference: a retry returns the first one (`created` false).
   */
  submitProposal(input: { nik: string; householdId: string | null; name: string; programme: string; reason: string; clientRef: string }): Promise<{ proposal: ProposalView; created: boolean }> {
    return this.sql.transaction(async (tx) => {
      await changeLock(tx);
      const inserted = await tx.one<{ id: string }>(
        `insert into ${this.sql.t('aid_proposal')} (id, nik, household_id, name, programme, reason, client_ref, change_seq)
         values ('USL-' || to_char(now() at time zone 'Asia/Jakarta', 'YYYY') || '-' || lpad(nextval('${this.sql.t('aid_proposal_number_seq')}')::text, 6, '0'),
                 ?, ?, ?, ?, ?, ?, nextval('${this.sql.t('aid_proposal_change_seq')}'))
         on conflict (client_ref) do nothing
         returning id`,
        [input.nik, input.householdId, input.name, input.programme, input.reason, input.clientRef],
      );
      const row = await tx.one<ProposalView>(
        `select ${PROPOSAL_COLUMNS} from ${this.sql.t('aid_proposal')} p left join ${this.sql.t('proposal_export')} x on x.name = p.export_name where p.client_ref = ?`,
        [input.clientRef],
      );
      return { proposal: row!, created: inserted !== undefined };
    });
  }

  /** The ticket source: proposals changed after `cursor` (exclusive), oldest change first. */
  async changes(cursor: number, limit: number): Promise<{ items: ProposalView[]; next: number }> {
    const items = await this.sql.all<ProposalView>(
      `select ${PROPOSAL_COLUMNS} from ${this.sql.t('aid_proposal')} p left join ${this.sql.t('proposal_export')} x on x.name = p.export_name
       where p.change_seq > ? order by p.change_seq limit ?`,
      [cursor, limit],
    );
    return { items, next: items.length ? items[items.length - 1]!.changeSeq : cursor };
  }
}
