import type { EntityManager } from '@mikro-orm/postgresql';
import { AgencyEntity, OfficerEntity, ServiceEntity, type AgencyRow, type OfficerRow, type ServiceRow } from '../entities';

export interface AgencyHit extends AgencyRow {
  score: number;
}

/**
 * The directory's reads. Look-ups by id are plain single-table reads, made through MikroORM's
 * entities (src/entities.ts) on the request's forked EntityManager; the ranked search stays SQL
 * (trigram and full-text functions). Every method takes many ids at once so that loaders turn a
 * page of N entities into one query; `queries` counts round trips for the N+1 tests.
 */
export class DirectoryService {
  queries = 0;
  private readonly s: string;
  constructor(private readonly em: EntityManager) {
    this.s = `"${em.config.get('schema')}"`;
  }

  private async rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    this.queries++;
    return this.em.getConnection().execute<T[]>(sql, params, 'all');
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
    this.queries++;
    return this.em.find(AgencyEntity, { id: { $in: [...ids] } }, READ_ONLY);
  }

  servicesByIds(ids: readonly string[]): Promise<ServiceRow[]> {
    this.queries++;
    return this.em.find(ServiceEntity, { id: { $in: [...ids] } }, READ_ONLY);
  }

  servicesByAgencies(agencyIds: readonly string[]): Promise<ServiceRow[]> {
    this.queries++;
    return this.em.find(ServiceEntity, { agencyId: { $in: [...agencyIds] } }, { ...READ_ONLY, orderBy: { name: 'asc' } });
  }

  officersByIds(ids: readonly string[]): Promise<OfficerRow[]> {
    this.queries++;
    return this.em.find(OfficerEntity, { id: { $in: [...ids] } }, READ_ONLY);
  }

  officersByAgencies(agencyIds: readonly string[]): Promise<OfficerRow[]> {
    this.queries++;
    return this.em.find(OfficerEntity, { agencyId: { $in: [...agencyIds] } }, { ...READ_ONLY, orderBy: { name: 'asc' } });
  }
}

/**
 * Entity reads are read-only: the rows are not kept in the request's identity map, since nothing
 * here is written back, and a loader's next batch should see the table, not the map.
 */
const READ_ONLY = { disableIdentityMap: true } as const;

const AGENCY_COLUMNS = 'select a.id, a.name, a.abbreviation, a.address, a.phone, a.website, a.keywords';
