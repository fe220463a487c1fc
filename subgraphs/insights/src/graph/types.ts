import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { keyedEntity } from '@gerbang/common/graph-types';
import { KECAMATAN } from '../history/catalogue';
import { DIMENSIONS, MEASURE_NAMES, type Dimension, type MeasureName } from '../cube/model';

/** A list of names as an enum object for registerEnumType. */
export const enumOf = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as Record<T, T>;

const InsightMeasure = enumOf(MEASURE_NAMES);
const InsightDimension = enumOf(DIMENSIONS);
export enum InsightChannel {
  PORTAL = 'PORTAL',
  APP = 'APP',
  COUNTER = 'COUNTER',
  UNKNOWN = 'UNKNOWN',
}
export enum PositionClass {
  PELAKSANA = 'PELAKSANA',
  FUNGSIONAL_TERAMPIL = 'FUNGSIONAL_TERAMPIL',
  FUNGSIONAL_AHLI = 'FUNGSIONAL_AHLI',
  UNKNOWN = 'UNKNOWN',
}
export enum InsightComparison {
  PREVIOUS_PERIOD = 'PREVIOUS_PERIOD',
  PREVIOUS_YEAR = 'PREVIOUS_YEAR',
}
registerEnumType(InsightMeasure, { name: 'InsightMeasure', description: 'What to count or compute (README, "Insights": definitions).' });
registerEnumType(InsightDimension, { name: 'InsightDimension', description: 'What to split by.' });
registerEnumType(InsightChannel, { name: 'InsightChannel', description: 'How a ticket came in (UNKNOWN: tickets the feed published without it).' });
registerEnumType(PositionClass, { name: 'PositionClass', description: 'Civil-service job family of the officer who served the ticket.' });
registerEnumType(InsightComparison, { name: 'InsightComparison' });

/** Entities other subgraphs own, referenced by key only. */
export const Agency = keyedEntity('Agency', 'A regional government agency (OPD).');
export type Agency = InstanceType<typeof Agency>;

export const Service = keyedEntity('Service', 'A public service an agency offers.');
export type Service = InstanceType<typeof Service>;

@InputType()
export class InsightFilterInput {
  @Field(() => ID, { nullable: true })
  agencyId?: string;
  @Field(() => ID, { nullable: true })
  serviceId?: string;
  @Field(() => Int, { nullable: true, description: 'Kecamatan code 1–14 (the NIK’s 5th–6th digits); 0: unknown.' })
  kecamatan?: number;
  @Field(() => InsightChannel, { nullable: true })
  channel?: InsightChannel;
  @Field(() => PositionClass, { nullable: true })
  positionClass?: PositionClass;
}

@InputType()
export class InsightSortInput {
  @Field(() => InsightMeasure, { nullable: true })
  measure?: MeasureName;
  @Field(() => InsightDimension, { nullable: true })
  dimension?: Dimension;
  @Field(() => Boolean, { defaultValue: false })
  descending!: boolean;
}

@InputType({ description: 'A question to the cube. Filters take one value each; periods are whole months.' })
export class InsightQuestionInput {
  @Field(() => [InsightMeasure])
  measures!: MeasureName[];
  @Field(() => [InsightDimension], { defaultValue: [] })
  dimensions!: Dimension[];
  @Field(() => String, { description: 'First month, YYYY-MM (Asia/Jakarta).' })
  from!: string;
  @Field(() => String, { description: 'Last month, YYYY-MM, inclusive.' })
  to!: string;
  @Field(() => InsightFilterInput, { nullable: true })
  filter?: InsightFilterInput;
  @Field(() => [InsightSortInput], { nullable: true })
  sort?: InsightSortInput[];
  @Field(() => Int, { defaultValue: 1000 })
  limit!: number;
  @Field(() => InsightComparison, { nullable: true, description: 'Also answer the same question for the previous period (as long, just before) or the same months a year before.' })
  compare?: InsightComparison;
}

@ObjectType()
export class Kecamatan {
  @Field(() => Int, { description: '1–14; 0 when the ticket did not say.' })
  code!: number;
  @Field(() => String)
  name!: string;
}

export const kecamatanOf = (code: number): Kecamatan => Object.assign(new Kecamatan(), { code, name: KECAMATAN.find((k) => k.code === code)?.name ?? 'Tidak diketahui' });

@ObjectType({ description: 'One figure. Null with suppressed: true when fewer than k records make it, or when showing it would let a small group be worked out from other figures.' })
export class InsightCell {
  @Field(() => InsightMeasure)
  measure!: MeasureName;
  @Field(() => Float, { nullable: true })
  value!: number | null;
  @Field(() => Boolean)
  suppressed!: boolean;
  @Field(() => Float, { nullable: true, description: 'The same figure for the comparison period (compare only).' })
  previous!: number | null;
  @Field(() => Boolean, { nullable: true })
  previousSuppressed!: boolean | null;
  @Field(() => Float, { nullable: true, description: 'value − previous, when both are shown.' })
  change!: number | null;
}

@ObjectType({ description: 'One group of the answer: the values of the dimensions asked for, and a cell per measure.' })
export class InsightRow {
  @Field(() => Agency, { nullable: true })
  agency!: Agency | null;
  @Field(() => Service, { nullable: true })
  service!: Service | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM' })
  month!: string | null;
  @Field(() => String, { nullable: true, description: 'First day of the week (Monday), or of the month when the week began in the month before: YYYY-MM-DD.' })
  week!: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  day!: string | null;
  @Field(() => Kecamatan, { nullable: true })
  kecamatan!: Kecamatan | null;
  @Field(() => InsightChannel, { nullable: true })
  channel!: InsightChannel | null;
  @Field(() => PositionClass, { nullable: true })
  positionClass!: PositionClass | null;
  @Field(() => [InsightCell])
  cells!: InsightCell[];
}

@ObjectType()
export class InsightMeasureInfo {
  @Field(() => InsightMeasure)
  measure!: MeasureName;
  @Field(() => String)
  unit!: string;
  @Field(() => String)
  definition!: string;
  @Field(() => Int, { description: 'k: the fewest records a shown cell of this measure stands on.' })
  minimumCellSize!: number;
}

@ObjectType()
export class InsightAnswer {
  @Field(() => [InsightRow])
  rows!: InsightRow[];
  @Field(() => [InsightMeasureInfo])
  measures!: InsightMeasureInfo[];
  @Field(() => Int, { description: 'Cells shown as suppressed (all rows, before limit).' })
  suppressedCells!: number;
  @Field(() => Float, { description: 'What the question cost: rows the database expected to scan.' })
  cost!: number;
  @Field(() => Float)
  budgetRemaining!: number;
  @Field(() => String, { nullable: true })
  previousFrom!: string | null;
  @Field(() => String, { nullable: true })
  previousTo!: string | null;
  @Field(() => String, { nullable: true, description: 'When the rollups were last rebuilt from the ledger (ISO 8601).' })
  dataAsOf!: string | null;
}

@ObjectType({ description: "An analyst's daily budget (Asia/Jakarta day), priced in estimated rows scanned." })
export class InsightBudget {
  @Field(() => Float)
  limit!: number;
  @Field(() => Float)
  used!: number;
  @Field(() => Float)
  remaining!: number;
  @Field(() => Int)
  questions!: number;
  @Field(() => String, { description: 'ISO 8601: midnight Asia/Jakarta.' })
  resetsAt!: string;
}

@ObjectType({ description: 'One column of an export and what it means.' })
export class InsightColumnDefinition {
  @Field(() => String)
  column!: string;
  @Field(() => String)
  definition!: string;
  @Field(() => String)
  unit!: string;
}

@ObjectType({ description: 'Metadata of an exported data set, as Satu Data Indonesia asks of every published data set.' })
export class InsightExportMetadata {
  @Field(() => String)
  title!: string;
  @Field(() => String)
  producer!: string;
  @Field(() => String, { description: 'ISO 8601 interval of months, e.g. 2026-01/2026-12.' })
  period!: string;
  @Field(() => String)
  issued!: string;
  @Field(() => String, { nullable: true })
  dataAsOf!: string | null;
  @Field(() => [InsightColumnDefinition])
  definitions!: InsightColumnDefinition[];
  @Field(() => String)
  suppressionRule!: string;
  @Field(() => String)
  licence!: string;
}

@ObjectType({ description: 'An answer as a CSV data set (RFC 4180, CRLF) with its metadata.' })
export class InsightExport {
  @Field(() => String)
  filename!: string;
  @Field(() => String)
  mediaType!: string;
  @Field(() => String)
  content!: string;
  @Field(() => InsightExportMetadata)
  metadata!: InsightExportMetadata;
  @Field(() => Float)
  cost!: number;
  @Field(() => Float)
  budgetRemaining!: number;
}
