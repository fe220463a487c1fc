import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Authenticated encryption (AES-256-GCM) of a small value kept only until a pending task is done,
 * bound to the row it belongs to. Used for the NIK a rating's later register check needs: the
 * ratings tables otherwise hold only keyed hashes, and a hash cannot be sent to the register.
 *
 * The key is derived with HKDF-SHA256 from a server secret and a purpose label, so one secret can
 * serve several purposes without two of them ever sharing a key. Layout of a sealed value:
 * version (1 byte) ‖ IV (12) ‖ GCM tag (16) ‖ ciphertext. The associated data (e.g. the rating's
 * id) is authenticated but not stored: a sealed value copied to another row does not open there.
 */
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER = 1 + IV_BYTES + TAG_BYTES;
const SALT = 'gerbang/ratings/sealed';

/** A sealed value that cannot be opened: altered, bound to another row, or sealed under another key. */
export class UnsealError extends Error {
  constructor(reason: string) {
    super(`sealed value refused: ${reason}`);
    this.name = 'UnsealError';
  }
}

export class Sealer {
  private readonly key: Buffer;

  constructor(secret: string, purpose: string) {
    if (!secret) throw new Error('Sealer: a secret is required');
    this.key = Buffer.from(hkdfSync('sha256', secret, SALT, purpose, 32));
  }

  seal(plaintext: string, associatedData: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  open(sealed: Buffer, associatedData: string): string {
    if (sealed.length < HEADER) throw new UnsealError('too short');
    if (sealed[0] !== VERSION) throw new UnsealError(`unknown version ${sealed[0]}`);
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(1, 1 + IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(sealed.subarray(1 + IV_BYTES, HEADER));
    try {
      return Buffer.concat([decipher.update(sealed.subarray(HEADER)), decipher.final()]).toString('utf8');
    } catch {
      // GCM says only that authentication failed: altered bytes, another row's data or another key.
      throw new UnsealError('authentication failed');
    }
  }
}
