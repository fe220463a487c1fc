import { describe, expect, it } from 'vitest';
import { createLogger, UpstreamRejectedError, type Caller } from '@gerbang/common';
import { DEMO } from '@gerbang/testing';
import type { BusinessRegistry } from '../src/adapters/oss/registry';
import type { NewPermitApplication, PermitApplicationRecord, PermitRegistry } from '../src/adapters/permit-soap/registry';
import { createLoaders } from '../src/modules/context';
import { clientReferenceOf, LicensingService } from '../src/modules/licensing.service';

/** SIMPERDA in memory: what was submitted; a client reference reused for other content is refused as SIMPERDA does. */
class MemoryPermits implements PermitRegistry {
  readonly submitted: NewPermitApplication[] = [];
  readonly byNumber = new Map<string, PermitApplicationRecord>();
  async applications(numbers: readonly string[]) {
    return new Map([...this.byNumber].filter(([n]) => numbers.includes(n)));
  }
  async applicationsOf(nik: string) {
    return [...this.byNumber.values()].filter((a) => a.nik === nik);
  }
  async changes() {
    return { items: [], next: 0, hasMore: false };
  }
  async submit(input: NewPermitApplication) {
    const earlier = this.submitted.find((s) => s.clientReference === input.clientReference);
    if (earlier && earlier.description !== input.description) throw new UpstreamRejectedError('SIMPERDA', 'clientReference used', 'CLIENT_REFERENCE_CONFLICT');
    this.submitted.push(input);
    const number = `PRM-2026-${String(this.submitted.length).padStart(5, '0')}`;
    const at = new Date('2026-12-04T03:00:00Z');
    this.byNumber.set(number, {
      number,
      nik: input.nik,
      applicantName: input.applicantName,
      permitType: input.permitType,
      description: input.description,
      location: input.location,
      status: 'DITERIMA',
      submittedAt: at,
      completedAt: null,
      officerNip: null,
      notes: null,
      updatedAt: at,
    });
    return { number, status: 'DITERIMA' as const, submittedAt: at };
  }
}

function serviceFor(caller: Caller, permits = new MemoryPermits()) {
  const registries = { oss: {} as BusinessRegistry, permits };
  return { service: new LicensingService({ caller, logger: createLogger('licensing', 'silent'), registries, loaders: createLoaders(registries) }), permits };
}

const APPLICATION = { permitType: 'REKLAME' as const, description: '  Papan nama toko di depan rumah  ', location: 'Jl. Panglima Sudirman 5', idempotencyKey: 'key-0001-abcd' };

/** The licensing rules on their own: no GraphQL, no SOAP. */
describe('LicensingService', () => {
  it('files under the verified name and NIK, trimmed, with the key scoped to the citizen', async () => {
    const { service, permits } = serviceFor(DEMO.siti);
    const filed = await service.applyForPermit(APPLICATION);
    expect(filed).toMatchObject({ nik: DEMO.siti.nik, applicantName: 'Siti Rahayu', description: 'Papan nama toko di depan rumah', status: 'DITERIMA' });
    expect(permits.submitted[0]!.clientReference).toBe(`${DEMO.siti.sub}:key-0001-abcd`);
  });

  it('hashes a scoped key SIMPERDA would not take as it is', () => {
    expect(clientReferenceOf('usr-warga-siti', 'k'.repeat(60))).toMatch(/^hub:[A-Za-z0-9_-]{43}$/);
    expect(clientReferenceOf('usr-warga-siti', 'key-0001-abcd')).toBe('usr-warga-siti:key-0001-abcd');
  });

  it("turns SIMPERDA's refusal of a reused reference into IDEMPOTENCY_CONFLICT, and refuses bad lengths before calling it", async () => {
    const { service, permits } = serviceFor(DEMO.siti);
    await service.applyForPermit(APPLICATION);
    await expect(service.applyForPermit({ ...APPLICATION, description: 'Sesuatu yang lain sama sekali' })).rejects.toMatchObject({
      extensions: { code: 'IDEMPOTENCY_CONFLICT', field: 'idempotencyKey' },
    });
    await expect(service.applyForPermit({ ...APPLICATION, description: 'short' })).rejects.toMatchObject({ extensions: { field: 'description' } });
    await expect(service.applyForPermit({ ...APPLICATION, location: 'x' })).rejects.toMatchObject({ extensions: { field: 'location' } });
    expect(permits.submitted).toHaveLength(1);
  });

  it('shows an application to its applicant, DPMPTSP officers and admins only', async () => {
    const permits = new MemoryPermits();
    const filed = await serviceFor(DEMO.siti, permits).service.applyForPermit(APPLICATION);
    const ticket = `dpmptsp:${filed.number}`;
    for (const caller of [DEMO.siti, { ...DEMO.petugasDukcapil, agencyId: 'dpmptsp' } as Caller, DEMO.admin]) {
      expect(await serviceFor(caller, permits).service.applicationOfTicket(ticket)).toMatchObject({ number: filed.number });
    }
    await expect(serviceFor(DEMO.budi, permits).service.applicationOfTicket(ticket)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(await serviceFor(DEMO.siti, permits).service.applicationOfTicket('bpkpd:2026.0001.014')).toBeNull();
  });
});
