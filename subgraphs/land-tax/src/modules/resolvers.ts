import { Arg, Ctx, Directive, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { badInput, forbidden, hasRole, mustExist, unauthenticated, type Caller } from '@gerbang/common';
import type { ServiceRequestRecord, TaxBillRecord, TaxObjectRecord } from '../adapters/sismiop/registry';
import { dottedNop, InvalidNopError, parseNop, plainNop } from '../nop';
import { jakartaDate, latePenalty, maskName, titleCase } from './bills';
import type { LandTaxContext } from './context';
import { AGENCY_ID, requestNumberOf, ticketIdOf } from './tickets';
import { TaxBill, TaxObject, TaxServiceRequest, TaxServiceRequestStatus, TaxServiceType, Ticket } from './types';

/** BPKPD's own officers and admins may read taxpayers' names (recorded) and everyone's requests. */
const isBpkpdStaff = (caller: Caller) => (hasRole(caller, 'officer') && caller.agencyId === AGENCY_ID) || hasRole(caller, 'admin');

/** In what capacity someone other than the taxpayer reads a name (kept in the access log). */
const readerCapacity = (caller: Caller) => (hasRole(caller, 'officer') && caller.agencyId === AGENCY_ID ? `officer of ${AGENCY_ID}` : 'admin');

/**
 * Who reads a taxpayer's name in full, and why the schema says so: the taxpayer; BPKPD's officers,
 * who serve the tax office counter (a transfer of name, an objection, a copy of an SPPT: each needs
 * the name on the SPPT checked against the person at the counter, and the masked form cannot be);
 * and administrators, who read every personal record in the hub. Everyone else, citizens using
 * the public "cek PBB" look-up included, gets the masked form. Staff reads are recorded.
 */
export const TAXPAYER_NAME_DESCRIPTION =
  "The taxpayer's name on this SPPT. In full for the object's own taxpayer, for BPKPD officers (who serve the tax office counter, where a transfer of name, an objection or a copy of an SPPT needs the name checked against the person at the counter) and for administrators; each of the latter two's reads is recorded in the access log before it is served (UPSTREAM_UNAVAILABLE while it cannot be written). Masked (S*** R*****) for everyone else.";

const MIN_YEAR = 1990;
const MAX_YEARS = 30;

function checkYear(year: number, field: string, now: Date): void {
  const latest = Number(jakartaDate(now).slice(0, 4)) + 1;
  if (!Number.isInteger(year) || year < MIN_YEAR || year > latest) throw badInput(`${field} must be a tax year from ${MIN_YEAR} to ${latest}.`, field);
}

export function toTaxObject(r: TaxObjectRecord): TaxObject {
  const rtRw = [r.rt && `RT ${r.rt}`, r.rw && `RW ${r.rw}`].filter(Boolean).join(' ');
  return {
    nop: dottedNop(r.nop),
    plainNop: r.nop,
    address: [r.street, r.blockNo, rtRw].filter(Boolean).join(', '),
    village: r.village && titleCase(r.village),
    kecamatan: r.kecamatan && titleCase(r.kecamatan),
    landArea: r.landArea,
    buildingArea: r.buildingArea,
  };
}

export function toTaxBill(r: TaxBillRecord, ctx: LandTaxContext): TaxBill {
  const last = r.payments.at(-1);
  return {
    nop: dottedNop(r.nop),
    plainNop: r.nop,
    year: r.year,
    taxpayerNameOnRecord: r.taxpayerName,
    ownerNik: r.ownerNik,
    amount: r.amount,
    dueDate: r.dueDate,
    paid: r.paid,
    paidAt: r.paid && last ? last.recordedAt : null,
    penalty: r.paid ? r.payments.reduce((sum, p) => sum + p.penalty, 0) : latePenalty(r.amount, r.year, r.dueDate, jakartaDate(ctx.now())),
    payments: r.payments.map((p) => ({ ...p })),
  };
}

const STATUS: Record<NonNullable<ServiceRequestRecord['status']>, TaxServiceRequestStatus> = {
  DITERIMA: TaxServiceRequestStatus.RECEIVED,
  DIPROSES: TaxServiceRequestStatus.IN_REVIEW,
  SELESAI: TaxServiceRequestStatus.COMPLETED,
  DITOLAK: TaxServiceRequestStatus.REJECTED,
};

export function toTaxServiceRequest(r: ServiceRequestRecord): TaxServiceRequest | null {
  if (!r.type || !r.status) return null;
  return {
    id: ticketIdOf(r.number),
    number: r.number,
    type: r.type as TaxServiceType,
    status: STATUS[r.status],
    nop: dottedNop(r.nop),
    taxYear: r.taxYear,
    note: r.note,
    receivedAt: r.receivedAt,
    expectedBy: r.expectedBy,
    completedAt: r.completedAt,
    officer: r.officerNip ? { id: r.officerNip } : null,
  };
}

@Resolver(() => TaxObject)
export class TaxObjectResolver {
  @Directive('@requiresScopes(scopes: [["role:citizen"]])')
  @Query(() => [TaxObject], {
    nullable: true,
    description:
      "The signed-in citizen's land and building tax objects (PBB-P2), from BPKPD's SISMIOP, in NOP order. Null, with an UPSTREAM_UNAVAILABLE error, while SISMIOP cannot be reached (nullable so that the rest of a query still arrives).",
  })
  async myTaxObjects(@Ctx() ctx: LandTaxContext): Promise<TaxObject[]> {
    if (!ctx.caller.sub) throw unauthenticated();
    if (!ctx.caller.nik) throw forbidden('Only citizens have tax objects.');
    return (await ctx.loaders.objectsOf.load(ctx.caller.nik)).map(toTaxObject);
  }

  @FieldResolver(() => [TaxBill], { description: 'Bills (SPPT) of this object, newest year first.' })
  async bills(
    @Root() object: TaxObject,
    @Ctx() ctx: LandTaxContext,
    @Arg('years', () => [Int], { nullable: true, description: 'Only these tax years (default: every year SISMIOP holds).' }) years?: number[] | null,
  ): Promise<TaxBill[]> {
    let records: TaxBillRecord[];
    if (years == null) {
      records = await ctx.loaders.bills.load({ nop: object.plainNop, year: null });
    } else {
      const wanted = [...new Set(years)];
      if (wanted.length > MAX_YEARS) throw badInput(`Ask for at most ${MAX_YEARS} tax years.`, 'years');
      wanted.forEach((y) => checkYear(y, 'years', ctx.now()));
      const found = await ctx.loaders.bills.loadMany(wanted.map((year) => ({ nop: object.plainNop, year })));
      records = found.flatMap((r) => {
        if (r instanceof Error) throw r;
        return r;
      });
      records.sort((a, b) => b.year - a.year);
    }
    return records.map((r) => toTaxBill(r, ctx));
  }
}

@Resolver(() => TaxBill)
export class TaxBillResolver {
  @Directive('@requiresScopes(scopes: [["role:citizen"], ["role:officer"], ["role:admin"]])')
  @Query(() => TaxBill, {
    nullable: true,
    description:
      "One PBB-P2 bill by NOP and tax year, as the public 'cek PBB' look-up: amount, due date, payment. The taxpayer's name is masked unless it is your object or you are a BPKPD officer or an administrator (see TaxBill.taxpayerName). Null with a NOT_FOUND error when SISMIOP has no such bill.",
  })
  async taxBill(
    @Ctx() ctx: LandTaxContext,
    @Arg('year', () => Int, { description: 'Tax year.' }) year: number,
    @Arg('nop', () => String, { description: '18 digits, or as printed on the SPPT: 35.03.110.005.001-0012.0' }) nop: string,
  ): Promise<TaxBill> {
    if (!ctx.caller.sub) throw unauthenticated();
    let key: string;
    try {
      key = plainNop(parseNop(nop));
    } catch (err) {
      if (err instanceof InvalidNopError) throw badInput(err.message, 'nop');
      throw err;
    }
    checkYear(year, 'year', ctx.now());
    const [bill] = await ctx.loaders.bills.load({ nop: key, year });
    // A NOP and a year name one bill: no such bill is NOT_FOUND, like any look-up by key.
    return toTaxBill(mustExist(bill, 'PBB bill for this NOP and year'), ctx);
  }

  @FieldResolver(() => String, { description: TAXPAYER_NAME_DESCRIPTION })
  async taxpayerName(@Root() bill: TaxBill, @Ctx() ctx: LandTaxContext): Promise<string> {
    if (ctx.caller.nik && ctx.caller.nik === bill.ownerNik) return bill.taxpayerNameOnRecord;
    if (!isBpkpdStaff(ctx.caller)) return maskName(bill.taxpayerNameOnRecord);
    // Recorded before it is served: no name leaves for staff without its record.
    await ctx.reads.read('TaxBill.taxpayerName', `nop:${bill.plainNop}`, readerCapacity(ctx.caller));
    return bill.taxpayerNameOnRecord;
  }
}

/** Adds the live SISMIOP view of BPKPD's tickets to the graph's Ticket. */
@Resolver(() => Ticket)
export class TicketResolver {
  // The ticket's applicant, BPKPD officers (checked below) and admins.
  @Directive('@policy(policies: [["owner"], ["role:officer"], ["role:admin"]])')
  @FieldResolver(() => TaxServiceRequest, {
    nullable: true,
    description: "BPKPD's own record of this ticket (a tax office service request), live from SISMIOP; null for other agencies' tickets.",
  })
  async taxServiceRequest(@Root() ticket: Ticket, @Ctx() ctx: LandTaxContext): Promise<TaxServiceRequest | null> {
    const number = requestNumberOf(ticket.id);
    if (!number) return null;
    const record = await ctx.loaders.request.load(number);
    if (!record) return null;
    const own = !!ctx.caller.nik && ctx.caller.nik === record.applicantNik;
    if (!own && !isBpkpdStaff(ctx.caller)) throw forbidden('This is not your ticket.');
    return toTaxServiceRequest(record);
  }
}
