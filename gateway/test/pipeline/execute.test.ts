import { HeaderMap, type ApolloServer, type HTTPGraphQLRequest } from '@apollo/server';
import { describe, expect, it } from 'vitest';
import { createLogger } from '@gerbang/common';
import type { GatewayContext } from '../../src/context';
import { executeStep } from '../../src/pipeline/execute';
import { citizen, request } from './support';

/** Apollo Server as the step sees it: one request in, one answer out, the context it was given kept. */
function apollo() {
  const seen: { request?: HTTPGraphQLRequest; context?: GatewayContext } = {};
  const server = {
    async executeHTTPGraphQLRequest({ httpGraphQLRequest, context }: { httpGraphQLRequest: HTTPGraphQLRequest; context: () => Promise<GatewayContext> }) {
      seen.request = httpGraphQLRequest;
      seen.context = await context();
      return { status: 200, headers: new HeaderMap([['content-type', 'application/json']]), body: { kind: 'complete' as const, string: '{"data":{"a":1}}' } };
    },
  } as unknown as ApolloServer<GatewayContext>;
  return { server, seen };
}

describe('execute step', () => {
  it("runs the operation with the caller's context, applies the hooks, and writes the answer", async () => {
    const { server, seen } = apollo();
    const { ctx, res } = request({ method: 'GET', search: '?query=%7Ba%7D', headers: { 'apollographql-client-name': 'portal' } });
    ctx.caller = citizen;
    ctx.callerHeader = 'encoded';
    ctx.beforeWrite.push((result) => result.headers.set('gerbang-cache', 'miss'));
    await executeStep(server, createLogger('t', 'silent')).run(ctx, async () => undefined);
    expect([seen.request?.method, seen.request?.search]).toEqual(['GET', '?query=%7Ba%7D']);
    expect(seen.context).toMatchObject({ requestId: 'req-1', caller: citizen, callerHeader: 'encoded', clientName: 'portal' });
    expect([res.statusCode, res.headers['gerbang-cache'], res.headers['x-request-id'], res.body]).toEqual([200, 'miss', 'req-1', '{"data":{"a":1}}']);
  });

  it('refuses to run unsigned: the client context step must have encoded the caller', async () => {
    const { ctx } = request();
    ctx.caller = citizen;
    await expect(executeStep(apollo().server, createLogger('t', 'silent')).run(ctx, async () => undefined)).rejects.toThrow(/client context/);
  });
});
