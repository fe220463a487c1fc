import { describe, expect, it } from 'vitest';
import { arrowSchema } from '@gerbang/common/dataset';
import { EXPORT_AUDIENCE, EXPORT_FORMATS, MEDIA_TYPES, questionFromJson, type ExportFormat } from '../src/cube/export-http';
import { exportColumns, exportMetadata, LICENCE, PRODUCER } from '../src/cube/export';
import { DEFAULT_PRIVACY } from '../src/cube/engine';
import { measureDef } from '../src/cube/model';

/**
 * The streamed export's parts that need no database: the JSON question as the GraphQL input is
 * coerced, the formats and their media types, the Arrow schema with the Satu Data metadata.
 * (Over HTTP, with the figures: export.db.test.ts.)
 */
describe('export formats', () => {
  it('reads a JSON question as the GraphQL input is coerced: defaults filled, sort keys named, null filters dropped', () => {
    expect(
      questionFromJson({
        measures: ['TICKETS_OPENED', 'AVERAGE_STARS'],
        from: '2026-01',
        to: '2026-03',
        filter: { agencyId: 'dpmptsp', kecamatan: null },
        sort: [{ measure: 'AVERAGE_STARS', descending: true }, { dimension: 'MONTH' }],
      }),
    ).toEqual({
      measures: ['TICKETS_OPENED', 'AVERAGE_STARS'],
      dimensions: [],
      from: '2026-01',
      to: '2026-03',
      filter: { agencyId: 'dpmptsp' },
      sort: [
        { by: 'AVERAGE_STARS', descending: true },
        { by: 'MONTH', descending: false },
      ],
      limit: 1000,
      compare: null,
    });
  });

  it('refuses a JSON question that is not one, naming the field', () => {
    const fieldOf = (raw: unknown) => {
      try {
        questionFromJson(raw);
        return null;
      } catch (err) {
        return (err as { extensions: Record<string, unknown> }).extensions;
      }
    };
    expect(fieldOf(null)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'question' });
    expect(fieldOf({ measures: ['NOT_A_MEASURE'], from: '2026-01', to: '2026-01' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'measures' });
    expect(fieldOf({ measures: ['TICKETS_OPENED'], dimensions: ['YEAR'], from: '2026-01', to: '2026-01' })).toMatchObject({ field: 'dimensions' });
    expect(fieldOf({ measures: ['TICKETS_OPENED'], from: 202601, to: '2026-01' })).toMatchObject({ field: 'from' });
    expect(fieldOf({ measures: ['TICKETS_OPENED'], from: '2026-01', to: '2026-01', filter: { nik: '3503115708900001' } })).toMatchObject({ field: 'filter.nik' });
    expect(fieldOf({ measures: ['TICKETS_OPENED'], from: '2026-01', to: '2026-01', sort: 'MONTH' })).toMatchObject({ field: 'sort' });
  });

  it('serves each format with its media type, for the audience the gateway signs exports with', () => {
    const formats: readonly ExportFormat[] = EXPORT_FORMATS;
    expect(Object.fromEntries(formats.map((f) => [f, MEDIA_TYPES[f]]))).toEqual({
      csv: 'text/csv; charset=utf-8; header=present',
      arrow: 'application/vnd.apache.arrow.stream',
      metadata: 'application/json; charset=utf-8',
    });
    // gateway/src/edge/insights-export.ts signs the forwarded call for this audience, not for `insights`.
    expect(EXPORT_AUDIENCE).toBe('insights:export');
  });

  it('types the Arrow columns and carries the Satu Data metadata in the schema', () => {
    const question = questionFromJson({ measures: ['TICKETS_COMPLETED', 'AVERAGE_STARS'], dimensions: ['KECAMATAN', 'MONTH'], from: '2026-01', to: '2026-11' });
    const metadata = exportMetadata(question, DEFAULT_PRIVACY, new Date('2026-11-25T03:00:00Z'), null);
    expect(metadata).toMatchObject({ producer: PRODUCER, licence: LICENCE, period: '2026-01/2026-11' });
    const schema = arrowSchema(exportColumns(question), metadata);
    expect(schema.fields.map((f) => `${f.name}:${String(f.type)}:${f.nullable ? 'null' : 'not null'}`)).toEqual([
      'kecamatan_code:Int16:null',
      'kecamatan:Utf8:null',
      'month:Utf8:null',
      'tickets_completed:Float64:null',
      'tickets_completed_suppressed:Bool:not null',
      'average_stars:Float64:null',
      'average_stars_suppressed:Bool:not null',
    ]);
    const field = (name: string) => schema.fields.find((f) => f.name === name)!;
    expect(field('average_stars').metadata.get('definition')).toBe(measureDef('AVERAGE_STARS').definition);
    expect(field('average_stars').metadata.get('unit')).toBe('stars');
    expect(field('kecamatan').metadata.get('definition')).toBe('dimension KECAMATAN');
    expect(field('average_stars_suppressed').metadata.get('definition')).toMatch(/suppressed/);
    expect(schema.metadata.get('producer')).toBe(PRODUCER);
    expect(schema.metadata.get('licence')).toBe(LICENCE);
    expect(schema.metadata.get('dataAsOf')).toBe('');
    expect((JSON.parse(schema.metadata.get('definitions')!) as { column: string }[]).map((d) => d.column)).toEqual(['kecamatan_code, kecamatan', 'month', 'tickets_completed', 'average_stars']);
  });
});
