import { Bool, Field, Float64, Int16, makeData, RecordBatch, Schema, Struct, Utf8, vectorFromArray, type Data, type DataType } from 'apache-arrow';

/**
 * An analysts' data set as it is exported (the insights cube's export and the gateway's export of
 * agency measures): typed columns, rows of values, and Satu Data Indonesia-style metadata, written
 * as CSV fields or Apache Arrow record batches. Imported from `@gerbang/common/dataset`, not the
 * package root, so that only what exports loads apache-arrow.
 */

/** The formats a data set is exported in: CSV, an Apache Arrow IPC stream, or its metadata alone (JSON). */
export const DATASET_FORMATS = ['csv', 'arrow', 'metadata'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

export const DATASET_MEDIA_TYPES: Record<DatasetFormat, string> = {
  csv: 'text/csv; charset=utf-8; header=present',
  arrow: 'application/vnd.apache.arrow.stream',
  metadata: 'application/json; charset=utf-8',
};

/** The licence every published data set carries. */
export const DATASET_LICENCE = 'Creative Commons Attribution 4.0 International (CC BY 4.0)';

/** A column: a dimension's (text; the kecamatan code an integer), a measure's value, or its suppression flag. */
export interface DatasetColumn {
  name: string;
  kind: 'text' | 'integer' | 'measure' | 'suppressed';
}

export type DatasetValue = string | number | boolean | null;

/** What a data set says of itself: title, producer, period, every measure's definition, the suppression rule, the licence. */
export interface DatasetMetadata {
  title: string;
  producer: string;
  period: string;
  issued: string;
  dataAsOf: string | null;
  definitions: { column: string; definition: string; unit: string }[];
  suppressionRule: string;
  licence: string;
}

/** A record as CSV fields: null (suppressed or absent) is the empty field. */
export const csvFields = (record: DatasetValue[]): string[] => record.map((v) => (v === null ? '' : String(v)));

const arrowType = (c: DatasetColumn): DataType => (c.kind === 'measure' ? new Float64() : c.kind === 'suppressed' ? new Bool() : c.kind === 'integer' ? new Int16() : new Utf8());

/** The Arrow schema: every column, each measure's definition and unit as field metadata, the data set's as schema metadata. */
export function arrowSchema(columns: DatasetColumn[], metadata: DatasetMetadata): Schema {
  const defs = new Map(metadata.definitions.flatMap((d) => d.column.split(', ').map((c) => [c, d] as const)));
  const fields = columns.map((c) => {
    const d = defs.get(c.name);
    const meta = d
      ? new Map([
          ['definition', d.definition],
          ['unit', d.unit],
        ])
      : c.kind === 'suppressed'
        ? new Map([['definition', 'true: the cell beside it is suppressed (null)']])
        : null;
    return new Field(c.name, arrowType(c), c.kind !== 'suppressed', meta);
  });
  const { definitions, ...rest } = metadata;
  const entries: [string, string][] = Object.entries(rest).map(([k, v]) => [k, v ?? '']);
  entries.push(['definitions', JSON.stringify(definitions)]);
  return new Schema(fields, new Map(entries));
}

/** Rows (in the schema's column order) as one record batch. */
export function arrowBatch(schema: Schema, rows: DatasetValue[][]): RecordBatch {
  const children = schema.fields.map((f: Field<DataType>, i): Data => {
    const v = vectorFromArray(rows.map((r) => r[i] ?? null) as never[], f.type);
    return v.data.length === 1 ? v.data[0]! : makeData({ type: f.type, length: 0 });
  });
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: rows.length, nullCount: 0, children }));
}
