import { Migration } from '@mikro-orm/migrations';

/**
 * Ratings held for BKPSDM's register. A rating whose rater the register could not be asked about
 * (is this an officer of the ticket's agency?) is stored FLAGGED under the rule REGISTER_UNCHECKED
 * and checked later; `register_check` keeps what that check needs until it is resolved.
 *
 * The register is asked by NIK, and the ratings tables hold only keyed hashes of NIKs, so the NIK
 * (and the token's NIP) is kept sealed: AES-256-GCM under a key derived from RATER_PEPPER, bound to
 * the rating's id (src/lib/sealed.ts). The row is deleted in the transaction that resolves the
 * flag, whoever resolves it (the check, or a moderator), and when the check is left to a moderator.
 */
export class Migration20261210090000 extends Migration {
  override async up(): Promise<void> {
    const s = `"${this.config.get('schema')}"`;

    this.addSql(`alter table ${s}.rating_flag drop constraint rating_flag_rule_check`);
    this.addSql(`alter table ${s}.rating_flag add constraint rating_flag_rule_check
      check (rule in ('BURST', 'DEVICE_SPREAD', 'IP_SPREAD', 'OFFICER_DEVIATION', 'REGISTER_UNCHECKED'))`);

    // HAND_OVER: the check gave up on the register (or could not read what it kept) and left the
    // flag open for a moderator; recorded like every other moderation step.
    this.addSql(`alter table ${s}.moderation_log drop constraint moderation_log_action_check`);
    this.addSql(`alter table ${s}.moderation_log add constraint moderation_log_action_check
      check (action in ('REVIEW_FLAG', 'HIDE_COMMENT', 'HAND_OVER'))`);

    // attempts counts the questions put to the register, the one at rating time included.
    // next_attempt_at orders the queue and is also a lease: a replica that takes a batch moves it
    // ahead, so two replicas never ask about the same rating at once, and a replica that dies
    // mid-batch leaves it to be taken again once the lease runs out.
    this.addSql(`create table ${s}.register_check (
      rating_id text primary key references ${s}.rating (id),
      person bytea not null,
      created_at timestamptz not null,
      attempts integer not null default 0 check (attempts >= 0),
      last_attempt_at timestamptz,
      last_error text,
      next_attempt_at timestamptz not null
    )`);
    this.addSql(`create index register_check_due_idx on ${s}.register_check (next_attempt_at, rating_id)`);
  }
}
