import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { createLogger } from '@gerbang/common';
import { callSubgraph, TEST_INTERNAL_SECRET } from '@gerbang/testing';
import { createGateway, Identity, MemoryAccessLog, type GatewayOptions } from '@gerbang/gateway';
import type { Stack } from './stack';

/**
 * A second gateway over the e2e stack's subgraphs, configured differently (production mode, low
 * rate limits…): the supergraph is composed again from each subgraph's `_service { sdl }`, asked
 * with a signed call like the gateway's own.
 */
export async function gatewayOver(stack: Stack, overrides: Partial<GatewayOptions>) {
  const services = [];
  for (const [name, url] of Object.entries(stack.subgraphUrls)) {
    const base = url.replace(/\/graphql$/, '');
    const { body } = await callSubgraph<{ _service: { sdl: string } }>(base, '{ _service { sdl } }', { audience: name });
    services.push({ name, url, typeDefs: parse(body.data!._service.sdl) });
  }
  const composed = composeServices(services);
  if (composed.errors?.length) throw new Error(composed.errors.map((e) => e.message).join('; '));
  const accessLog = new MemoryAccessLog();
  const app = await createGateway({
    logger: createLogger('gateway', 'silent'),
    identity: Identity.fromJwks(stack.idp.jwks(), { issuer: stack.idp.issuer, audience: stack.idp.audience }),
    supergraph: { sdl: composed.supergraphSdl! },
    internalSecret: TEST_INTERNAL_SECRET,
    accessLog,
    ...overrides,
  });
  const running = await app.listen(0);
  return {
    url: `${running.url}/graphql`,
    app,
    accessLog,
    async post(body: unknown, headers: Record<string, string> = {}) {
      const res = await fetch(`${running.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      return { status: res.status, headers: res.headers, body: (await res.json()) as any };
    },
    close: () => running.close(),
  };
}
