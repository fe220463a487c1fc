import { Arg, Ctx, Directive, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { enumValue } from '@gerbang/common';
import { OfficerRef } from '@gerbang/common/graph-types';
import type { ServiceRequestRecord, TaxObjectRecord } from '../adapters/sismiop/registry';
import { dottedNop } from '../nop';
import { titleCase } from './bills';
import type { LandTaxContext } from './context';
import type { AssessedBill } from './land-tax.service';
import { ticketIdOf } from './tickets';
import { TaxBill, TaxObject, TaxPayment, TaxServiceRequest, TaxServiceRequestStatus, TaxServiceType, Ticket } from './types';

/**
 * Who reads a taxpayer's name in full, and why the schema says so: the taxpayer; BPKPD's officers,
 * who serve the tax office counter (a transfer of name, an objection, a copy of an SPPT: each needs
 * the name on the SPPT checked against the person at the counter, and the masked form cannot be);
 * and administrators, who read every personal record in the hub. Everyone else, citizens using
 * the public "cek PBB" look-up included, gets the masked form. Staff reads are recorded.
 */
const TAXPAYER_NAME_DESCRIPTION =
  "The taxpayer's name on this SPPT. In full for the object's own taxpayer, for BPKPD officers (who serve the tax office counter, where a transfer of name, an objection or a copy of an SPPT needs the name checked against the person at the counter) and for administrators; each of the latter two's reads is recorded in the access log before it is served (UPSTREAM_UNAVAILABLE while it cannot be written). Masked (S*** R*****) for everyone else.";

function toTaxObject(r: TaxObjectRecord): TaxObject {
  const rtRw = [r.rt && `RT ${r.rt}`, r.rw && `RW ${r.rw}`].filter(Boolean).join(' ');
  return Object.assign(new TaxObject(), {
    nop: dottedNop(r.nop),
    plainNop: r.nop,
    address: [r.street, r.blockNo, rtRw].filter(Boolean).join(', '),
    village: r.village && titleCase(r.village),
    kecamatan: r.kecamatan && titleCase(r.kecamatan),
    landArea: r.landArea,
    buildingArea: r.buildingArea,
  });
}

function toTaxBill(r: AssessedBill): TaxBill {
  return Object.assign(new TaxBill(), {
    nop: dottedNop(r.nop),
    plainNop: r.nop,
    year: r.year,
    taxpayerNameOnRecord: r.taxpayerName,
    ownerNik: r.ownerNik,
    amount: r.amount,
    dueDate: r.dueDate,
    paid: r.paid,
    paidAt: r.paidAt,
    penalty: r.penalty,
    payments: r.payments.map((p) => Object.assign(new TaxPayment(), p)),
  });
}

const STATUS: Record<NonNullable<ServiceRequestRecord['status']>, TaxServiceRequestStatus> = {
  DITERIMA: TaxServiceRequestStatus.RECEIVED,
  DIPROSES: TaxServiceRequestStatus.IN_REVIEW,
  SELESAI: TaxServiceRequestStatus.COMPLETED,
  DITOLAK: TaxServiceRequestStatus.REJECTED,
};

function toTaxServiceRequest(r: ServiceRequestRecord): TaxServiceRequest | null {
  if (!r.type || !r.status) return null;
  return Object.assign(new TaxServiceRequest(), {
    id: ticketIdOf(r.number),
    number: r.number,
    type: enumValue(TaxServiceType, r.type, 'tax service type'),
    status: STATUS[r.status],
    nop: dottedNop(r.nop),
    taxYear: r.taxYear,
    note: r.note,
    receivedAt: r.receivedAt,
    expectedBy: r.expectedBy,
    completedAt: r.completedAt,
    officer: r.officerNip ? Object.assign(new OfficerRef(), { id: r.officerNip }) : null,
  });
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
    return (await ctx.landTax.myTaxObjects()).map(toTaxObject);
  }

  @FieldResolver(() => [TaxBill], { description: 'Bills (SPPT) of this object, newest year first.' })
  async bills(
    @Root() object: TaxObject,
    @Ctx() ctx: LandTaxContext,
    @Arg('years', () => [Int], { nullable: true, description: 'Only these tax years (default: every year SISMIOP holds).' }) years?: number[] | null,
  ): Promise<TaxBill[]> {
    return (await ctx.landTax.billsOf(object.plainNop, years)).map(toTaxBill);
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
    return toTaxBill(await ctx.landTax.bill(nop, year));
  }

  @FieldResolver(() => String, { description: TAXPAYER_NAME_DESCRIPTION })
  async taxpayerName(@Root() bill: TaxBill, @Ctx() ctx: LandTaxContext): Promise<string> {
    return ctx.landTax.taxpayerName(bill);
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
    const record = await ctx.landTax.requestOfTicket(ticket.id);
    return record && toTaxServiceRequest(record);
  }
}
