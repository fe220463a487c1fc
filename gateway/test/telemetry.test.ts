import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { startTelemetry, type Telemetry } from '../src/edge/telemetry';
import { buildManifest, Safelist } from '../src/edge/persisted';
import { PEOPLE_SDL, peopleResolvers, PLACES_SDL, placesResolvers, startGateway, startSubgraph, type FixtureSubgraph, type TestGateway } from './support/fixtures';
import { ifStarted } from '@gerbang/testing';

const exporter = new InMemorySpanExporter();
let telemetry: Telemetry | undefined;
let places: FixtureSubgraph;
let people: FixtureSubgraph;
let gw: TestGateway;

beforeAll(async () => {
  telemetry = await startTelemetry({ serviceName: 'gerbang-gateway-test', exporter });
  places = await startSubgraph('places', PLACES_SDL, placesResolvers());
  people = await startSubgraph('people', PEOPLE_SDL, peopleResolvers);
  gw = await startGateway([places, people], {
    persisted: { enforce: false, safelist: new Safelist(buildManifest(['query FindAgency { agencies { id } }'])) },
    metricsToken: 'metrics-token-for-tests-0001',
  });
});
afterAll(async () => {
  await ifStarted(gw)?.close();
  await ifStarted(places)?.stop();
  await ifStarted(people)?.stop();
  await telemetry?.shutdown();
});

describe('OpenTelemetry', () => {
  it("sends no usage metrics to Apollo: @apollo/gateway's data collection (and its cloud-metadata probes) is off unless asked for", () => {
    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('true');
  });

  it('does nothing without an endpoint', async () => {
    expect(await startTelemetry({ serviceName: 'x' })).toBeUndefined();
  });

  it("traces the request with the gateway's phases and passes trace context to subgraphs", async () => {
    exporter.reset();
    await gw.gql('query FindAgency { agencies { id } }');
    const names = exporter.getFinishedSpans().map((s) => s.name);
    expect(names).toContain('POST /graphql');
    expect(names).toEqual(expect.arrayContaining(['gateway.request', 'gateway.plan', 'gateway.fetch']));
    const root = exporter.getFinishedSpans().find((s) => s.name === 'POST /graphql')!;
    expect(
      exporter
        .getFinishedSpans()
        .find((s) => s.name === 'gateway.request')!
        .spanContext().traceId,
    ).toBe(root.spanContext().traceId);
    // What reached the subgraphs: W3C trace context of this request.
    const seen = [...places.calls, ...people.calls].map((c) => c.traceparent ?? '');
    expect(seen.some((t) => t.includes(root.spanContext().traceId))).toBe(true);
  });
});

describe('/metrics', () => {
  it('requires the metrics token when one is set', async () => {
    expect((await fetch(gw.url.replace('/graphql', '/metrics'))).status).toBe(401);
  });

  it('exposes requests, latency per operation and per subgraph, and errors by code', async () => {
    await gw.gql('query FindAgency { agencies { id } }');
    await gw.gql('{ me { nik } }');
    await gw.gql(`query ${'X'.repeat(10)} { agencies { id } }`);
    const res = await fetch(gw.url.replace('/graphql', '/metrics'), { headers: { authorization: 'Bearer metrics-token-for-tests-0001' } });
    const text = await res.text();
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    expect(text).toMatch(/gerbang_gateway_requests_total\{operation="FindAgency",status="200"\} [1-9]/);
    expect(text).toMatch(/gerbang_gateway_request_duration_seconds_bucket\{le="[0-9.]+",operation="FindAgency"\}/);
    expect(text).toMatch(/gerbang_gateway_subgraph_request_duration_seconds_count\{subgraph="places",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/gerbang_gateway_errors_total\{code="UNAUTHENTICATED"\} 1/);
    expect(text).toMatch(/gerbang_gateway_circuit_state\{subgraph="places"\} 0/);
    expect(text).toMatch(/gerbang_gateway_rate_limited_total/);
  });

  it('bounds the operation-name label', () => {
    const m = gw.app.metrics;
    expect(m.operationLabel('FindAgency')).toBe('FindAgency');
    expect(m.operationLabel(null)).toBe('anonymous');
    expect(m.operationLabel('bad name!')).toBe('other');
    for (let i = 0; i < 200; i++) m.operationLabel(`Op${i}`);
    expect(m.operationLabel('OneMore')).toBe('other');
  });
});

describe('production posture at the edge', () => {
  it('echoes an allowed origin and ignores others', async () => {
    const strict = await startGateway([places], { corsOrigins: ['https://portal.trenggalekkab.go.id'] });
    try {
      const pre = await fetch(strict.url, { method: 'OPTIONS', headers: { origin: 'https://portal.trenggalekkab.go.id', 'access-control-request-method': 'POST' } });
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-origin')).toBe('https://portal.trenggalekkab.go.id');
      expect(pre.headers.get('access-control-allow-headers')).toMatch(/authorization/);
      expect(pre.headers.get('access-control-allow-headers')).toMatch(/x-device-id/);
      const evil = await fetch(strict.url, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
      expect(evil.headers.get('access-control-allow-origin')).toBeNull();
      const res = await strict.gql('{ agencies { id } }', { headers: { origin: 'https://evil.example' } });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await strict.close();
    }
  });

  it('answers a simple GET query (it runs as anonymous) and refuses a simple (CSRF-able) POST without a preflight header', async () => {
    const get = await fetch(`${gw.url}?query=${encodeURIComponent('{ agencies { id } }')}`);
    expect(await get.json()).toEqual({ data: { agencies: [{ id: 'dispendukcapil' }] } });
    const form = await fetch(gw.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ agencies { id } }' }) });
    expect(form.status).toBe(400);
    const ok = await fetch(gw.url, { method: 'POST', headers: { 'content-type': 'text/plain', 'apollo-require-preflight': 'true' }, body: JSON.stringify({ query: '{ agencies { id } }' }) });
    expect(await ok.json()).toEqual({ data: { agencies: [{ id: 'dispendukcapil' }] } });
  });

  it('masks unexpected errors', async () => {
    const broken = await startSubgraph('places', PLACES_SDL, {
      Query: {
        agencies: () => {
          throw new Error('connection string postgres://secret@db/x');
        },
      },
    } as never);
    const g = await startGateway([broken]);
    try {
      const { body } = await g.gql('{ agencies { id } }');
      expect(JSON.stringify(body)).not.toMatch(/secret|postgres/);
      expect(body.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await g.close();
      await broken.stop();
    }
  });

  it('refuses a malformed body with BAD_REQUEST', async () => {
    const { status, body } = await gw.post('{"query": ');
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
  });
});
