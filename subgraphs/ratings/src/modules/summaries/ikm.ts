import { ratio, roundScaled, scaledToNumber } from '../../lib/exact';

/**
 * The citizen satisfaction index (SKM/IKM) of PermenPANRB 14/2017, exactly:
 * NRR of an element = sum of its answers / respondents; IKM = Σ NRR × 1/9 with the exact ninth;
 * converted index = IKM × 25, rounded half-up to 2 decimals. All in integers:
 * converted = 25 × Σ sums / (9 × respondents).
 */
export const SKM_ELEMENTS = ['REQUIREMENTS', 'PROCEDURE', 'COMPLETION_TIME', 'FEE', 'SERVICE_PRODUCT', 'STAFF_COMPETENCE', 'STAFF_BEHAVIOUR', 'COMPLAINT_HANDLING', 'FACILITIES'] as const;
type SkmElement = (typeof SKM_ELEMENTS)[number];

export type IkmCategory = 'A' | 'B' | 'C' | 'D';

/** Category thresholds on the converted index, in hundredths (A ≥ 88.31, B ≥ 76.61, C ≥ 65.00). */
const CATEGORY_FLOORS: readonly [IkmCategory, bigint][] = [
  ['A', 8831n],
  ['B', 7661n],
  ['C', 6500n],
];

export function ikmCategory(convertedHundredths: bigint): IkmCategory {
  for (const [category, floor] of CATEGORY_FLOORS) if (convertedHundredths >= floor) return category;
  return 'D';
}

export interface SkmTotals {
  respondents: number;
  /** Sum of the answers per element, in SKM_ELEMENTS order. */
  sums: readonly number[];
}

export interface IkmResult {
  respondents: number;
  /** Converted index (25–100), 2 decimals; null without respondents. */
  index: number | null;
  indexHundredths: bigint | null;
  category: IkmCategory | null;
  elements: { element: SkmElement; value: number | null }[];
}

export function computeIkm(totals: SkmTotals): IkmResult {
  if (totals.sums.length !== SKM_ELEMENTS.length) throw new RangeError(`expected ${SKM_ELEMENTS.length} element sums`);
  const r = BigInt(totals.respondents);
  if (r === 0n) {
    return { respondents: 0, index: null, indexHundredths: null, category: null, elements: SKM_ELEMENTS.map((element) => ({ element, value: null })) };
  }
  const sums = totals.sums.map((s) => BigInt(s));
  const total = sums.reduce((a, b) => a + b, 0n);
  const indexHundredths = roundScaled(ratio(25n * total, 9n * r), 2);
  return {
    respondents: totals.respondents,
    index: scaledToNumber(indexHundredths, 2),
    indexHundredths,
    category: ikmCategory(indexHundredths),
    elements: SKM_ELEMENTS.map((element, i) => ({ element, value: scaledToNumber(roundScaled(ratio(25n * sums[i]!, r), 2), 2) })),
  };
}

/**
 * Krejcie & Morgan (1970): s = X²·N·P(1−P) / (d²(N−1) + X²·P(1−P)), X² = 3.841 (1 df, 95%),
 * P = 0.5, d = 0.05. Exact: ×100000 turns it into 96025·N / (250·(N−1) + 96025).
 * Rounded to the nearest whole respondent (half-up): that reproduces every entry of the published
 * table (N=50 → 44, 500 → 217, ≥ 10⁶ → 384). Rounding up would give 45 and 218, and 385 for
 * N above ≈ 1.3 million, against docs/DOMAIN.md's "≥ 10⁶ → 384".
 */
export function krejcieMorganSampleSize(population: number): number {
  if (!Number.isInteger(population) || population < 0) throw new RangeError('population must be a non-negative integer');
  if (population === 0) return 0;
  const n = BigInt(population);
  const num = 96025n * n;
  const den = 250n * (n - 1n) + 96025n;
  return Number((2n * num + den) / (2n * den));
}

export interface SatisfactionFigures extends Omit<IkmResult, 'indexHundredths'> {
  year: number;
  month: number | null;
  population: number;
  requiredSample: number;
  provisional: boolean;
}

/** The satisfaction of a period from its totals: IKM plus whether the sample is large enough yet. */
export function satisfactionFigures(args: { year: number; month: number | null; respondents: number; sums: readonly number[]; population: number }): SatisfactionFigures {
  const { indexHundredths: _exact, ...ikm } = computeIkm({ respondents: args.respondents, sums: args.sums });
  const requiredSample = krejcieMorganSampleSize(args.population);
  return { ...ikm, year: args.year, month: args.month, population: args.population, requiredSample, provisional: args.respondents < requiredSample };
}
