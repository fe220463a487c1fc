import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '@gerbang/common';
import type { AgencyRow, OfficerRow, ServiceRow } from '../entities';

export interface AgencyHit extends AgencyRow {
  score: number;
}

/**
 * All SQL of the directory. Every method takes many ids at once so that loaders turn a page of
 * N entities into one query; `queries` counts round trips for the N+1 tests.
 */
export class DirectoryService {
  queries = 0;
  private readonly s: string;
  constructor(private readonly em: EntityManager) {
    this.s = `"${em.config.get('schema')}"`;
  }

  private async rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    this.queries++;
    return (await this.em.getConnection().execute(sql, params, 'all')) as T[];
  }

  /**
   * Ranked in PostgreSQL: trigram similarity (misspellings, parts of words, "capil" inside
   * "Dispendukcapil"), word similarity against the whole name, a substring bonus and full-text
   * rank. The trigram GIN index serves the `%`/`<%`/ILIKE filters, so no table scan in JavaScript.
   */
  async search(query: string, first: number): Promise<AgencyHit[]> {
    const q = query.trim().toLowerCase().replace(/\s+/g, ' ');
    if (!q) {
      return this.rows<AgencyHit>(`${AGENCY_COLUMNS}, 0 as score from ${this.s}.agency a order by a.name limit ?`, [first]);
    }
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.rows<AgencyHit>(
      `${AGENCY_COLUMNS},
         greatest(
           public.similarity(lower(a.abbreviation), ?),
           public.word_similarity(?, a.search_text),
           case when a.search_text like ? then 0.9 else 0 end,
           case when lower(a.abbreviation) like ? then 1.0 else 0 end
         ) + ts_rank(a.search_vector, plainto_tsquery('simple', ?)) as score
       from ${this.s}.agency a
       where a.search_text operator(public.%) ? or ? operator(public.<%) a.search_text or a.search_text like ?
          or a.search_vector @@ plainto_tsquery('simple', ?)
       order by score desc, a.name
       limit ?`,
      [q, q, like, `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, q, q, q, like, q, first],
    );
  }

  agenciesByIds(ids: readonly string[]): Promise<AgencyRow[]> {
    return this.rows<AgencyRow>(`${AGENCY_COLUMNS} from ${this.s}.agency a where a.id = any(?::text[])`, [pgArray(ids)]);
  }

  servicesByIds(ids: readonly string[]): Promise<ServiceRow[]> {
    return this.rows<ServiceRow>(`${SERVICE_COLUMNS} from ${this.s}.service v where v.id = any(?::text[])`, [pgArray(ids)]);
  }

  servicesByAgencies(agencyIds: readonly string[]): Promise<ServiceRow[]> {
    return this.rows<ServiceRow>(`${SERVICE_COLUMNS} from ${this.s}.service v where v.agency_id = any(?::text[]) order by v.name`, [pgArray(agencyIds)]);
  }

  officersByIds(ids: readonly string[]): Promise<OfficerRow[]> {
    return this.rows<OfficerRow>(`${OFFICER_COLUMNS} from ${this.s}.officer o where o.id = any(?::text[])`, [pgArray(ids)]);
  }

  officersByAgencies(agencyIds: readonly string[]): Promise<OfficerRow[]> {
    return this.rows<OfficerRow>(`${OFFICER_COLUMNS} from ${this.s}.officer o where o.agency_id = any(?::text[]) order by o.name`, [pgArray(agencyIds)]);
  }
}

const AGENCY_COLUMNS = 'select a.id, a.name, a.abbreviation, a.address, a.phone, a.website, a.keywords';
const SERVICE_COLUMNS = 'select v.id, v.agency_id as "agencyId", v.name, v.description, v.requirements, v.sla_days as "slaDays", v.fee';
const OFFICER_COLUMNS = 'select o.id, o.agency_id as "agencyId", o.name, o.position';
