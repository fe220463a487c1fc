import { describe, expect, it } from 'vitest';
import { agencyExportRequest } from '../src/edge/agency-export';
import { EdgeRefusal } from '../src/edge/refusal';

/**
 * Which path a POST /insights/export body takes (edge/agency-export.ts): a question naming agency
 * measures is the gateway's, anything else goes to the insights subgraph's cube export untouched,
 * and a question mixing the two is refused. The exports themselves: test/agency-insights.e2e.test.ts.
 */
const body = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
const refusal = (value: unknown) => {
  try {
    agencyExportRequest(body(value));
  } catch (err) {
    expect(err).toBeInstanceOf(EdgeRefusal);
    const e = err as EdgeRefusal;
    return { status: e.status, code: e.code, field: e.extensions.field, message: e.message };
  }
  throw new Error('not refused');
};
const question = { measures: ['PERMITS_ISSUED'], dimensions: ['MONTH'], from: '2026-01', to: '2026-06' };

describe('agencyExportRequest', () => {
  it('leaves cube questions, and bodies that are no question at all, to the insights subgraph', () => {
    for (const b of [
      { question: { measures: ['TICKETS_COMPLETED'], dimensions: ['AGENCY'], from: '2026-01', to: '2026-06' }, format: 'csv' },
      { question: { measures: ['NOT_A_MEASURE'] } },
      { question: 'PERMITS_ISSUED' },
      { format: 'csv' },
      [question],
      'not json',
    ])
      expect(agencyExportRequest(body(b))).toBeUndefined();
  });

  it('takes a question of agency measures, csv by default, the cube defaults (empty filter and sort) allowed', () => {
    expect(agencyExportRequest(body({ question }))).toEqual({ question, format: 'csv' });
    expect(agencyExportRequest(body({ question: { ...question, dimensions: undefined, filter: {}, sort: [], compare: null }, format: 'arrow' }))).toEqual({
      question: { ...question, dimensions: [] },
      format: 'arrow',
    });
  });

  it('refuses a question mixing agency and cube measures, naming both and what to do', () => {
    const r = refusal({ question: { ...question, measures: ['PERMITS_ISSUED', 'CLINIC_BOOKINGS', 'TICKETS_COMPLETED'] } });
    expect(r).toMatchObject({ status: 400, code: 'BAD_USER_INPUT', field: 'measures' });
    expect(r.message).toContain('PERMITS_ISSUED, CLINIC_BOOKINGS are agency measures and TICKETS_COMPLETED is not');
    expect(r.message).toContain('two questions');
  });

  it('refuses what an agency question cannot have, naming the field', () => {
    expect(refusal({ question: { ...question, filter: { channel: 'APP' } } })).toMatchObject({ status: 400, field: 'filter' });
    expect(refusal({ question: { ...question, limit: 10 } })).toMatchObject({ status: 400, field: 'limit' });
    expect(refusal({ question: { ...question, dimensions: ['AGENCY'] } })).toMatchObject({ status: 400, field: 'dimensions' });
    expect(refusal({ question: { ...question, from: 202601 } })).toMatchObject({ status: 400, field: 'from' });
    expect(refusal({ question, format: 'parquet' })).toMatchObject({ status: 400, field: 'format' });
  });
});
