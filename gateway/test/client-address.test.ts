import type http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readGatewayConfig } from '../src/config';
import { clientAddress, compileTrustProxy, type TrustProxySetting } from '../src/edge/request';
import { startPlacesAndPeople } from './support/fixtures';
import { ifStarted } from '@gerbang/testing';

/**
 * The client address behind reverse proxies: X-Forwarded-For is read from the right, trusting
 * only the entries our own proxies wrote (TRUST_PROXY). The leftmost entry is whatever the
 * client sent: it must change neither the rate-limit key nor the address the ratings' anomaly
 * rules see.
 */
const req = (socket: string, forwarded?: string) =>
  ({ headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded }, socket: { remoteAddress: socket }, connection: { remoteAddress: socket } }) as unknown as http.IncomingMessage;
const address = (setting: TrustProxySetting, socket: string, forwarded?: string) => clientAddress(req(socket, forwarded), compileTrustProxy(setting));

describe('clientAddress', () => {
  it('is the connection when no proxy is trusted, whatever the header says', () => {
    expect(address(false, '203.0.113.7', '198.51.100.1')).toBe('203.0.113.7');
  });

  it('takes the entry the one trusted proxy wrote (TRUST_PROXY=1 or true), not what the client wrote before it', () => {
    expect(address(1, '10.0.0.2', '203.0.113.7')).toBe('203.0.113.7');
    expect(address(1, '10.0.0.2', '198.51.100.1, 203.0.113.7')).toBe('203.0.113.7');
    expect(address(true, '10.0.0.2', '198.51.100.1, 198.51.100.2, 203.0.113.7')).toBe('203.0.113.7');
    // The proxy did not add the header (a direct connection to it): the connection is the client.
    expect(address(1, '203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts N hops from the right (a CDN in front of a load balancer: TRUST_PROXY=2)', () => {
    expect(address(2, '10.0.0.2', '198.51.100.1, 203.0.113.7, 192.0.2.10')).toBe('203.0.113.7');
    expect(address(2, '10.0.0.2', '203.0.113.7, 192.0.2.10')).toBe('203.0.113.7');
  });

  it('trusts listed proxy addresses and ranges only', () => {
    const ours = ['loopback', '10.0.0.0/8'];
    expect(address(ours, '127.0.0.1', '198.51.100.1, 203.0.113.7, 10.0.0.2')).toBe('203.0.113.7');
    // A connection from elsewhere is not our proxy: its header is not believed.
    expect(address(ours, '203.0.113.99', '198.51.100.1')).toBe('203.0.113.99');
  });

  it('reports an IPv4 client of a dual-stack socket as IPv4', () => {
    expect(address(false, '::ffff:203.0.113.9')).toBe('203.0.113.9');
  });
});

describe('TRUST_PROXY', () => {
  it('is off by default; true is one proxy; a number counts proxies; a list names them', () => {
    expect(readGatewayConfig({}).TRUST_PROXY).toBe(false);
    expect(readGatewayConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(readGatewayConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(1);
    expect(readGatewayConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(readGatewayConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8, 2001:db8::/32' }).TRUST_PROXY).toEqual(['loopback', '10.0.0.0/8', '2001:db8::/32']);
  });

  it('refuses what is neither', () => {
    expect(() => readGatewayConfig({ TRUST_PROXY: 'all' })).toThrow(/TRUST_PROXY: is true\/false, a number of proxies, or a comma-separated list/);
    expect(() => readGatewayConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY/);
    expect(() => readGatewayConfig({ TRUST_PROXY: '100' })).toThrow(/TRUST_PROXY: 100 proxies/);
  });
});

describe('a forged X-Forwarded-For behind one proxy (TRUST_PROXY=1)', () => {
  let graph: Awaited<ReturnType<typeof startPlacesAndPeople>>;
  beforeAll(async () => {
    // The test client stands for the proxy (its loopback connection is the trusted hop): it
    // appends the real client's address, after whatever the client itself sent.
    graph = await startPlacesAndPeople({ gateway: { trustProxy: 1, rateLimit: { userPerMinute: 100, userBurst: 0, anonymousPerMinute: 4, clientPerMinute: 10_000 } } });
  });
  afterAll(() => ifStarted(graph)?.close());
  beforeEach(() => {
    graph.people.calls.length = 0;
  });
  const forged = (i: number) => `198.51.100.${i}`;

  it('does not change the anonymous rate-limit key: rotating it leaves the caller in one bucket', async () => {
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push((await graph.gw.gql('{ agencies { id } }', { headers: { 'x-forwarded-for': `${forged(i)}, 203.0.113.50` } })).status);
    // 4 per minute plus a burst of 2, whatever the leftmost entry said.
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    // Another client behind the same proxy has a bucket of its own.
    expect((await graph.gw.gql('{ agencies { id } }', { headers: { 'x-forwarded-for': `${forged(1)}, 203.0.113.51` } })).status).toBe(200);
  });

  it("does not change the address passed to subgraphs (the ratings' device and address rules)", async () => {
    for (let i = 0; i < 3; i++) {
      await graph.gw.gql('mutation { requestDocument(type: "KK") }', { login: 'warga.siti', headers: { 'x-device-id': 'android-7f3a9c21', 'x-forwarded-for': `${forged(i)}, 203.0.113.60` } });
    }
    expect(graph.people.calls.map((c) => c.caller.ip)).toEqual(['203.0.113.60', '203.0.113.60', '203.0.113.60']);
  });
});
