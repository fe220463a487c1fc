import { ratio, toDecimal } from '../../lib/exact';

/**
 * Anomaly rules: pure functions over the facts around a new rating. A finding does not delete
 * anything: the ratings it names are flagged for human review and left out of TPP until then.
 * Details never carry rater identity (no citizen, device or IP reference).
 */
export type FraudRule = 'BURST' | 'DEVICE_SPREAD' | 'IP_SPREAD' | 'OFFICER_DEVIATION';

export interface FraudPolicy {
  /** A burst: at least this many ratings for one officer … */
  burstCount: number;
  /** … within this many minutes. */
  burstWindowMinutes: number;
  /** One device rating more than this many distinct officers within the spread window. */
  deviceMaxOfficers: number;
  /** One IP address rating more than this many distinct officers (higher: offices share addresses). */
  ipMaxOfficers: number;
  spreadWindowHours: number;
  /** An officer's mean this far (in tenths of a star) from the rest of the unit's … */
  deviationTenths: number;
  /** … once the officer has this many ratings in the month … */
  deviationMinOfficer: number;
  /** … and the rest of the unit this many. */
  deviationMinUnit: number;
}

export const DEFAULT_FRAUD_POLICY: FraudPolicy = {
  burstCount: 8,
  burstWindowMinutes: 10,
  deviceMaxOfficers: 3,
  ipMaxOfficers: 10,
  spreadWindowHours: 24,
  deviationTenths: 15,
  deviationMinOfficer: 5,
  deviationMinUnit: 10,
};

export interface RatingFact {
  id: string;
  officerId: string | null;
  stars: number;
  createdAt: Date;
  deviceRef: string | null;
  ipRef: string | null;
}

export interface Finding {
  rule: FraudRule;
  /** The ratings to flag (the new one among them). */
  ratingIds: string[];
  details: Record<string, unknown>;
}

const within = (subject: RatingFact, r: RatingFact, windowMs: number) => {
  const age = subject.createdAt.getTime() - r.createdAt.getTime();
  return age >= 0 && age < windowMs;
};

/** Many ratings for one officer in a short time. */
export function burstRule(subject: RatingFact, recent: readonly RatingFact[], policy: FraudPolicy): Finding | null {
  if (!subject.officerId) return null;
  const windowMs = policy.burstWindowMinutes * 60_000;
  const ids = new Set([subject.id]);
  for (const r of recent) if (r.officerId === subject.officerId && within(subject, r, windowMs)) ids.add(r.id);
  if (ids.size < policy.burstCount) return null;
  return {
    rule: 'BURST',
    ratingIds: [...ids],
    details: { officerId: subject.officerId, ratings: ids.size, windowMinutes: policy.burstWindowMinutes },
  };
}

/** One device (or one address) rating many different officers. */
export function spreadRule(kind: 'device' | 'ip', subject: RatingFact, recent: readonly RatingFact[], policy: FraudPolicy): Finding | null {
  const ref = kind === 'device' ? subject.deviceRef : subject.ipRef;
  if (!ref) return null;
  const windowMs = policy.spreadWindowHours * 3_600_000;
  const max = kind === 'device' ? policy.deviceMaxOfficers : policy.ipMaxOfficers;
  const same = [subject, ...recent.filter((r) => r.id !== subject.id && (kind === 'device' ? r.deviceRef : r.ipRef) === ref && within(subject, r, windowMs))];
  const officers = new Set(same.map((r) => r.officerId).filter((o): o is string => o !== null));
  if (officers.size <= max) return null;
  return {
    rule: kind === 'device' ? 'DEVICE_SPREAD' : 'IP_SPREAD',
    ratingIds: same.map((r) => r.id),
    details: { distinctOfficers: officers.size, ratings: same.length, windowHours: policy.spreadWindowHours },
  };
}

export interface PeriodRating {
  id: string;
  stars: number;
}

/**
 * An officer's month far from the rest of their unit's: either a pile-on against them or friends
 * inflating them. The ratings on the deviating side of the unit's mean go to review.
 * |S_o/n_o − S_u/n_u| ≥ t/10  ⇔  10·|S_o·n_u − S_u·n_o| ≥ t·n_o·n_u, in integers.
 */
export function deviationRule(officerId: string, officerRatings: readonly PeriodRating[], unitOthers: { count: number; sum: number }, policy: FraudPolicy): Finding | null {
  const n = officerRatings.length;
  if (n < policy.deviationMinOfficer || unitOthers.count < policy.deviationMinUnit) return null;
  const s = officerRatings.reduce((a, r) => a + r.stars, 0);
  const diff = BigInt(s) * BigInt(unitOthers.count) - BigInt(unitOthers.sum) * BigInt(n);
  const abs = diff < 0n ? -diff : diff;
  if (10n * abs < BigInt(policy.deviationTenths) * BigInt(n) * BigInt(unitOthers.count)) return null;
  const low = diff < 0n;
  // stars < S_u/n_u  ⇔  stars·n_u < S_u (and the mirror for a suspiciously high month).
  const side = officerRatings.filter((r) => (low ? r.stars * unitOthers.count < unitOthers.sum : r.stars * unitOthers.count > unitOthers.sum));
  if (!side.length) return null;
  return {
    rule: 'OFFICER_DEVIATION',
    ratingIds: side.map((r) => r.id),
    details: {
      officerId,
      direction: low ? 'LOW' : 'HIGH',
      officerMean: toDecimal(ratio(s, n), 2),
      officerRatings: n,
      unitMean: toDecimal(ratio(unitOthers.sum, unitOthers.count), 2),
      unitRatings: unitOthers.count,
    },
  };
}

export function evaluateFraudRules(input: {
  subject: RatingFact;
  /** Recent ratings of the same officer, device or address (may include the subject). */
  recent: readonly RatingFact[];
  /** The officer's non-rejected ratings of the month (including the subject), when it has an officer. */
  officerMonth?: readonly PeriodRating[];
  /** Valid ratings of the rest of the unit in the month. */
  unitOthers?: { count: number; sum: number };
  policy: FraudPolicy;
}): Finding[] {
  const { subject, recent, policy } = input;
  const findings = [burstRule(subject, recent, policy), spreadRule('device', subject, recent, policy), spreadRule('ip', subject, recent, policy)];
  if (subject.officerId && input.officerMonth && input.unitOthers) {
    findings.push(deviationRule(subject.officerId, input.officerMonth, input.unitOthers, policy));
  }
  return findings.filter((f): f is Finding => f !== null);
}
