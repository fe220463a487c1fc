import { describe, expect, it } from 'vitest';
import { Sealer, UnsealError } from '../src/lib/sealed';

const SECRET = 'a-pepper-for-the-sealing-tests-0123';
const NIK = '3503115708900001';

describe('Sealer (AES-256-GCM, key by HKDF)', () => {
  const sealer = new Sealer(SECRET, 'register-check');

  it('opens what it sealed, for the same row', () => {
    const sealed = sealer.seal(JSON.stringify({ nik: NIK }), 'rating-1');
    expect(JSON.parse(sealer.open(sealed, 'rating-1'))).toEqual({ nik: NIK });
    // Another instance from the same secret and purpose: after a restart, pending values still open.
    expect(new Sealer(SECRET, 'register-check').open(sealed, 'rating-1')).toBe(JSON.stringify({ nik: NIK }));
  });

  it('never stores the plaintext, and seals the same value differently each time (random IV)', () => {
    const a = sealer.seal(NIK, 'rating-1');
    const b = sealer.seal(NIK, 'rating-1');
    expect(a.equals(b)).toBe(false);
    expect(a.toString('latin1')).not.toContain(NIK);
    expect(a.toString('base64')).not.toContain(Buffer.from(NIK).toString('base64'));
    expect(a.length).toBe(1 + 12 + 16 + NIK.length);
  });

  it('refuses a value altered anywhere: version, IV, tag or ciphertext', () => {
    const sealed = sealer.seal(NIK, 'rating-1');
    for (const at of [0, 1, 13, 29, sealed.length - 1]) {
      const tampered = Buffer.from(sealed);
      tampered[at] = tampered[at]! ^ 0x01;
      expect(() => sealer.open(tampered, 'rating-1'), `byte ${at}`).toThrow(UnsealError);
    }
    expect(() => sealer.open(sealed.subarray(0, 20), 'rating-1')).toThrow(/too short/);
    expect(() => sealer.open(sealed.subarray(0, sealed.length - 1), 'rating-1')).toThrow(/authentication failed/);
  });

  it('refuses a value moved to another row (bound by the associated data)', () => {
    expect(() => sealer.open(sealer.seal(NIK, 'rating-1'), 'rating-2')).toThrow(/authentication failed/);
  });

  it('refuses a value sealed under another secret or for another purpose', () => {
    const sealed = sealer.seal(NIK, 'rating-1');
    expect(() => new Sealer('another-pepper-0123456789abcdef', 'register-check').open(sealed, 'rating-1')).toThrow(UnsealError);
    expect(() => new Sealer(SECRET, 'something-else').open(sealed, 'rating-1')).toThrow(UnsealError);
  });
});
