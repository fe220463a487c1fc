import { describe, expect, it } from 'vitest';
import { createLogger, MemoryAccessLog, ReadRecorder, type Caller } from '@gerbang/common';
import { DEMO } from '@gerbang/testing';
import type { CivilServant, StaffRegister } from '../src/adapters/simpeg/registry';
import { createLoaders } from '../src/modules/context';
import { StaffService } from '../src/modules/staff.service';

const AGUS: CivilServant = {
  nip: DEMO.petugasDukcapil.nip!,
  name: 'Agus Prasetyo',
  agencyId: 'dispendukcapil',
  position: null,
  grade: 'III/b',
  employmentStatus: 'PNS',
  unit: null,
  jobClass: 7,
  tppBase: 1_875_000,
};

/** The register in memory, counting its calls. */
class MemoryRegister implements StaffRegister {
  calls = 0;
  async byNip(nips: readonly string[]) {
    this.calls++;
    return new Map(nips.includes(AGUS.nip) ? [[AGUS.nip, AGUS]] : []);
  }
  async listByAgency(agencyId: string) {
    this.calls++;
    return agencyId === 'dispendukcapil' ? [AGUS] : [];
  }
}

function serviceFor(caller: Caller) {
  const register = new MemoryRegister();
  const log = new MemoryAccessLog();
  const service = new StaffService({
    caller,
    logger: createLogger('staff', 'silent'),
    register,
    loaders: createLoaders(register),
    reads: new ReadRecorder(log, { source: 'staff', requestId: 'req-1', caller }),
  });
  return { service, register, log };
}

/** The staff rules on their own: no GraphQL, no SIMPEG over the wire. */
describe('StaffService', () => {
  it('gives HR fields to staff only, refusing before asking the register', async () => {
    expect(await serviceFor(DEMO.hr).service.record(AGUS.nip)).toMatchObject({ grade: 'III/b' });
    const citizen = serviceFor(DEMO.siti);
    await expect(citizen.service.record(AGUS.nip)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(citizen.register.calls).toBe(0);
  });

  it('reads a TPP base to its officer unrecorded, to HR recorded, and to nobody else', async () => {
    const own = serviceFor(DEMO.petugasDukcapil);
    expect(await own.service.tppBase(AGUS.nip)).toBe(1_875_000);
    expect(own.log.entries).toEqual([]);
    const hr = serviceFor(DEMO.hr);
    expect(await hr.service.tppBase(AGUS.nip)).toBe(1_875_000);
    expect(hr.log.entries).toEqual([expect.objectContaining({ fields: ['Officer.tppBase'], purpose: 'hr', recordRefs: [`nip:${AGUS.nip}`] })]);
    const analyst = serviceFor(DEMO.analyst);
    await expect(analyst.service.tppBase(AGUS.nip)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(analyst.register.calls).toBe(0);
  });

  it('lists a roster for HR and admins, recorded, with a checked agency id', async () => {
    const admin = serviceFor(DEMO.admin);
    expect(await admin.service.staffOfAgency(' dispendukcapil ')).toEqual([AGUS]);
    expect(admin.log.entries).toEqual([expect.objectContaining({ fields: ['Query.staffOfAgency'], purpose: 'admin', records: 1 })]);
    await expect(admin.service.staffOfAgency('Not An Id')).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'agencyId' } });
    await expect(serviceFor(DEMO.petugasDukcapil).service.staffOfAgency('dispendukcapil')).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  });
});
