import { describe, expect, it } from 'vitest';
import { clientContext } from '../../src/pipeline/client-context';
import { citizen, refusalOf, request, runStep } from './support';

const decoded = (header: string | undefined) => JSON.parse(Buffer.from(header ?? '', 'base64url').toString('utf8')) as unknown;

describe('client context step', () => {
  it('signs queries with the caller alone, the same header each time', async () => {
    const a = request({ headers: { 'x-device-id': 'device-123456' } }).ctx;
    const b = request().ctx;
    a.caller = b.caller = citizen;
    await runStep(clientContext, a);
    await runStep(clientContext, b);
    expect(decoded(a.callerHeader)).toEqual(citizen);
    expect(b.callerHeader).toBe(a.callerHeader);
  });

  it("tells subgraphs a mutation's public address and device id, and refuses a malformed device id", async () => {
    const { ctx } = request({ headers: { 'x-device-id': 'device-123456' } });
    ctx.caller = citizen;
    ctx.mutation = true;
    await runStep(clientContext, ctx);
    expect(decoded(ctx.callerHeader)).toEqual({ ...citizen, ip: '203.0.113.7', deviceId: 'device-123456' });
    const bad = request({ headers: { 'x-device-id': 'no spaces allowed' } }).ctx;
    bad.caller = citizen;
    bad.mutation = true;
    const refusal = await refusalOf(runStep(clientContext, bad));
    expect([refusal.code, refusal.extensions]).toEqual(['BAD_USER_INPUT', { field: 'X-Device-Id' }]);
  });
});
