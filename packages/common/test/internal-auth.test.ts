import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CALLER_HEADER, encodeCaller, InternalAuthError, MemoryNonceStore, RequestVerifier, SIGNATURE_HEADER, signRequest, verifierFromSecret } from '../src';

const OLD = 'old-internal-signing-secret-0123';
const NEW = 'new-internal-signing-secret-4567';
const body = '{"query":"{ me { nik } }"}';
const siti = { sub: 'usr-warga-siti', roles: ['citizen' as const], nik: '3503115708900001' };
const verifier = (secrets = [NEW, OLD]) => new RequestVerifier({ secrets, nonces: new MemoryNonceStore() });
const reasonOf = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (e: unknown) => (e instanceof InternalAuthError ? e.reason : String(e)),
  );

describe('signatures bound to their audience', () => {
  it('are accepted by the service they were signed for', async () => {
    await expect(verifier().verify(signRequest(NEW, body, siti, 'ratings'), body, 'ratings')).resolves.toMatchObject({ sub: 'usr-warga-siti' });
  });

  // Before: every subgraph shares the secret and keeps its own nonces, so a call captured on its
  // way to ratings passed authentication at directory, population or staff.
  it('are refused by another service, with the reason', async () => {
    const headers = signRequest(NEW, body, siti, 'ratings');
    expect(await reasonOf(verifier().verify(headers, body, 'directory'))).toBe('audience');
    // Rewriting the audience to the other service's name breaks the MAC.
    const rewritten = { ...headers, [SIGNATURE_HEADER]: headers[SIGNATURE_HEADER]!.replace(',a=ratings,', ',a=directory,') };
    expect(await reasonOf(verifier().verify(rewritten, body, 'directory'))).toBe('forged');
    // The refusal spent no nonce: the call still reaches the service it was for.
    const v = verifier();
    expect(await reasonOf(v.verify(headers, body, 'population'))).toBe('audience');
    expect(await reasonOf(v.verify(headers, body, 'ratings'))).toBe('accepted');
  });

  it('refuse v1 signatures, which named no audience', async () => {
    const t = Math.floor(Date.now() / 1000);
    const callerHeader = encodeCaller(siti);
    const sha = createHash('sha256').update(body).digest('base64url');
    const s = createHmac('sha256', NEW).update(`v1.${t}.nonce-0001.${sha}.${callerHeader}`).digest('base64url');
    const v1 = { [CALLER_HEADER]: callerHeader, [SIGNATURE_HEADER]: `v1,t=${t},n=nonce-0001,s=${s}` };
    expect(await reasonOf(verifier().verify(v1, body, 'directory'))).toBe('malformed');
  });

  it('keep rotation working: the current and older secrets verify, others do not', async () => {
    const v = verifierFromSecret(`${NEW}, ${OLD}`);
    expect(await reasonOf(v.verify(signRequest(OLD, body, siti, 'staff'), body, 'staff'))).toBe('accepted');
    expect(await reasonOf(v.verify(signRequest(NEW, body, siti, 'staff'), body, 'staff'))).toBe('accepted');
    expect(await reasonOf(v.verify(signRequest('another-secret-0123456789', body, siti, 'staff'), body, 'staff'))).toBe('forged');
  });

  it('name their audience in a fixed alphabet', () => {
    for (const audience of ['land-tax', 'ratings:ticket-feed']) expect(() => signRequest(NEW, body, siti, audience)).not.toThrow();
    for (const audience of ['', 'a,s=x', 'a.b', 'x'.repeat(65)]) expect(() => signRequest(NEW, body, siti, audience)).toThrow(/audience/);
  });
});
