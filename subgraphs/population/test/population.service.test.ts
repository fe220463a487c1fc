import { describe, expect, it } from 'vitest';
import { createLogger, MemoryAccessLog, ReadRecorder, type Caller, type TicketSync } from '@gerbang/common';
import { DEMO } from '@gerbang/testing';
import { createLoaders } from '../src/modules/context';
import { PopulationService } from '../src/modules/population.service';
import { MemoryPopulationRegistry } from './memory-registry';

/** The population rules on their own: no GraphQL, no SIAK over the wire. */
function serviceFor(caller: Caller, registry = new MemoryPopulationRegistry([])) {
  let syncs = 0;
  const sync = {
    syncNow: async () => {
      syncs++;
    },
  } as unknown as TicketSync;
  const service = new PopulationService({
    caller,
    logger: createLogger('population', 'silent'),
    registry,
    loaders: createLoaders(registry),
    reads: new ReadRecorder(new MemoryAccessLog(), { source: 'population', requestId: 'req-1', caller }),
    nikHashKey: 'access-log-key-for-tests-0001',
    sync,
  });
  return { service, registry, syncs: () => syncs };
}

describe('PopulationService', () => {
  it('files a request with the client reference scoped to the citizen, then asks for a ticket sync', async () => {
    const { service, registry, syncs } = serviceFor(DEMO.siti);
    const record = await service.requestDocument({ type: 'KK', note: '  pindah alamat  ', idempotencyKey: 'key-0001-abcd' });
    expect(record).toMatchObject({ nik: DEMO.siti.nik, type: 'KK', note: 'pindah alamat' });
    expect(registry.clientRefs).toEqual([`${DEMO.siti.sub}:key-0001-abcd`]);
    await Promise.resolve();
    expect(syncs()).toBe(1);
  });

  it('refuses a long note, a bad idempotency key and a caller who is not a citizen before calling SIAK', async () => {
    const { service, registry } = serviceFor(DEMO.siti);
    await expect(service.requestDocument({ type: 'KK', note: 'x'.repeat(501), idempotencyKey: 'key-0001-abcd' })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'note' } });
    await expect(service.requestDocument({ type: 'KK', idempotencyKey: 'short' })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'idempotencyKey' } });
    await expect(serviceFor(DEMO.analyst).service.requestDocument({ type: 'KK', idempotencyKey: 'key-0001-abcd' })).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    await expect(serviceFor({ roles: [] }).service.requestDocument({ type: 'KK', idempotencyKey: 'key-0001-abcd' })).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect(registry.clientRefs).toEqual([]);
  });

  it("shows a ticket's request to its owner and Dispendukcapil officers, refuses others, and ignores other agencies' tickets", async () => {
    const registry = new MemoryPopulationRegistry([]);
    const filed = await serviceFor(DEMO.siti, registry).service.requestDocument({ type: 'KTP_EL', idempotencyKey: 'key-0002-abcd' });
    const ticket = `dispendukcapil:${filed.id}`;
    expect(await serviceFor(DEMO.siti, registry).service.requestOfTicket(ticket)).toMatchObject({ id: filed.id });
    expect(await serviceFor(DEMO.petugasDukcapil, registry).service.requestOfTicket(ticket)).toMatchObject({ id: filed.id });
    await expect(serviceFor(DEMO.budi, registry).service.requestOfTicket(ticket)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(await serviceFor(DEMO.siti, registry).service.requestOfTicket('dpmptsp:PRM-2026-00001')).toBeNull();
    expect(await serviceFor(DEMO.siti, registry).service.requestOfTicket('dispendukcapil:REQ-404')).toBeNull();
  });

  it('resolves a Citizen reference only for the caller themself', () => {
    const { service } = serviceFor(DEMO.siti);
    expect(service.citizenReference(DEMO.siti.sub!)).toEqual({ id: DEMO.siti.sub, lookupNik: DEMO.siti.nik });
    expect(service.citizenReference(DEMO.budi.sub!)).toBeNull();
    expect(() => serviceFor({ roles: [] }).service.me()).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }));
  });
});
