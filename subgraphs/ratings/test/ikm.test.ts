import { describe, expect, it } from 'vitest';
import { computeIkm, ikmCategory, krejcieMorganSampleSize, satisfactionFigures, SKM_ELEMENTS } from '../src/modules/summaries/ikm';
import { ratio, roundScaled, toDecimal } from '../src/lib/exact';

const BOUNDARY = { respondents: 10, sums: [36, 35, 34, 38, 35, 36, 37, 34, 33] };

describe('IKM (PermenPANRB 14/2017)', () => {
  it('gives the docs/DOMAIN.md boundary case 88.33, category A, with exact 1/9 weights', () => {
    const ikm = computeIkm(BOUNDARY);
    expect(ikm.index).toBe(88.33);
    expect(ikm.category).toBe('A');
  });

  it('would give 88.25, category B, with the common 0.111 weight (why the weight is exact)', () => {
    // Σ NRR = 31.8; 31.8 × 0.111 × 25 = 88.245 → 88.25 (in exact decimals).
    const total = BOUNDARY.sums.reduce((a, b) => a + b, 0);
    const with0111 = roundScaled(ratio(BigInt(total) * 111n * 25n, BigInt(BOUNDARY.respondents) * 1000n), 2);
    expect(with0111).toBe(8825n);
    expect(ikmCategory(with0111)).toBe('B');
  });

  it("reports every element's converted value (NRR × 25), in the nine elements' order", () => {
    const ikm = computeIkm(BOUNDARY);
    expect(ikm.elements.map((e) => e.element)).toEqual([...SKM_ELEMENTS]);
    expect(ikm.elements.map((e) => e.value)).toEqual([90, 87.5, 85, 95, 87.5, 90, 92.5, 85, 82.5]);
  });

  it('rounds half-up exactly, never through floating point', () => {
    // 25·Σ/(9·r) = 88.125 exactly (r = 40, Σ = 1269): half-up → 88.13.
    expect(computeIkm({ respondents: 40, sums: Array(9).fill(141) }).index).toBe(88.13);
    // 88.305 exactly (r = 5000, Σ = 158,949) rounds up to 88.31: category A, not B.
    expect(computeIkm({ respondents: 5000, sums: Array(9).fill(17_661) })).toMatchObject({ index: 88.31, category: 'A' });
    expect(roundScaled(ratio(1, 8), 2)).toBe(13n);
    expect(roundScaled(ratio(1, 200), 2)).toBe(1n);
    expect(roundScaled(ratio(1, 201), 2)).toBe(0n);
    expect(toDecimal(ratio(1005, 1000), 2)).toBe(1.01); // Math.round(1.005 * 100) / 100 is 1 in floating point
  });

  it('stays exact over a million respondents', () => {
    const r = 1_000_000;
    const sums = Array.from({ length: 9 }, (_, i) => 3 * r + i * 12_345);
    // 25·(27,000,000 + 444,420)/9,000,000 = 76.2345 → 76.23, category C
    const ikm = computeIkm({ respondents: r, sums });
    expect(ikm.index).toBe(76.23);
    expect(ikm.category).toBe('C');
  });

  it.each([
    [8831n, 'A'],
    [8830n, 'B'],
    [7661n, 'B'],
    [7660n, 'C'],
    [6500n, 'C'],
    [6499n, 'D'],
    [2500n, 'D'],
    [10000n, 'A'],
  ] as const)('category of %s hundredths is %s', (hundredths, category) => {
    expect(ikmCategory(hundredths)).toBe(category);
  });

  it('has no index, category or element values without respondents', () => {
    const ikm = computeIkm({ respondents: 0, sums: Array(9).fill(0) });
    expect(ikm).toMatchObject({ index: null, category: null });
    expect(ikm.elements.every((e) => e.value === null)).toBe(true);
  });

  it('spans 25 (all answers 1) to 100 (all answers 4)', () => {
    expect(computeIkm({ respondents: 7, sums: Array(9).fill(7) }).index).toBe(25);
    expect(computeIkm({ respondents: 7, sums: Array(9).fill(28) }).index).toBe(100);
  });
});

describe('Krejcie–Morgan sample size', () => {
  it.each([
    [100, 80],
    [1_000, 278],
    [10_000, 370],
    [1_000_000, 384],
    [10_000_000, 384],
    [1_000_000_000, 384],
    [0, 0],
    [1, 1],
  ])('N = %i → %i', (population, sample) => {
    expect(krejcieMorganSampleSize(population)).toBe(sample);
  });

  it('reproduces the whole published Krejcie–Morgan table', () => {
    // Krejcie & Morgan (1970), Table 1.
    const table: Record<number, number> = {
      10: 10,
      15: 14,
      20: 19,
      25: 24,
      30: 28,
      35: 32,
      40: 36,
      45: 40,
      50: 44,
      55: 48,
      60: 52,
      65: 56,
      70: 59,
      75: 63,
      80: 66,
      85: 70,
      90: 73,
      95: 76,
      100: 80,
      110: 86,
      120: 92,
      130: 97,
      140: 103,
      150: 108,
      160: 113,
      170: 118,
      180: 123,
      190: 127,
      200: 132,
      210: 136,
      220: 140,
      230: 144,
      240: 148,
      250: 152,
      260: 155,
      270: 159,
      280: 162,
      290: 165,
      300: 169,
      320: 175,
      340: 181,
      360: 186,
      380: 191,
      400: 196,
      420: 201,
      440: 205,
      460: 210,
      480: 214,
      500: 217,
      550: 226,
      600: 234,
      650: 242,
      700: 248,
      750: 254,
      800: 260,
      850: 265,
      900: 269,
      950: 274,
      1000: 278,
      1100: 285,
      1200: 291,
      1300: 297,
      1400: 302,
      1500: 306,
      1600: 310,
      1700: 313,
      1800: 317,
      1900: 320,
      2000: 322,
      2200: 327,
      2400: 331,
      2600: 335,
      2800: 338,
      3000: 341,
      3500: 346,
      4000: 351,
      4500: 354,
      5000: 357,
      6000: 361,
      7000: 364,
      8000: 367,
      9000: 368,
      10000: 370,
      15000: 375,
      20000: 377,
      30000: 379,
      40000: 380,
      50000: 381,
      75000: 382,
      1000000: 384,
    };
    for (const [n, s] of Object.entries(table)) expect([Number(n), krejcieMorganSampleSize(Number(n))]).toEqual([Number(n), s]);
  });

  it('marks an index provisional while respondents fall short of the sample', () => {
    expect(satisfactionFigures({ year: 2026, month: null, ...BOUNDARY, population: 100 })).toMatchObject({ requiredSample: 80, provisional: true, index: 88.33 });
    expect(satisfactionFigures({ year: 2026, month: 3, ...BOUNDARY, population: 10 })).toMatchObject({ requiredSample: 10, provisional: false, month: 3 });
  });
});
