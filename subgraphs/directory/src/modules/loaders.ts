import DataLoader from 'dataloader';
import type { AgencyRow, OfficerRow, ServiceRow } from '../entities';
import type { DirectoryService } from './directory.service';

const byId = <T extends { id: string }>(rows: T[], ids: readonly string[]) => {
  const map = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => map.get(id) ?? null);
};
const groupBy = <T>(rows: T[], keys: readonly string[], key: (r: T) => string) => {
  const map = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const r of rows) map.get(key(r))?.push(r);
  return keys.map((k) => map.get(k) ?? []);
};

/** One set per request: every list-to-entity hop of the directory goes through these. */
export function createLoaders(service: DirectoryService) {
  return {
    agency: new DataLoader<string, AgencyRow | null>(async (ids) => byId(await service.agenciesByIds(ids), ids)),
    service: new DataLoader<string, ServiceRow | null>(async (ids) => byId(await service.servicesByIds(ids), ids)),
    officer: new DataLoader<string, OfficerRow | null>(async (ids) => byId(await service.officersByIds(ids), ids)),
    servicesOfAgency: new DataLoader<string, ServiceRow[]>(async (ids) => groupBy(await service.servicesByAgencies(ids), ids, (r) => r.agencyId)),
    officersOfAgency: new DataLoader<string, OfficerRow[]>(async (ids) => groupBy(await service.officersByAgencies(ids), ids, (r) => r.agencyId)),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
