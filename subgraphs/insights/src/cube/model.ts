/**
 * The cube's vocabulary: measures, dimensions, and the bases that decide each measure's cell size.
 * Plain data and functions, no GraphQL: the schema, the export and the tests all read this.
 */

export const DIMENSIONS = ['AGENCY', 'SERVICE', 'MONTH', 'WEEK', 'DAY', 'KECAMATAN', 'CHANNEL', 'POSITION_CLASS'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const TIME_DIMENSIONS: readonly Dimension[] = ['MONTH', 'WEEK', 'DAY'];
/** Dimensions that are not time: each may be grouped, or filtered to one value. */
export const PLAIN_DIMENSIONS = ['AGENCY', 'SERVICE', 'KECAMATAN', 'CHANNEL', 'POSITION_CLASS'] as const;
export type PlainDimension = (typeof PLAIN_DIMENSIONS)[number];

/**
 * The count a measure's cell size is judged by: a cell is suppressed when fewer than k records of
 * its basis make it (tickets opened, tickets completed, tickets open at the end, valid ratings,
 * SKM respondents, flagged ratings, appeals), or fewer than k distinct citizens (CITIZENS, RATERS).
 */
export const BASES = ['OPENED', 'COMPLETED', 'BACKLOG', 'RATINGS', 'RESPONDENTS', 'FLAGS', 'APPEALS', 'CITIZENS', 'RATERS'] as const;
export type Basis = (typeof BASES)[number];
/**
 * What a cell's size is judged by: records of a basis, or (officer-level figures) the officers in
 * it, whose minimum is INSIGHTS_MIN_OFFICERS rather than k.
 */
export type CellBasis = Basis | 'OFFICERS' | 'OFFICERS_BELOW';

/** `distinct`: counted per cell from the citizen-keyed facts at question time (distinct.ts), not summed from rollups. */
type Source = 'ticket' | 'rating' | 'appeal' | 'distinct';

export interface MeasureDef {
  name: string;
  basis: CellBasis;
  source: Source;
  unit: string;
  definition: string;
}

const SKM_ELEMENTS = ['requirements', 'procedure', 'completion time', 'fee', 'service product', 'staff competence', 'staff behaviour', 'complaint handling', 'facilities'];

const MEASURES = {
  TICKETS_OPENED: { basis: 'OPENED', source: 'ticket', unit: 'tickets', definition: 'Service tickets submitted in the period (any later status).' },
  TICKETS_COMPLETED: { basis: 'COMPLETED', source: 'ticket', unit: 'tickets', definition: 'Service tickets completed in the period (Asia/Jakarta completion date).' },
  COMPLETED_WITHIN_SLA_PERCENT: {
    basis: 'COMPLETED',
    source: 'ticket',
    unit: 'percent',
    definition:
      "Share of the period's completed tickets whose calendar days from submission to completion were within the service's SLA, in percent (2 decimals, half-up); tickets of services with no SLA on record are left out.",
  },
  TURNAROUND_MEDIAN_DAYS: {
    basis: 'COMPLETED',
    source: 'ticket',
    unit: 'days',
    definition: "Median calendar days from submission to completion of the period's completed tickets (lower median; 61 stands for more than 60).",
  },
  TURNAROUND_P90_DAYS: {
    basis: 'COMPLETED',
    source: 'ticket',
    unit: 'days',
    definition: "90th percentile (nearest rank) of calendar days from submission to completion of the period's completed tickets (61: more than 60).",
  },
  BACKLOG: {
    basis: 'BACKLOG',
    source: 'ticket',
    unit: 'tickets',
    definition: 'Tickets open at the end of the period (or of each time bucket): submitted by then, neither completed, rejected nor cancelled by then.',
  },
  RATINGS: { basis: 'RATINGS', source: 'rating', unit: 'ratings', definition: 'Valid ratings of tickets completed in the period (flagged and rejected ratings excluded, as in the IKM and TPP).' },
  AVERAGE_STARS: { basis: 'RATINGS', source: 'rating', unit: 'stars', definition: 'Mean stars (1–5) of the valid ratings, 2 decimals half-up.' },
  IKM: {
    basis: 'RESPONDENTS',
    source: 'rating',
    unit: 'index 25–100',
    definition: "Satisfaction index (PermenPANRB 14/2017): 25 × Σ of the nine elements' mean answers / 9, exact 1/9 weights, 2 decimals half-up.",
  },
  ...Object.fromEntries(
    SKM_ELEMENTS.map((e, i) => [
      `IKM_U${i + 1}`,
      { basis: 'RESPONDENTS', source: 'rating', unit: 'index 25–100', definition: `SKM element U${i + 1} (${e}): 25 × mean answer (1–4), 2 decimals half-up.` },
    ]),
  ),
  RATING_FLAGS: { basis: 'FLAGS', source: 'rating', unit: 'ratings', definition: 'Ratings held or rejected after an anomaly flag or the register check (not in any figure).' },
  APPEALS: { basis: 'APPEALS', source: 'appeal', unit: 'appeals', definition: "Officers' appeals of their TPP month, by the month appealed; splits only by agency, month and position class." },
  OFFICERS: {
    basis: 'OFFICERS',
    source: 'ticket',
    unit: 'officers',
    definition: 'Officers who completed at least one ticket in the period (a count of people, never who they are; a cell of fewer than INSIGHTS_MIN_OFFICERS officers is suppressed).',
  },
  OFFICERS_BELOW_4_STARS: {
    basis: 'OFFICERS_BELOW',
    source: 'rating',
    unit: 'officers',
    definition:
      "Officers whose mean stars over the period's valid ratings is below 4 (the TPP report's threshold). Shown only when both they and the other rated officers of the cell are none or at least INSIGHTS_MIN_OFFICERS.",
  },
  CITIZENS_SERVED: {
    basis: 'CITIZENS',
    source: 'distinct',
    unit: 'citizens',
    definition:
      'Distinct citizens (by the keyed hash of their NIK, never shown) with at least one ticket submitted in the cell. Exact per cell, not a sum: a citizen counts once in a cell and in each cell they appear in. Per month, week or day, or for one month or one calendar year; no filter, no position class.',
  },
  CITIZENS_RATING: {
    basis: 'RATERS',
    source: 'distinct',
    unit: 'citizens',
    definition:
      'Distinct citizens with at least one valid rating of a ticket completed in the cell (flagged and rejected ratings excluded). Exact per cell, not a sum; the same periods and splits as CITIZENS_SERVED.',
  },
} as unknown as Record<MeasureName, Omit<MeasureDef, 'name'>>;

export const MEASURE_NAMES = [
  'TICKETS_OPENED',
  'TICKETS_COMPLETED',
  'COMPLETED_WITHIN_SLA_PERCENT',
  'TURNAROUND_MEDIAN_DAYS',
  'TURNAROUND_P90_DAYS',
  'BACKLOG',
  'RATINGS',
  'AVERAGE_STARS',
  'IKM',
  'IKM_U1',
  'IKM_U2',
  'IKM_U3',
  'IKM_U4',
  'IKM_U5',
  'IKM_U6',
  'IKM_U7',
  'IKM_U8',
  'IKM_U9',
  'RATING_FLAGS',
  'APPEALS',
  'OFFICERS',
  'OFFICERS_BELOW_4_STARS',
  'CITIZENS_SERVED',
  'CITIZENS_RATING',
] as const;
export type MeasureName = (typeof MEASURE_NAMES)[number];

export const measureDef = (m: MeasureName): MeasureDef => ({ name: m, ...MEASURES[m] });

/** Appeals are kept per agency, month and officer: they split by nothing else. */
export const APPEAL_DIMENSIONS: readonly Dimension[] = ['AGENCY', 'MONTH', 'POSITION_CLASS'];

/** Distinct-citizen measures: not additive, so they split only by these and take no filter (README, "Privacy"). */
export const DISTINCT_MEASURES: readonly MeasureName[] = ['CITIZENS_SERVED', 'CITIZENS_RATING'];
export const DISTINCT_DIMENSIONS: readonly Dimension[] = ['AGENCY', 'SERVICE', 'KECAMATAN', 'CHANNEL', 'MONTH', 'WEEK', 'DAY'];

export const CHANNEL_VALUES = ['PORTAL', 'APP', 'COUNTER', 'UNKNOWN'] as const;
export const POSITION_CLASS_VALUES = ['PELAKSANA', 'FUNGSIONAL_TERAMPIL', 'FUNGSIONAL_AHLI', 'UNKNOWN'] as const;

export interface Filter {
  agencyId?: string;
  serviceId?: string;
  kecamatan?: number;
  channel?: string;
  positionClass?: string;
}

type SortKey = { by: MeasureName | Dimension; descending: boolean };

export interface Question {
  measures: MeasureName[];
  dimensions: Dimension[];
  /** Whole months, inclusive, `YYYY-MM`. */
  from: string;
  to: string;
  filter: Filter;
  sort: SortKey[];
  limit: number;
  compare: 'PREVIOUS_PERIOD' | 'PREVIOUS_YEAR' | null;
}

export const FILTER_DIMENSION: Record<keyof Filter, PlainDimension> = {
  agencyId: 'AGENCY',
  serviceId: 'SERVICE',
  kecamatan: 'KECAMATAN',
  channel: 'CHANNEL',
  positionClass: 'POSITION_CLASS',
};

/** Half-up rounding of p / q to 2 decimals, exact for the integer sizes the cube sees. */
export const ratio2 = (p: number, q: number) => Math.floor((p * 200 + q) / (2 * q)) / 100;
