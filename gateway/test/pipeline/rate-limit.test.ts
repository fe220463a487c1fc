import { describe, expect, it } from 'vitest';
import { RateLimits } from '../../src/edge/rate-limit';
import { batchRateLimit, callerRateLimit, clientBudget } from '../../src/pipeline/rate-limit';
import { citizen, refusalOf, request, runStep } from './support';

const limits = () => new RateLimits({ userPerMinute: 3, userBurst: 0, anonymousPerMinute: 2, clientPerMinute: 1_000 });

function signedIn(ops = 1, client?: string) {
  const { ctx } = request(client ? { headers: { 'apollographql-client-name': client } } : {});
  ctx.caller = citizen;
  ctx.operations = Array.from({ length: ops }, () => ({ op: { query: '{ a }' } }));
  ctx.batch = ops > 1;
  return ctx;
}

describe('rate-limit steps', () => {
  it("spends the caller's own bucket per request, then refuses with 429 RATE_LIMITED", async () => {
    const rl = limits();
    for (let i = 0; i < 3; i++) expect(await runStep(callerRateLimit(rl), signedIn())).toEqual({ passed: true });
    const refusal = await refusalOf(runStep(callerRateLimit(rl), signedIn()));
    expect([refusal.status, refusal.code, refusal.extensions.scope]).toEqual([429, 'RATE_LIMITED', 'user']);
  });

  it('counts a batch of N operations as N requests', async () => {
    const rl = limits();
    const ctx = signedIn(3);
    await runStep(callerRateLimit(rl), ctx);
    expect(await runStep(batchRateLimit(rl), ctx)).toEqual({ passed: true }); // 1 + 2 = 3
    expect((await refusalOf(runStep(callerRateLimit(rl), signedIn()))).code).toBe('RATE_LIMITED');
    // A single operation costs nothing more at the batch step.
    expect(await runStep(batchRateLimit(limits()), signedIn(1))).toEqual({ passed: true });
  });

  it("spends the client application's budget only with a client name", async () => {
    const rl = new RateLimits({ userPerMinute: 100, userBurst: 0, anonymousPerMinute: 100, clientPerMinute: 1 });
    for (let i = 0; i < 5; i++) expect(await runStep(clientBudget(rl), signedIn())).toEqual({ passed: true });
    expect(await runStep(clientBudget(rl), signedIn(1, 'portal'))).toEqual({ passed: true });
  });
});
