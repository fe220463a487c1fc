import { describe, expect, it } from 'vitest';
import { csrf, httpMethod, serverSpan } from '../../src/pipeline/http';
import { refusalOf, request, runStep } from './support';

describe('method, CSRF and span steps', () => {
  it('accepts GET and POST, refuses other methods with 405 and Allow', async () => {
    expect(await runStep(httpMethod, request({ method: 'GET' }).ctx)).toEqual({ passed: true });
    expect(await runStep(httpMethod, request({ method: 'POST' }).ctx)).toEqual({ passed: true });
    const refusal = await refusalOf(runStep(httpMethod, request({ method: 'PUT' }).ctx));
    expect([refusal.status, refusal.code, refusal.headers]).toEqual([405, 'METHOD_NOT_ALLOWED', { allow: 'GET, POST' }]);
  });

  it('refuses a POST a browser could send cross-site without a preflight', async () => {
    expect(await runStep(csrf, request({ headers: { 'content-type': 'application/json' } }).ctx)).toEqual({ passed: true });
    const refusal = await refusalOf(runStep(csrf, request({ headers: { 'content-type': 'text/plain' } }).ctx));
    expect([refusal.status, refusal.code]).toEqual([400, 'BAD_REQUEST']);
    expect(await runStep(csrf, request({ headers: { 'content-type': 'text/plain', 'apollo-require-preflight': 'true' } }).ctx)).toEqual({ passed: true });
  });

  it('runs the rest inside the span and passes its refusal on', async () => {
    expect(await runStep(serverSpan, request().ctx)).toEqual({ passed: true });
    await expect(
      serverSpan.run(request().ctx, async () => {
        throw new Error('later step failed');
      }),
    ).rejects.toThrow('later step failed');
  });
});
