import { describe, expect, it } from 'vitest';
import { createLogger, MemoryAccessLog, nikRef, ReadRecorder, type Caller } from '@gerbang/common';
import { DEMO } from '@gerbang/testing';
import { PopulationService } from '../src/modules/population.service';
import { createLoaders } from '../src/modules/context';
import { MemoryPopulationRegistry } from './memory-registry';
import type { Resident } from '../src/adapters/siak/registry';

const SITI: Resident = {
  nik: '3503115708900001',
  familyCardNumber: '3503110101090001',
  fullName: 'Siti Rahayu',
  sex: 'F',
  birthPlace: 'Trenggalek',
  birthDate: '1990-08-17',
  address: 'Jl. Soekarno-Hatta 12',
  village: 'Ngantru',
  kecamatan: 'Trenggalek',
};

const KEY = 'access-log-key-for-tests-0001';

function serviceFor(caller: Caller) {
  const log = new MemoryAccessLog();
  const registry = new MemoryPopulationRegistry([SITI]);
  const service = new PopulationService({
    caller,
    logger: createLogger('population', 'silent'),
    registry,
    loaders: createLoaders(registry),
    reads: new ReadRecorder(log, { source: 'population', requestId: 'req-masking-1', caller }),
    nikHashKey: KEY,
  });
  return { service, log };
}

const nikAs = (service: PopulationService) => service.nik({ id: 'usr-warga-siti', lookupNik: SITI.nik });

describe('NIK masking in the population subgraph', () => {
  it('shows the owner their full NIK without an access-log entry', async () => {
    const { service, log } = serviceFor(DEMO.siti);
    expect(await nikAs(service)).toBe('3503115708900001');
    expect(log.entries).toEqual([]);
  });

  it('shows a Dispendukcapil officer the full NIK once its read is recorded, with the NIK hashed', async () => {
    const { service, log } = serviceFor(DEMO.petugasDukcapil);
    expect(await nikAs(service)).toBe('3503115708900001');
    expect(log.entries).toEqual([
      expect.objectContaining({
        source: 'population',
        requestId: 'req-masking-1',
        subject: 'usr-petugas-dukcapil',
        fields: ['Citizen.nik'],
        records: 1,
        purpose: 'officer of dispendukcapil',
        recordRefs: [nikRef(KEY, SITI.nik)],
      }),
    ]);
    expect(JSON.stringify(log.entries)).not.toContain(SITI.nik);
  });

  it('refuses the full NIK to an officer while the access log cannot be written', async () => {
    const { service, log } = serviceFor(DEMO.petugasDukcapil);
    log.failWith = 'write failed';
    await expect(nikAs(service)).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'access log' } });
  });

  it('masks the NIK for an officer of another agency, another citizen and an analyst', async () => {
    for (const caller of [DEMO.hr, { ...DEMO.petugasDukcapil, agencyId: 'bpkpd' }, DEMO.budi, DEMO.analyst]) {
      const { service, log } = serviceFor(caller);
      expect(await nikAs(service)).toBe('3503**********01');
      expect(log.entries).toEqual([]);
    }
  });
});
