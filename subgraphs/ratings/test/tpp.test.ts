import { describe, expect, it } from 'vitest';
import { computeTppRow, DEFAULT_TPP_POLICY, factorOfMean, tppFactor, tppPayout, type TppPolicy } from '../src/modules/tpp/tpp';
import { ratio } from '../src/lib/exact';

const totals = (stars: number[]) => ({ count: stars.length, sum: stars.reduce((a, b) => a + b, 0) });
const whole: TppPolicy = DEFAULT_TPP_POLICY;
const productivity: TppPolicy = { ...DEFAULT_TPP_POLICY, scale: 'productivity' };
/** What a naive implementation does. */
const naive = (base: number, stars: number[]) => Math.floor(base * Math.min(1, stars.reduce((a, b) => a + b, 0) / stars.length / 4));

describe('TPP factor and payout (docs/DOMAIN.md)', () => {
  it('pays the docs/DOMAIN.md example exactly: base 3,000,000, ratings 5,4,3,2,4,3,5,2,3,4,3,2 → 2,500,000', () => {
    const stars = [5, 4, 3, 2, 4, 3, 5, 2, 3, 4, 3, 2];
    const row = computeTppRow({ id: 'o', tppBase: 3_000_000 }, totals(stars), { count: 0, sum: 0 }, whole);
    expect(row).toMatchObject({ ratings: 12, average: 3.33, factor: 0.8333, factorExact: '5/6', payout: 2_500_000, basis: 'OWN_RATINGS' });
  });

  it('caps the factor at 1 (a mean of 4 or more pays in full)', () => {
    expect(factorOfMean(totals([4, 4, 4, 4, 4]))).toEqual(ratio(1, 1));
    expect(factorOfMean(totals([5, 5, 5, 5, 5]))).toEqual(ratio(1, 1));
    expect(tppPayout(2_900_000, factorOfMean(totals([5, 5, 4, 5, 5])), whole)).toBe(2_900_000);
  });

  it('pays half for a mean of 2', () => {
    expect(tppPayout(2_200_000, factorOfMean(totals([2, 2, 2, 2, 2])), whole)).toBe(1_100_000);
  });

  // Ordinary inputs (job-class bases of the BKPSDM register, ordinary monthly rating counts) where
  // Math.floor(base * (mean / 4)) lands one rupiah short of the exact floor.
  it.each([
    [1_650_000, [2, 2, 2, 2, 3, 3, 3, 2, 2, 2], 948_750, 948_749], // mean 2.3
    [1_650_000, [2, 2, 2, 2, 2, 3], 893_750, 893_749], // mean 2.1666…
    [1_875_000, [2, 2, 2, 2, 2, 3], 1_015_625, 1_015_624],
    [1_650_000, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2], 450_000, 449_999], // mean 12/11
    [2_200_000, [...Array(22).fill(2), 1, 1, 1], 1_034_000, 1_033_999], // mean 1.88
  ])('base %i with %j pays %i exactly (naive float: %i)', (base, stars, exact, float) => {
    expect(naive(base, stars)).toBe(float);
    const { factor } = tppFactor(totals(stars), { count: 0, sum: 0 }, whole);
    expect(tppPayout(base, factor, whole)).toBe(exact);
  });

  it("uses the unit's mean when the officer has fewer than n_min ratings and the unit has n_min (UNIT_AVERAGE)", () => {
    const row = computeTppRow({ id: 'o', tppBase: 2_000_000 }, totals([1, 1]), totals([3, 3, 3, 3, 3, 3, 1, 1]), whole);
    // unit mean 20/8 = 2.5 → f = 0.625
    expect(row).toMatchObject({ ratings: 2, average: 1, factor: 0.625, factorExact: '5/8', payout: 1_250_000, basis: 'UNIT_AVERAGE' });
  });

  it('pays in full when neither the officer nor the unit has n_min ratings (NOT_ENOUGH_RATINGS)', () => {
    const row = computeTppRow({ id: 'o', tppBase: 2_525_000 }, totals([1]), totals([1, 1, 2, 1]), whole);
    expect(row).toMatchObject({ ratings: 1, average: 1, factor: 1, factorExact: '1/1', payout: 2_525_000, basis: 'NOT_ENOUGH_RATINGS' });
    const none = computeTppRow({ id: 'p', tppBase: 2_525_000 }, { count: 0, sum: 0 }, { count: 0, sum: 0 }, whole);
    expect(none).toMatchObject({ ratings: 0, average: null, payout: 2_525_000, basis: 'NOT_ENOUGH_RATINGS' });
  });

  it('follows a configured n_min', () => {
    expect(tppFactor(totals([2, 2, 2]), { count: 0, sum: 0 }, { minRatings: 3 }).basis).toBe('OWN_RATINGS');
    expect(tppFactor(totals([2, 2, 2]), { count: 0, sum: 0 }, { minRatings: 4 }).basis).toBe('NOT_ENOUGH_RATINGS');
  });

  it('scales only the productivity share (60%) when so configured', () => {
    // 3,000,000 × (0.4 + 0.6 × 5/6) = 3,000,000 × 0.9 = 2,700,000
    const stars = [5, 4, 3, 2, 4, 3, 5, 2, 3, 4, 3, 2];
    expect(computeTppRow({ id: 'o', tppBase: 3_000_000 }, totals(stars), { count: 0, sum: 0 }, productivity).payout).toBe(2_700_000);
    // 1,650,000 × (0.4 + 0.6 × 26/36) = 1,375,000 exactly; floating point lands on 1,374,999.
    const stars9 = [3, 3, 3, 3, 3, 3, 3, 3, 2];
    expect(Math.floor(1_650_000 * (0.4 + 0.6 * (26 / 9 / 4)))).toBe(1_374_999);
    const f = tppFactor(totals(stars9), { count: 0, sum: 0 }, productivity).factor;
    expect(tppPayout(1_650_000, f, productivity)).toBe(1_375_000);
  });

  it('floors once, at the end', () => {
    // 1,000,001 × 5/6 = 833,334.1666… → 833,334
    expect(tppPayout(1_000_001, ratio(5, 6), whole)).toBe(833_334);
  });

  it('has no payout when the register gives no base', () => {
    expect(computeTppRow({ id: 'o', tppBase: null }, totals([3, 3, 3, 3, 3]), { count: 0, sum: 0 }, whole)).toMatchObject({ base: null, payout: null, factor: 0.75 });
  });

  it('refuses a base that is not whole rupiah', () => {
    expect(() => tppPayout(1_000_000.5, ratio(1, 1), whole)).toThrow(RangeError);
  });
});
