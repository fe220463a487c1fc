import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEV_AUDIENCE, DEV_ISSUER, devIdpKeyFile, loadDevIdp } from '../src/dev-idp';
import { Identity } from '../src/identity';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('development IdP key', () => {
  it('is one key for every process that starts on a fresh DATA_DIR at once (gateway replicas, the demo seed)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gerbang-dev-idp-'));
    dirs.push(dataDir);
    const idps = await Promise.all(Array.from({ length: 8 }, () => loadDevIdp({ dataDir, issuer: DEV_ISSUER, audience: DEV_AUDIENCE })));
    const keys = new Set(idps.map((i) => JSON.stringify(i.publicJwk)));
    expect(keys.size).toBe(1);
    // A token of any of them verifies at any of them: what two gateway replicas need.
    const token = await idps[3]!.issue('warga.siti');
    const identity = Identity.fromJwks(idps[6]!.jwks(), { issuer: DEV_ISSUER, audience: DEV_AUDIENCE });
    await expect(identity.callerFrom(`Bearer ${token}`)).resolves.toMatchObject({ sub: 'usr-warga-siti' });
    // No draft left behind.
    expect(readdirSync(join(dataDir, 'dev-idp'))).toEqual(['key.json']);
    expect(devIdpKeyFile(dataDir)).toBe(join(dataDir, 'dev-idp', 'key.json'));
  });
});
