import { describe, expect, it } from 'vitest';
import { createLogger, MemoryAccessLog, ReadRecorder, type Caller } from '@gerbang/common';
import { DEMO } from '@gerbang/testing';
import type { BillQuery, TaxBillRecord, TaxRegistry } from '../src/adapters/sismiop/registry';
import { createLoaders } from '../src/modules/context';
import { LandTaxService } from '../src/modules/land-tax.service';

const NOP = '350311000500100120';
const bill = (year: number, paid: boolean): TaxBillRecord => ({
  nop: NOP,
  year,
  taxpayerName: 'SITI RAHAYU',
  ownerNik: DEMO.siti.nik!,
  amount: 100_000,
  dueDate: `${year}-08-31`,
  issuedOn: `${year}-02-01`,
  paid,
  payments: paid ? [{ sequence: 1, paidOn: `${year}-09-15`, recordedAt: new Date(`${year}-09-15T03:00:00Z`), amount: 102_000, penalty: 2_000, place: 'Bank Jatim' }] : [],
});

/** SISMIOP in memory: two bills of one object. */
const registry = {
  bills: async (queries: readonly BillQuery[]) => queries.map((q) => [bill(2025, true), bill(2026, false)].filter((b) => b.nop === q.nop && (q.year === null || b.year === q.year))),
  taxObjectsOf: async () => new Map(),
  serviceRequests: async () => new Map(),
} as unknown as TaxRegistry;

function serviceFor(caller: Caller) {
  const log = new MemoryAccessLog();
  const service = new LandTaxService({
    caller,
    logger: createLogger('land-tax', 'silent'),
    registry,
    loaders: createLoaders(registry),
    reads: new ReadRecorder(log, { source: 'land-tax', requestId: 'req-1', caller }),
    now: () => new Date('2026-12-04T05:00:00Z'),
  });
  return { service, log };
}

/** The land-tax rules on their own: no GraphQL, no SISMIOP database. */
describe('LandTaxService', () => {
  it('adds the surcharge paid, or accrued by today, to each bill', async () => {
    const [unpaid, paid] = await serviceFor(DEMO.siti)
      .service.billsOf(NOP, null)
      .then((b) => [b.find((x) => x.year === 2026)!, b.find((x) => x.year === 2025)!]);
    expect(paid).toMatchObject({ penalty: 2_000, paidAt: new Date('2025-09-15T03:00:00Z') });
    // 1% a month from tax year 2024, per started month after 31 August: 4 months by 4 December.
    expect(unpaid).toMatchObject({ penalty: 4_000, paidAt: null });
  });

  it('reads any printed NOP, refuses a bad NOP or year, and says NOT_FOUND for a year SISMIOP has no bill for', async () => {
    const { service } = serviceFor(DEMO.siti);
    expect((await service.bill('35.03.110.005.001-0012.0', 2025)).year).toBe(2025);
    await expect(service.bill('35.03', 2025)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'nop' } });
    await expect(service.bill(NOP, 1989)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'year' } });
    await expect(service.bill(NOP, 2024)).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    await expect(
      service.billsOf(
        NOP,
        Array.from({ length: 31 }, (_, i) => 1990 + i),
      ),
    ).rejects.toMatchObject({ extensions: { field: 'years' } });
  });

  it("shows the taxpayer's name in full to them and to BPKPD staff (recorded), masked to everyone else", async () => {
    const b = { plainNop: NOP, ownerNik: DEMO.siti.nik!, taxpayerNameOnRecord: 'SITI RAHAYU' };
    const own = serviceFor(DEMO.siti);
    expect(await own.service.taxpayerName(b)).toBe('SITI RAHAYU');
    expect(own.log.entries).toEqual([]);
    const other = serviceFor(DEMO.budi);
    expect(await other.service.taxpayerName(b)).toBe('S*** R*****');
    const officer = serviceFor({ ...DEMO.petugasDukcapil, agencyId: 'bpkpd' });
    expect(await officer.service.taxpayerName(b)).toBe('SITI RAHAYU');
    expect(officer.log.entries).toEqual([expect.objectContaining({ fields: ['TaxBill.taxpayerName'], purpose: 'officer of bpkpd', recordRefs: [`nop:${NOP}`] })]);
  });
});
