import { describe, expect, it } from 'vitest';
import { createLogger, type Caller } from '@gerbang/common';
import { DEMO } from '@gerbang/testing';
import type { BookingInput, ClinicBookingRecord, ClinicQueueRegistry } from '../src/adapters/clinic-queue/registry';
import { createLoaders } from '../src/modules/context';
import { HealthService } from '../src/modules/health.service';

/** The queue service in memory: what was booked, with which input. */
class MemoryQueue implements ClinicQueueRegistry {
  readonly booked: BookingInput[] = [];
  readonly byCode = new Map<string, ClinicBookingRecord>();
  async clinics() {
    return [];
  }
  async bookings(codes: readonly string[]) {
    return new Map([...this.byCode].filter(([c]) => codes.includes(c)));
  }
  async bookingsOf(nik: string) {
    return [...this.byCode.values()].filter((b) => b.nik === nik);
  }
  async changes() {
    return { items: [], next: 0, hasMore: false };
  }
  async book(input: BookingInput) {
    this.booked.push(input);
    const code = `BK-${this.booked.length}`;
    const booking: ClinicBookingRecord = {
      code,
      queueNumber: 'A-001',
      nik: input.nik,
      bpjsNumber: input.bpjsNumber,
      clinicCode: input.clinicCode,
      clinicName: 'Puskesmas',
      poliCode: input.poliCode,
      poliName: 'Umum',
      date: input.date,
      estimatedServiceAt: null,
      status: 'DIBOOKING',
      bookedAt: new Date(0),
      calledAt: null,
      servedAt: null,
      completedAt: null,
      cancelledAt: null,
      officerNip: null,
      note: null,
      sequence: 1,
    };
    this.byCode.set(code, booking);
    return { booking, replayed: false, remainingQuota: null, instructions: null };
  }
}

function serviceFor(caller: Caller, registry = new MemoryQueue()) {
  const service = new HealthService({ caller, logger: createLogger('health', 'silent'), registry, loaders: createLoaders(registry), booking: { today: () => '2026-12-04', maxDaysAhead: 7 } });
  return { service, registry };
}

const BOOKING = { clinicCode: ' p3503110101 ', poliCode: 'umum', date: '2026-12-05', idempotencyKey: 'key-0001-abcd' };

/** The health rules on their own: no GraphQL, no queue service over the wire. */
describe('HealthService', () => {
  it('books with normalised codes and the client reference scoped to the citizen', async () => {
    const { service, registry } = serviceFor(DEMO.siti);
    await service.book({ ...BOOKING, bpjsNumber: ' 0001234567890 ' });
    expect(registry.booked).toEqual([
      { nik: DEMO.siti.nik, bpjsNumber: '0001234567890', clinicCode: 'P3503110101', poliCode: 'UMUM', date: '2026-12-05', clientRef: `${DEMO.siti.sub}:key-0001-abcd` },
    ]);
  });

  it('books today up to seven days ahead and nothing else', async () => {
    const { service } = serviceFor(DEMO.siti);
    expect(service.bookableDate(undefined, 'date')).toBe('2026-12-04');
    expect(service.bookableDate(' 2026-12-11 ', 'date')).toBe('2026-12-11');
    for (const bad of ['2026-12-03', '2026-12-12', '2026-02-30', '4 Dec']) {
      expect(() => service.bookableDate(bad, 'date')).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'date' } }));
    }
  });

  it('refuses bad codes, a bad BPJS number and non-citizens before calling the queue service', async () => {
    const { service, registry } = serviceFor(DEMO.siti);
    await expect(service.book({ ...BOOKING, clinicCode: 'X1' })).rejects.toMatchObject({ extensions: { field: 'clinicCode' } });
    await expect(service.book({ ...BOOKING, poliCode: 'U' })).rejects.toMatchObject({ extensions: { field: 'poliCode' } });
    await expect(service.book({ ...BOOKING, bpjsNumber: '123' })).rejects.toMatchObject({ extensions: { field: 'bpjsNumber' } });
    await expect(service.book({ ...BOOKING, idempotencyKey: 'k' })).rejects.toMatchObject({ extensions: { field: 'idempotencyKey' } });
    await expect(serviceFor(DEMO.petugasDukcapil).service.book(BOOKING)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(registry.booked).toEqual([]);
  });

  it("shows a booking to the patient, Dinkesdalduk officers and admins only; other agencies' tickets are null", async () => {
    const registry = new MemoryQueue();
    const booking = await serviceFor(DEMO.siti, registry).service.book(BOOKING);
    const ticket = `dinkesdalduk:${booking.code}`;
    const officer = { ...DEMO.petugasDukcapil, agencyId: 'dinkesdalduk' } as Caller;
    for (const caller of [DEMO.siti, officer, DEMO.admin]) expect(await serviceFor(caller, registry).service.bookingOfTicket(ticket)).toMatchObject({ code: booking.code });
    for (const caller of [DEMO.budi, DEMO.petugasDukcapil]) await expect(serviceFor(caller, registry).service.bookingOfTicket(ticket)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(await serviceFor(DEMO.siti, registry).service.bookingOfTicket('dispendukcapil:REQ-1')).toBeNull();
  });
});
