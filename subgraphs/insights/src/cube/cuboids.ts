/**
 * The rollups (cuboids) the cube answers from: the same counts at several grains, smallest first.
 * The engine reads the first one of the question's grain that holds every dimension it needs;
 * the refresher keeps them all up to date from the same deltas (refresh.ts).
 */
export type CuboidDim = 'AGENCY' | 'SERVICE' | 'KECAMATAN' | 'CHANNEL' | 'OFFICER';

export const CUBOID_COLUMN: Record<CuboidDim, string> = {
  AGENCY: 'agency_id',
  SERVICE: 'service_id',
  KECAMATAN: 'kecamatan',
  CHANNEL: 'channel',
  OFFICER: 'officer_id',
};

export interface Cuboid {
  /** Table name suffix: `ticket_<suffix>`, `rating_<suffix>`. */
  suffix: string;
  grain: 'day' | 'month';
  dims: readonly CuboidDim[];
}

const ALL: readonly CuboidDim[] = ['AGENCY', 'SERVICE', 'KECAMATAN', 'CHANNEL', 'OFFICER'];

/** Smallest first within a grain. `day` and `month` hold every dimension (the base of the others). */
export const CUBOIDS: readonly Cuboid[] = [
  { suffix: 'day_a', grain: 'day', dims: ['AGENCY', 'SERVICE'] },
  { suffix: 'day', grain: 'day', dims: ALL },
  { suffix: 'month_a', grain: 'month', dims: ['AGENCY', 'SERVICE'] },
  { suffix: 'month_o', grain: 'month', dims: ['AGENCY', 'SERVICE', 'CHANNEL', 'OFFICER'] },
  { suffix: 'month_s', grain: 'month', dims: ['AGENCY', 'SERVICE', 'KECAMATAN', 'CHANNEL'] },
  { suffix: 'month', grain: 'month', dims: ALL },
];

/** The smallest cuboid of a grain holding every dimension asked for. */
export function cuboidFor(grain: 'day' | 'month', dims: readonly CuboidDim[]): Cuboid {
  return CUBOIDS.find((c) => c.grain === grain && dims.every((d) => c.dims.includes(d)))!;
}

/** The cuboid each one is rolled up from in a refresh (`null`: from the ledger's facts). */
export const CUBOID_SOURCE: Record<string, string | null> = { day: null, day_a: 'day', month: 'day', month_o: 'month', month_s: 'month', month_a: 'month_s' };
