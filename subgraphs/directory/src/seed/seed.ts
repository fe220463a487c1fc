import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '@gerbang/common';
import { AGENCIES, OFFICERS, SERVICES } from './data';

/**
 * Upserts the reference data: agencies, services and officers. Safe to run on every start:
 * existing rows are updated in place, nothing is deleted.
 */
export async function seedDirectory(em: EntityManager): Promise<{ agencies: number; services: number; officers: number }> {
  const s = `"${em.config.get('schema')}"`;
  await em.transactional(async (tx) => {
    const c = tx.getConnection();
    for (const a of AGENCIES) {
      await c.execute(
        `insert into ${s}.agency (id, name, abbreviation, address, phone, website, keywords) values (?, ?, ?, ?, ?, ?, ?)
         on conflict (id) do update set name = excluded.name, abbreviation = excluded.abbreviation, address = excluded.address,
           phone = excluded.phone, website = excluded.website, keywords = excluded.keywords`,
        [a.id, a.name, a.abbreviation, a.address, a.phone, a.website, a.keywords],
        'run',
        tx.getTransactionContext(),
      );
    }
    for (const v of SERVICES) {
      await c.execute(
        `insert into ${s}.service (id, agency_id, name, description, requirements, sla_days, fee) values (?, ?, ?, ?, ?::text[], ?, ?)
         on conflict (id) do update set agency_id = excluded.agency_id, name = excluded.name, description = excluded.description,
           requirements = excluded.requirements, sla_days = excluded.sla_days, fee = excluded.fee`,
        [v.id, v.agencyId, v.name, v.description, pgArray(v.requirements), v.slaDays, v.fee],
        'run',
        tx.getTransactionContext(),
      );
    }
    for (const o of OFFICERS) {
      await c.execute(
        `insert into ${s}.officer (id, agency_id, name, position) values (?, ?, ?, ?)
         on conflict (id) do update set agency_id = excluded.agency_id, name = excluded.name, position = excluded.position`,
        [o.id, o.agencyId, o.name, o.position],
        'run',
        tx.getTransactionContext(),
      );
    }
  });
  return { agencies: AGENCIES.length, services: SERVICES.length, officers: OFFICERS.length };
}
