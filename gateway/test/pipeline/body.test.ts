import { describe, expect, it } from 'vitest';
import { bodyStep } from '../../src/pipeline/body';
import { refusalOf, request, runStep } from './support';

const step = bodyStep({ maxBodyBytes: 200, maxBatchSize: 2 });

describe('body step', () => {
  it('reads a POST body into the operations, a batch as a batch', async () => {
    const one = request({ body: JSON.stringify({ query: '{ a }', operationName: 'A' }) }).ctx;
    expect(await runStep(step, one)).toEqual({ passed: true });
    expect([one.operations, one.batch]).toEqual([[{ op: { query: '{ a }', operationName: 'A' } }], false]);
    const batch = request({ body: JSON.stringify([{ query: '{ a }' }, { query: '{ b }' }]) }).ctx;
    await runStep(step, batch);
    expect([batch.operations.length, batch.batch]).toEqual([2, true]);
  });

  it('reads a GET from its parameters', async () => {
    const { ctx } = request({ method: 'GET', search: `?query=${encodeURIComponent('{ a }')}&variables=${encodeURIComponent('{"x":1}')}` });
    await runStep(step, ctx);
    expect(ctx.operations[0]?.op).toMatchObject({ query: '{ a }', variables: { x: 1 } });
  });

  it('refuses a body that is not JSON, too large, or a batch too long', async () => {
    const notJson = await refusalOf(runStep(step, request({ body: '{"query":' }).ctx));
    expect([notJson.status, notJson.code]).toEqual([400, 'BAD_REQUEST']);
    const large = await refusalOf(runStep(step, request({ body: JSON.stringify({ query: `{ ${'a '.repeat(200)}}` }) }).ctx));
    expect([large.status, large.code, large.extensions.maxBodyBytes]).toEqual([413, 'QUERY_TOO_COMPLEX', 200]);
    const long = await refusalOf(runStep(step, request({ body: JSON.stringify([{ query: '{a}' }, { query: '{b}' }, { query: '{c}' }]) }).ctx));
    expect([long.code, long.extensions]).toEqual(['QUERY_TOO_COMPLEX', { batchSize: 3, maxBatchSize: 2 }]);
  });
});
