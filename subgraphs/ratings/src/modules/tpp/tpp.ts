import { compare, floorRatio, minRatio, mul, ratio, toDecimal, add, type Ratio } from '../../lib/exact';

/**
 * TPP (Tambahan Penghasilan Pegawai) per docs/DOMAIN.md, in exact rational arithmetic:
 * f = min(1, r̄/4), r̄ = mean stars of the officer's valid ratings of the month. With fewer than
 * n_min ratings the officer is judged by the unit's mean if the unit has n_min ratings, else f = 1.
 * payout = floor(base × f), once, at the end (or only the productivity share scaled, by policy).
 */
export type TppBasis = 'OWN_RATINGS' | 'UNIT_AVERAGE' | 'NOT_ENOUGH_RATINGS';
type TppScale = 'whole' | 'productivity';

export interface TppPolicy {
  /** n_min: ratings needed before a mean counts (policy: 5). */
  minRatings: number;
  /** whole: the whole TPP is scaled; productivity: only the productivity share is. */
  scale: TppScale;
  /** Percentage of TPP that is the productivity share (policy: 60). */
  productivitySharePercent: number;
}

export const DEFAULT_TPP_POLICY: TppPolicy = { minRatings: 5, scale: 'whole', productivitySharePercent: 60 };

export interface StarTotals {
  count: number;
  sum: number;
}

export interface TppRowFigures {
  officerId: string;
  ratings: number;
  /** Own mean, 2 decimals; null without ratings. */
  average: number | null;
  /** The factor applied, 4 decimals (display). */
  factor: number;
  /** The factor as an exact fraction, e.g. "5/6". */
  factorExact: string;
  base: number | null;
  payout: number | null;
  basis: TppBasis;
}

const ONE: Ratio = ratio(1, 1);

/** min(1, mean/4) = min(1, sum / (4·count)). */
export function factorOfMean(totals: StarTotals): Ratio {
  if (totals.count <= 0) throw new RangeError('a mean needs at least one rating');
  return minRatio(ONE, ratio(totals.sum, 4 * totals.count));
}

export function tppFactor(own: StarTotals, unit: StarTotals, policy: Pick<TppPolicy, 'minRatings'>): { factor: Ratio; basis: TppBasis } {
  if (own.count >= policy.minRatings) return { factor: factorOfMean(own), basis: 'OWN_RATINGS' };
  if (unit.count >= policy.minRatings) return { factor: factorOfMean(unit), basis: 'UNIT_AVERAGE' };
  return { factor: ONE, basis: 'NOT_ENOUGH_RATINGS' };
}

/** floor(base × multiplier), where the multiplier is f, or (1 − share) + share × f. */
export function tppPayout(base: number, factor: Ratio, policy: Pick<TppPolicy, 'scale' | 'productivitySharePercent'>): number {
  if (!Number.isSafeInteger(base) || base < 0) throw new RangeError('a TPP base is a non-negative whole number of rupiah');
  let multiplier = factor;
  if (policy.scale === 'productivity') {
    const share = ratio(policy.productivitySharePercent, 100);
    multiplier = add(ratio(100 - policy.productivitySharePercent, 100), mul(share, factor));
  }
  return Number(floorRatio(mul(ratio(base, 1), multiplier)));
}

function reduced(r: Ratio): string {
  const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));
  const g = gcd(r.num < 0n ? -r.num : r.num, r.den) || 1n;
  return `${r.num / g}/${r.den / g}`;
}

export function computeTppRow(officer: { id: string; tppBase: number | null }, own: StarTotals, unit: StarTotals, policy: TppPolicy): TppRowFigures {
  const { factor, basis } = tppFactor(own, unit, policy);
  if (compare(factor, ONE) > 0) throw new Error('factor above 1');
  return {
    officerId: officer.id,
    ratings: own.count,
    average: own.count ? toDecimal(ratio(own.sum, own.count), 2) : null,
    factor: toDecimal(factor, 4),
    factorExact: reduced(factor),
    base: officer.tppBase,
    payout: officer.tppBase === null ? null : tppPayout(officer.tppBase, factor, policy),
    basis,
  };
}
