/**
 * Exact arithmetic helpers: ratios as BigInt numerator/denominator, rounded once, at the end.
 * Money and indices never pass through a binary floating-point intermediate.
 */
export interface Ratio {
  num: bigint;
  den: bigint;
}

export const ratio = (num: bigint | number, den: bigint | number): Ratio => {
  const n = BigInt(num);
  const d = BigInt(den);
  if (d === 0n) throw new RangeError('ratio with a zero denominator');
  return d < 0n ? { num: -n, den: -d } : { num: n, den: d };
};

export const compare = (a: Ratio, b: Ratio): number => {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
};

export const minRatio = (a: Ratio, b: Ratio): Ratio => (compare(a, b) <= 0 ? a : b);

export const mul = (a: Ratio, b: Ratio): Ratio => ratio(a.num * b.num, a.den * b.den);

export const add = (a: Ratio, b: Ratio): Ratio => ratio(a.num * b.den + b.num * a.den, a.den * b.den);

/** floor(num/den) for non-negative ratios. */
export const floorRatio = (r: Ratio): bigint => {
  if (r.num < 0n) throw new RangeError('floorRatio expects a non-negative ratio');
  return r.num / r.den;
};

/**
 * The ratio scaled by 10^decimals and rounded half-up (away from zero at exactly .5), as an
 * integer: roundScaled(88.333…, 2) = 8833n.
 */
export const roundScaled = (r: Ratio, decimals: number): bigint => {
  if (r.num < 0n) throw new RangeError('roundScaled expects a non-negative ratio');
  const scale = 10n ** BigInt(decimals);
  return (2n * r.num * scale + r.den) / (2n * r.den);
};

/** A scaled integer back to a JavaScript number for display (8833n, 2 → 88.33). */
export const scaledToNumber = (scaled: bigint, decimals: number): number => {
  const scale = 10n ** BigInt(decimals);
  const whole = scaled / scale;
  const frac = (scaled % scale).toString().padStart(decimals, '0');
  return Number(decimals ? `${whole}.${frac}` : `${whole}`);
};

/** Rounded half-up to `decimals` and returned as a number, for display only. */
export const toDecimal = (r: Ratio, decimals: number): number => scaledToNumber(roundScaled(r, decimals), decimals);
