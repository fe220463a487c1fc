import 'reflect-metadata';
import { printSubgraphSchema } from '@apollo/subgraph';
import { Field, FieldResolver, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { describe, expect, it } from 'vitest';
import { agencyAnswerOf, buildFederatedSchema, changeFeedTicketSource, GerbangError, monthRangeDays, recordOfTicket, type TicketEvent } from '../src';
import { agencyAnswerType, agencyInsightEntity, ticketEntity } from '../src/graph-types';

const event = (id: string, version: number): TicketEvent => ({
  ticketId: `dinsos:${id}`,
  citizenNik: '3503010101900001',
  serviceId: 'dinsos.usulan-bansos',
  officerId: null,
  status: 'SUBMITTED',
  submittedAt: '2026-12-01T00:00:00.000Z',
  completedAt: null,
  version,
});

describe('changeFeedTicketSource', () => {
  it('maps a page of changes to events, reports the skipped ones, and moves the cursor past them all', async () => {
    const asked: [number, number][] = [];
    const skipped: [string, string][] = [];
    const source = changeFeedTicketSource(
      async (cursor, limit) => {
        asked.push([cursor, limit]);
        return { items: ['a', 'bad', 'c'], next: 13 };
      },
      (id) => (id === 'bad' ? { skip: 'malformed' } : event(id, 1)),
      (id, why) => skipped.push([id, why]),
    );
    const page = await source.changes(10, 200);
    expect(asked).toEqual([[10, 200]]);
    expect(page.events.map((e) => e.ticketId)).toEqual(['dinsos:a', 'dinsos:c']);
    expect(page.next).toBe(13);
    expect(skipped).toEqual([['bad', 'malformed']]);
  });
});

describe('recordOfTicket', () => {
  const loader = { load: async (id: string) => (id === 'known' ? { id, nik: '3503010101900001' } : null) };

  it('answers null for another agency’s ticket without loading anything, and for an unknown record', async () => {
    let loads = 0;
    expect(
      await recordOfTicket(
        null,
        {
          load: async () => {
            loads++;
            return null;
          },
        },
        () => true,
      ),
    ).toBeNull();
    expect(loads).toBe(0);
    expect(await recordOfTicket('missing', loader, () => true)).toBeNull();
  });

  it('returns the record to a caller who may read it, and refuses with FORBIDDEN otherwise', async () => {
    expect(await recordOfTicket('known', loader, (r) => r.nik === '3503010101900001')).toEqual({ id: 'known', nik: '3503010101900001' });
    const err = await recordOfTicket('known', loader, () => false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GerbangError);
    expect((err as GerbangError).extensions.code).toBe('FORBIDDEN');
  });
});

describe('agencyAnswerOf and monthRangeDays', () => {
  it('reads month, kecamatan (with its name) and the measure’s own dimensions from each cell, and k from the question', () => {
    const answer = agencyAnswerOf(
      {
        question: { measures: ['CLINIC_BOOKINGS'], dimensions: ['MONTH', 'KECAMATAN', 'PUSKESMAS'], from: '2026-01', to: '2026-02', k: { CLINIC_BOOKINGS: 5 } },
        table: {
          cells: [
            { key: { MONTH: '2026-01', KECAMATAN: '12', PUSKESMAS: 'P1' }, n: 9, value: 9, suppressed: false },
            { key: { MONTH: '2026-02', PUSKESMAS: 'P1' }, n: 2, value: null, suppressed: true },
          ],
          suppressed: [{ key: { MONTH: '2026-02', PUSKESMAS: 'P1' }, n: 2, value: null, suppressed: true }],
        },
      },
      'CLINIC_BOOKINGS',
      (key) => ({ puskesmas: key.PUSKESMAS ?? null }),
    );
    expect(answer).toEqual({
      rows: [
        { month: '2026-01', kecamatan: 12, kecamatanName: 'Pogalan', puskesmas: 'P1', value: 9, suppressed: false },
        { month: '2026-02', kecamatan: null, kecamatanName: null, puskesmas: 'P1', value: null, suppressed: true },
      ],
      suppressedCells: 1,
      minimumCellSize: 5,
    });
  });

  it('gives the first and last day of a range of months (leap February included)', () => {
    expect(monthRangeDays({ from: '2028-01', to: '2028-02' })).toEqual({ first: '2028-01-01', last: '2028-02-29' });
    expect(monthRangeDays({ from: '2026-01', to: '2026-12' })).toEqual({ first: '2026-01-01', last: '2026-12-31' });
  });
});

// Two subgraphs in one process, each extending its own stubs: neither schema carries the other's fields.
const TicketA = ticketEntity();
const TicketB = ticketEntity();
const InsightA = agencyInsightEntity();
const InsightB = agencyInsightEntity();

@ObjectType({ description: 'One row.' })
class CountRow {
  @Field(() => Int, { nullable: true })
  value!: number | null;
}
const CountAnswer = agencyAnswerType('CountAnswer', CountRow, 'Counts.', 'k: the fewest records a shown cell stands on.');

@Resolver(() => TicketA)
class TicketAResolver {
  @FieldResolver(() => String)
  fromA(@Root() ticket: InstanceType<typeof TicketA>): string {
    return ticket.id;
  }
}

@Resolver(() => TicketB)
class TicketBResolver {
  @FieldResolver(() => String)
  fromB(@Root() ticket: InstanceType<typeof TicketB>): string {
    return ticket.id;
  }
}

@Resolver(() => InsightA.AgencyInsight)
class InsightAResolver {
  @FieldResolver(() => CountAnswer, { nullable: true })
  countA(): null {
    return null;
  }
}

@Resolver(() => InsightB.AgencyInsight)
class InsightBResolver {
  @FieldResolver(() => String)
  countB(): string {
    return 'b';
  }
}

describe('ticketEntity, agencyInsightEntity (one class per subgraph)', () => {
  it('keeps each subgraph’s fields in its own schema when several are built in one process', async () => {
    const a = printSubgraphSchema(await buildFederatedSchema({ resolvers: [TicketAResolver, InsightAResolver], orphanedTypes: [TicketA, InsightA.AgencyInsight] }));
    const b = printSubgraphSchema(await buildFederatedSchema({ resolvers: [TicketBResolver, InsightBResolver], orphanedTypes: [TicketB, InsightB.AgencyInsight] }));
    expect(a).toMatch(/type Ticket\s*@key\(fields: "id"\)\s*\{\s*id: ID!\s*fromA: String!\s*\}/);
    expect(a).toMatch(/type AgencyInsight\s*@key\(fields: "question"\)\s*\{\s*question: String!\s*countA: CountAnswer\s*\}/);
    expect(a).toContain('"""k: the fewest records a shown cell stands on."""');
    expect(b).toMatch(/type Ticket\s*@key\(fields: "id"\)\s*\{\s*id: ID!\s*fromB: String!\s*\}/);
    expect(b).toMatch(/type AgencyInsight\s*@key\(fields: "question"\)\s*\{\s*question: String!\s*countB: String!\s*\}/);
    expect(InsightA.reference.__resolveReference({ question: 'q' })).toEqual(Object.assign(new InsightA.AgencyInsight(), { question: 'q' }));
  });
});
