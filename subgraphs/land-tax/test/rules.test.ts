import { describe, expect, it } from 'vitest';
import { dottedNop, InvalidNopError, isValidNop, nopFromRow, parseNop, plainNop } from '../src/nop';
import { jakartaDate, latePenalty, maskName, titleCase } from '../src/modules/bills';
import { requestNumberOf, sismiopTicketSource, toTicketEvent } from '../src/modules/tickets';
import type { ServiceRequestRecord, TaxRegistry } from '../src/adapters/sismiop/registry';

describe('NOP', () => {
  it('parses the 18 digits and the printed forms', () => {
    const parts = { kdPropinsi: '35', kdDati2: '03', kdKecamatan: '110', kdKelurahan: '005', kdBlok: '001', noUrut: '0012', kdJnsOp: '0' };
    expect(parseNop('350311000500100120')).toEqual(parts);
    expect(parseNop(' 35.03.110.005.001-0012.0 ')).toEqual(parts);
    expect(parseNop('35.03.110.005.001.0012.0')).toEqual(parts);
    expect(dottedNop('350311000500100120')).toBe('35.03.110.005.001-0012.0');
    expect(plainNop(parts)).toBe('350311000500100120');
  });

  it('says what is wrong with an invalid NOP', () => {
    const reason = (s: string) => {
      try {
        parseNop(s);
        return 'valid';
      } catch (err) {
        expect(err).toBeInstanceOf(InvalidNopError);
        return (err as InvalidNopError).reason;
      }
    };
    expect(reason('3503110005001001')).toMatch(/18 digits/);
    expect(reason('35.03.110.005.001/0012.0')).toMatch(/18 digits/);
    expect(reason('330311000500100120')).toMatch(/province 33/);
    expect(reason('350411000500100120')).toMatch(/regency 04/);
    // A NIK's 2-digit kecamatan code (11 = Trenggalek) is not a SISMIOP code: 011 is unknown.
    expect(reason('350301100500100120')).toMatch(/kecamatan code 011/);
    expect(reason('350311000000100120')).toMatch(/village/);
    expect(reason('350311000500000120')).toMatch(/block/);
    expect(reason('350311000500100000')).toMatch(/serial/);
    expect(isValidNop('35.03.140.006.008-0180.1')).toBe(true);
  });

  it('reads the seven padded CHAR columns of a row', () => {
    const row = { KD_PROPINSI: '35', KD_DATI2: '03', KD_KECAMATAN: '120', KD_KELURAHAN: '003', KD_BLOK: '002', NO_URUT: '0007', KD_JNS_OP: '0 ' };
    expect(plainNop(nopFromRow(row))).toBe('350312000300200070');
  });
});

describe('bills', () => {
  it('accrues the surcharge per started month, 2% before 2024 and 1% since, at most 24 months', () => {
    expect(latePenalty(100_000, 2026, '2026-08-31', '2026-08-31')).toBe(0);
    expect(latePenalty(100_000, 2026, '2026-08-31', '2026-09-01')).toBe(1_000);
    expect(latePenalty(100_000, 2026, '2026-08-31', '2026-11-28')).toBe(3_000);
    expect(latePenalty(100_000, 2023, '2023-08-31', '2023-09-30')).toBe(2_000);
    expect(latePenalty(100_000, 2023, '2023-08-31', '2026-11-28')).toBe(48_000);
  });

  it('takes the date on the Jakarta calendar', () => {
    expect(jakartaDate(new Date('2026-11-27T17:30:00Z'))).toBe('2026-11-28');
  });

  it('masks names and writes place names as people do', () => {
    expect(maskName('SITI RAHAYU')).toBe('S*** R*****');
    expect(maskName('H. AHMAD')).toBe('H* A****');
    expect(titleCase('NGANTRU')).toBe('Ngantru');
  });
});

const request = (over: Partial<ServiceRequestRecord> = {}): ServiceRequestRecord => ({
  number: '2026.0001.001',
  type: 'SALINAN',
  typeCode: '05',
  nop: '350311000500100120',
  taxYear: 2026,
  applicantNik: '3503115708900001',
  note: null,
  status: 'SELESAI',
  statusCode: '2',
  receivedAt: new Date('2026-11-26T01:20:00Z'),
  expectedBy: '2026-11-27',
  completedAt: new Date('2026-11-26T03:15:00Z'),
  officerNip: '199107042017082003',
  updateSeq: 7,
  updatedAt: new Date('2026-11-26T03:15:00Z'),
  ...over,
});

describe('tickets', () => {
  it('maps a service request to a ledger event', () => {
    expect(toTicketEvent(request())).toEqual({
      ticketId: 'bpkpd:2026.0001.001',
      citizenNik: '3503115708900001',
      serviceId: 'bpkpd.salinan-sppt',
      officerId: '199107042017082003',
      status: 'COMPLETED',
      submittedAt: '2026-11-26T01:20:00.000Z',
      completedAt: '2026-11-26T03:15:00.000Z',
      version: 7,
    });
    expect(toTicketEvent(request({ type: 'MUTASI', status: 'DIPROSES', completedAt: null }))).toMatchObject({ serviceId: 'bpkpd.mutasi-nama-pbb', status: 'IN_PROGRESS', completedAt: null });
    expect(toTicketEvent(request({ type: 'KEBERATAN', status: 'DITERIMA', officerNip: null }))).toMatchObject({ serviceId: 'bpkpd.keberatan-pbb', status: 'SUBMITTED', officerId: null });
    expect(toTicketEvent(request({ status: 'DITOLAK', completedAt: null }))).toMatchObject({ status: 'REJECTED', completedAt: '2026-11-26T03:15:00.000Z' });
  });

  it('leaves out what the ledger would refuse', () => {
    expect(toTicketEvent(request({ type: 'PEMBETULAN', typeCode: '03' }))).toEqual({ skip: 'service type 03 has no directory service' });
    expect(toTicketEvent(request({ type: null, typeCode: '99' }))).toHaveProperty('skip');
    expect(toTicketEvent(request({ applicantNik: '1234' }))).toHaveProperty('skip');
  });

  it('recognises only its own ticket ids', () => {
    expect(requestNumberOf('bpkpd:2026.0001.001')).toBe('2026.0001.001');
    expect(requestNumberOf('bpkpd:')).toBeNull();
    expect(requestNumberOf('dispendukcapil:SIAK-1')).toBeNull();
  });

  it('moves the cursor past changes it leaves out', async () => {
    const rows = [request({ number: 'A', type: 'PEMBETULAN', updateSeq: 1 }), request({ number: 'B', type: 'PEMBATALAN', updateSeq: 2 }), request({ number: 'C', updateSeq: 3 })];
    const registry = {
      changes: async (since: number, limit: number) => {
        const items = rows.filter((r) => r.updateSeq > since).slice(0, limit);
        return { items, next: items.at(-1)?.updateSeq ?? since, hasMore: false };
      },
    } as unknown as TaxRegistry;
    const skipped: string[] = [];
    const source = sismiopTicketSource(registry, (n) => skipped.push(n));
    expect(await source.changes(0, 2)).toEqual({ events: [], next: 2 });
    expect(skipped).toEqual(['A', 'B']);
    expect((await source.changes(2, 2)).events.map((e) => e.ticketId)).toEqual(['bpkpd:C']);
  });
});
