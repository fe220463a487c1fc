import type { EntityManager } from '@mikro-orm/postgresql';
import { AgencyEntity, OfficerEntity, ServiceEntity } from '../entities';
import { AGENCIES, OFFICERS, SERVICES } from './data';

/**
 * Upserts the reference data: agencies, services and officers. Safe to run on every start:
 * existing rows are updated in place, nothing is deleted.
 */
export async function seedDirectory(em: EntityManager): Promise<{ agencies: number; services: number; officers: number }> {
  await em.transactional(async (tx) => {
    // One INSERT … ON CONFLICT (id) DO UPDATE per table, through the entities (src/entities.ts).
    await tx.upsertMany(AgencyEntity, AGENCIES);
    await tx.upsertMany(ServiceEntity, SERVICES);
    await tx.upsertMany(OfficerEntity, OFFICERS);
    tx.clear();
  });
  return { agencies: AGENCIES.length, services: SERVICES.length, officers: OFFICERS.length };
}
