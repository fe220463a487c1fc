import { badInput, hasRole, mustExist, recordOfTicket, requireCaller, type Caller, type Logger, type ReadRecorder } from '@gerbang/common';
import type { ServiceRequestRecord, TaxBillRecord, TaxObjectRecord, TaxRegistry } from '../adapters/sismiop/registry';
import { InvalidNopError, parseNop, plainNop } from '../nop';
import { jakartaDate, latePenalty, maskName } from './bills';
import type { createLoaders } from './context';
import { AGENCY_ID, requestNumberOf } from './tickets';

export interface LandTaxServiceDeps {
  caller: Caller;
  logger: Logger;
  registry: TaxRegistry;
  loaders: ReturnType<typeof createLoaders>;
  /** Records BPKPD staff's and administrators' reads of taxpayers' names before they are served. */
  reads: ReadRecorder;
  /** The clock (accrued surcharges); tests pin it. */
  now: () => Date;
}

/** A bill as the hub shows it: SISMIOP's record, the surcharge paid or accrued by today, and when it was paid. */
export interface AssessedBill extends TaxBillRecord {
  penalty: number;
  paidAt: Date | null;
}

const MIN_YEAR = 1990;
const MAX_YEARS = 30;

/** BPKPD's own officers and admins may read taxpayers' names (recorded) and everyone's requests. */
const isBpkpdStaff = (caller: Caller) => (hasRole(caller, 'officer') && caller.agencyId === AGENCY_ID) || hasRole(caller, 'admin');

/** In what capacity someone other than the taxpayer reads a name (kept in the access log). */
const readerCapacity = (caller: Caller) => (hasRole(caller, 'officer') && caller.agencyId === AGENCY_ID ? `officer of ${AGENCY_ID}` : 'admin');

/**
 * The land-tax subgraph's rules, free of GraphQL: which tax years may be asked for, the surcharge
 * of a bill, who reads a taxpayer's name in full (recorded) and whose tickets are whose. Built per request.
 */
export class LandTaxService {
  constructor(private readonly deps: LandTaxServiceDeps) {}

  private checkYear(year: number, field: string): void {
    const latest = Number(jakartaDate(this.deps.now()).slice(0, 4)) + 1;
    if (!Number.isInteger(year) || year < MIN_YEAR || year > latest) throw badInput(`${field} must be a tax year from ${MIN_YEAR} to ${latest}.`, field);
  }

  /** The surcharge paid (a paid bill) or accrued by today (an unpaid one), and when it was paid. */
  assess(r: TaxBillRecord): AssessedBill {
    const last = r.payments.at(-1);
    return {
      ...r,
      paidAt: r.paid && last ? last.recordedAt : null,
      penalty: r.paid ? r.payments.reduce((sum, p) => sum + p.penalty, 0) : latePenalty(r.amount, r.year, r.dueDate, jakartaDate(this.deps.now())),
    };
  }

  async myTaxObjects(): Promise<TaxObjectRecord[]> {
    const { nik } = requireCaller(this.deps.caller, { nik: true, forbidden: 'Only citizens have tax objects.' });
    return this.deps.loaders.objectsOf.load(nik);
  }

  /** Bills of one object, newest year first: every year SISMIOP holds, or only `years`. */
  async billsOf(plainNopOfObject: string, years: readonly number[] | null | undefined): Promise<AssessedBill[]> {
    let records: TaxBillRecord[];
    if (years == null) {
      records = await this.deps.loaders.bills.load({ nop: plainNopOfObject, year: null });
    } else {
      const wanted = [...new Set(years)];
      if (wanted.length > MAX_YEARS) throw badInput(`Ask for at most ${MAX_YEARS} tax years.`, 'years');
      wanted.forEach((y) => this.checkYear(y, 'years'));
      const found = await this.deps.loaders.bills.loadMany(wanted.map((year) => ({ nop: plainNopOfObject, year })));
      records = found.flatMap((r) => {
        if (r instanceof Error) throw r;
        return r;
      });
      records.sort((a, b) => b.year - a.year);
    }
    return records.map((r) => this.assess(r));
  }

  /** One bill by NOP (any printed form) and year; NOT_FOUND when SISMIOP has none. */
  async bill(nop: string, year: number): Promise<AssessedBill> {
    requireCaller(this.deps.caller);
    let key: string;
    try {
      key = plainNop(parseNop(nop));
    } catch (err) {
      if (err instanceof InvalidNopError) throw badInput(err.message, 'nop');
      throw err;
    }
    this.checkYear(year, 'year');
    const [bill] = await this.deps.loaders.bills.load({ nop: key, year });
    // A NOP and a year name one bill: no such bill is NOT_FOUND, like any look-up by key.
    return this.assess(mustExist(bill, 'PBB bill for this NOP and year'));
  }

  /** The name on an SPPT: in full for its taxpayer and BPKPD staff (recorded before it is served), masked for everyone else. */
  async taxpayerName(bill: { plainNop: string; ownerNik: string | null; taxpayerNameOnRecord: string }): Promise<string> {
    const { caller } = this.deps;
    if (caller.nik && caller.nik === bill.ownerNik) return bill.taxpayerNameOnRecord;
    if (!isBpkpdStaff(caller)) return maskName(bill.taxpayerNameOnRecord);
    // Recorded before it is served: no name leaves for staff without its record.
    await this.deps.reads.read('TaxBill.taxpayerName', `nop:${bill.plainNop}`, readerCapacity(caller));
    return bill.taxpayerNameOnRecord;
  }

  /** SISMIOP's service request behind one of BPKPD's tickets; null for another agency's ticket or none. */
  async requestOfTicket(ticketId: string): Promise<ServiceRequestRecord | null> {
    const { caller } = this.deps;
    return recordOfTicket(requestNumberOf(ticketId), this.deps.loaders.request, (record) => (!!caller.nik && caller.nik === record.applicantNik) || isBpkpdStaff(caller));
  }
}
