import { describe, expect, it } from 'vitest';
import { createLogger, type Caller } from '@gerbang/common';
import { DEMO } from '@gerbang/testing';
import { CitizenResolver, toCitizen } from '../src/modules/resolvers';
import type { PopulationContext } from '../src/modules/context';
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

function ctxFor(caller: Caller) {
  const lines: unknown[] = [];
  const logger = createLogger('population', 'info');
  const ctx = { caller, logger: Object.assign(Object.create(logger), { info: (obj: unknown) => lines.push(obj) }) } as unknown as PopulationContext;
  return { ctx, lines };
}

const nikAs = (ctx: PopulationContext) => new CitizenResolver().nik(toCitizen('usr-warga-siti', SITI.nik), ctx);

describe('NIK masking in the population subgraph', () => {
  it('shows the owner their full NIK without an officer-read log line', () => {
    const { ctx, lines } = ctxFor(DEMO.siti);
    expect(nikAs(ctx)).toBe('3503115708900001');
    expect(lines).toEqual([]);
  });

  it('shows a Dispendukcapil officer the full NIK and logs the read', () => {
    const { ctx, lines } = ctxFor(DEMO.petugasDukcapil);
    expect(nikAs(ctx)).toBe('3503115708900001');
    expect(lines).toEqual([expect.objectContaining({ audit: 'personal-data-read', who: 'usr-petugas-dukcapil', fields: ['nik'], records: 1 })]);
  });

  it('masks the NIK for an officer of another agency, another citizen and an analyst', () => {
    for (const caller of [DEMO.hr, { ...DEMO.petugasDukcapil, agencyId: 'bpkpd' }, DEMO.budi, DEMO.analyst]) {
      const { ctx } = ctxFor(caller);
      expect(nikAs(ctx)).toBe('3503**********01');
    }
  });
});
