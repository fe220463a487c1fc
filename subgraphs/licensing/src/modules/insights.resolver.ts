import { Ctx, Directive, Field, FieldResolver, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { KECAMATAN_NAMES } from '@gerbang/common';
import type { LicensingContext } from './context';
import { kbliSectionName } from './insights';

const ANALYST_ONLY = '@requiresScopes(scopes: [["role:analyst"], ["role:admin"]])';

/** The insights subgraph's agency question, keyed by its canonical text; licensing adds `permitsIssued`. */
@ObjectType()
@Directive('@key(fields: "question")')
export class AgencyInsight {
  @Field(() => String)
  question!: string;
}

@ObjectType({ description: 'One group of PERMITS_ISSUED: the dimensions asked for, and the count (null when suppressed).' })
export class PermitsIssuedRow {
  @Field(() => String, { nullable: true, description: 'YYYY-MM' })
  month!: string | null;
  @Field(() => Int, { nullable: true, description: 'Kecamatan code 1–14 of the business address; 0: not known.' })
  kecamatan!: number | null;
  @Field(() => String, { nullable: true })
  kecamatanName!: string | null;
  @Field(() => String, { nullable: true, description: 'KBLI 2020 section (A–U; X: no KBLI).' })
  sector!: string | null;
  @Field(() => String, { nullable: true })
  sectorName!: string | null;
  @Field(() => Int, { nullable: true })
  value!: number | null;
  @Field(() => Boolean)
  suppressed!: boolean;
}

@ObjectType({ description: 'Licences issued through OSS RBA, by the dimensions of the question, from one OSS statistics call.' })
export class PermitsIssuedAnswer {
  @Field(() => [PermitsIssuedRow])
  rows!: PermitsIssuedRow[];
  @Field(() => Int)
  suppressedCells!: number;
  @Field(() => Int, { description: 'k: the fewest licences a shown cell stands on.' })
  minimumCellSize!: number;
}

@Resolver(() => AgencyInsight)
export class AgencyInsightResolver {
  @Directive(ANALYST_ONLY)
  @FieldResolver(() => PermitsIssuedAnswer, {
    nullable: true,
    description: 'PERMITS_ISSUED, computed by the licensing subgraph from OSS RBA; null when the question does not name it, or (with an error) when OSS fails.',
  })
  async permitsIssued(@Root() insight: AgencyInsight, @Ctx() ctx: LicensingContext): Promise<PermitsIssuedAnswer | null> {
    const answer = await ctx.permitsIssued.answer(insight.question);
    if (!answer) return null;
    return Object.assign(new PermitsIssuedAnswer(), {
      rows: answer.table.cells.map((c) =>
        Object.assign(new PermitsIssuedRow(), {
          month: c.key.MONTH ?? null,
          kecamatan: c.key.KECAMATAN !== undefined ? Number(c.key.KECAMATAN) : null,
          kecamatanName: c.key.KECAMATAN !== undefined ? (KECAMATAN_NAMES[Number(c.key.KECAMATAN)] ?? null) : null,
          sector: c.key.SECTOR ?? null,
          sectorName: c.key.SECTOR !== undefined ? kbliSectionName(c.key.SECTOR) : null,
          value: c.value,
          suppressed: c.suppressed,
        }),
      ),
      suppressedCells: answer.table.suppressed.length,
      minimumCellSize: answer.question.k.PERMITS_ISSUED!,
    });
  }
}

export const agencyInsightReference = { __resolveReference: (ref: { question: unknown }): AgencyInsight => Object.assign(new AgencyInsight(), { question: String(ref.question) }) };
