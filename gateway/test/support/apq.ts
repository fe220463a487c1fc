import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import type { TestGateway } from './fixtures';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** An automatic persisted query's life: unknown hash, registered with its text, then served by hash. Returns the hash. */
export async function apqRoundTrip(gw: TestGateway): Promise<string> {
  const query = `{ agencies { id } } # ${Math.random()}`;
  const hash = sha256(query);
  const ext = { persistedQuery: { version: 1, sha256Hash: hash } };
  const miss = await gw.post({ extensions: ext });
  expect(miss.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  const register = await gw.post({ query, extensions: ext });
  expect(register.body.data.agencies[0].id).toBe('dispendukcapil');
  const hit = await gw.post({ extensions: ext });
  expect(hit.body).toEqual({ data: { agencies: [{ id: 'dispendukcapil' }] } });
  return hash;
}
