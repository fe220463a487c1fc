import { pgArray } from '@gerbang/common';
import type { Sql } from '@gerbang/common';
import { periodRange } from '../../lib/months';
import { SKM_ELEMENTS } from './ikm';

export type SummaryKind = 'agency' | 'service' | 'officer';
const COLUMN: Record<SummaryKind, string> = { agency: 'agency_id', service: 'service_id', officer: 'officer_id' };

export interface StarTally {
  count: number;
  sum: number;
  /** Ratings per star, index 0 = 1 star … 4 = 5 stars. */
  perStar: number[];
}

export interface SatisfactionKey {
  agencyId: string;
  year: number;
  month: number | null;
}

export interface SatisfactionTotals {
  respondents: number;
  sums: number[];
  /** Tickets of the agency completed in the period (the ledger's count): Krejcie–Morgan's N. */
  population: number;
}

const COUNT = 't.n1 + t.n2 + t.n3 + t.n4 + t.n5';

/**
 * Aggregates, read from the rollups the database keeps in step with every write (rating_tally,
 * rating_service_tally, ticket_tally: see Migration20261128130000): one GROUP BY over a row per
 * officer and month, however many ratings there are. Only VALID ratings are in the tallies (flagged ones wait for review,
 * rejected ones never count).
 */
export class SummaryService {
  constructor(private readonly db: Sql) {}

  async starTallies(kind: SummaryKind, ids: readonly string[]): Promise<Map<string, StarTally>> {
    const col = COLUMN[kind];
    const rows = await this.db.all<{ id: string; n1: number; n2: number; n3: number; n4: number; n5: number }>(
      `select t.${col} as id, ${[1, 2, 3, 4, 5].map((k) => `sum(t.n${k})::int as n${k}`).join(', ')} from ${this.db.t(kind === 'service' ? 'rating_service_tally' : 'rating_tally')} t
       where t.${col} = any(?::text[])
       group by t.${col}`,
      [pgArray(ids)],
    );
    const tallies = new Map<string, StarTally>(ids.map((id) => [id, { count: 0, sum: 0, perStar: [0, 0, 0, 0, 0] }]));
    for (const row of rows) {
      const t = tallies.get(row.id)!;
      t.perStar = [row.n1, row.n2, row.n3, row.n4, row.n5];
      t.count = t.perStar.reduce((a, n) => a + n, 0);
      t.sum = t.perStar.reduce((a, n, i) => a + n * (i + 1), 0);
    }
    return tallies;
  }

  /**
   * Respondents and element sums of the SKM answers, and the completed-ticket population, for
   * many (agency, period) pairs in one round trip.
   */
  async satisfactionTotals(keys: readonly SatisfactionKey[]): Promise<SatisfactionTotals[]> {
    const ranges = keys.map((k) => periodRange(k.year, k.month));
    const rows = await this.db.all<Record<string, number>>(
      `select k.ord::int as ord, r.respondents, ${SKM_ELEMENTS.map((_, i) => `r.s${i + 1}`).join(', ')}, t.population
       from unnest(?::text[], ?::text[], ?::text[]) with ordinality as k(agency_id, p_from, p_to, ord)
       cross join lateral (
         select coalesce(sum(x.skm_n), 0)::int as respondents, ${SKM_ELEMENTS.map((_, i) => `coalesce(sum(x.skm_s${i + 1}), 0)::int as s${i + 1}`).join(', ')}
         from ${this.db.t('rating_tally')} x
         where x.agency_id = k.agency_id and x.period between k.p_from and k.p_to
       ) r
       cross join lateral (
         select coalesce(sum(y.completed), 0)::int as population from ${this.db.t('ticket_tally')} y
         where y.agency_id = k.agency_id and y.completed_period between k.p_from and k.p_to
       ) t
       order by k.ord`,
      [pgArray(keys.map((k) => k.agencyId)), pgArray(ranges.map((r) => r.from)), pgArray(ranges.map((r) => r.to))],
    );
    return rows.map((row) => ({
      respondents: row.respondents!,
      sums: SKM_ELEMENTS.map((_, i) => row[`s${i + 1}`]!),
      population: row.population!,
    }));
  }
}

/** Valid ratings and their star sum, from tally rows aliased `t` (for TPP and the anomaly rules). */
export const TALLY_COUNT = `sum(${COUNT})::int`;
export const TALLY_STARS = 'sum(t.n1 + 2 * t.n2 + 3 * t.n3 + 4 * t.n4 + 5 * t.n5)::int';
