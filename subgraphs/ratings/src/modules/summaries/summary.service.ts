import { pgArray } from '@gerbang/common';
import type { Sql } from '../../lib/sql';
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

const SUMS = SKM_ELEMENTS.map((_, i) => `coalesce(sum(r.skm[${i + 1}]), 0)::int as s${i + 1}`).join(', ');

/**
 * Aggregates, computed by PostgreSQL over indexed columns: one GROUP BY per batch of ids, never
 * the rows themselves. Only VALID ratings count (flagged ones wait for review, rejected ones never).
 */
export class SummaryService {
  constructor(private readonly db: Sql) {}

  async starTallies(kind: SummaryKind, ids: readonly string[]): Promise<Map<string, StarTally>> {
    const col = COLUMN[kind];
    const rows = await this.db.all<{ id: string; stars: number; n: number }>(
      `select r.${col} as id, r.stars, count(*)::int as n from ${this.db.t('rating')} r
       where r.${col} = any(?::text[]) and r.status = 'VALID'
       group by r.${col}, r.stars`,
      [pgArray(ids)],
    );
    const tallies = new Map<string, StarTally>(ids.map((id) => [id, { count: 0, sum: 0, perStar: [0, 0, 0, 0, 0] }]));
    for (const row of rows) {
      const t = tallies.get(row.id)!;
      t.count += row.n;
      t.sum += row.n * row.stars;
      t.perStar[row.stars - 1] = row.n;
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
         select count(*)::int as respondents, ${SUMS} from ${this.db.t('rating')} r
         where r.agency_id = k.agency_id and r.period between k.p_from and k.p_to and r.status = 'VALID' and r.skm is not null
       ) r
       cross join lateral (
         select count(*)::int as population from ${this.db.t('ticket')} t
         where t.agency_id = k.agency_id and t.status = 'COMPLETED' and t.completed_period between k.p_from and k.p_to
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
