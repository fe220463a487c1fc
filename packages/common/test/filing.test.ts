import { describe, expect, it, vi } from 'vitest';
import {
  ANONYMOUS,
  chunks,
  FILING_IDEMPOTENCY_KEY,
  isIdempotencyKey,
  RATING_IDEMPOTENCY_KEY,
  requireCitizen,
  requireIdempotencyKey,
  syncTicketsSoon,
  type Caller,
  type Logger,
  type TicketSync,
} from '../src';

describe('the idempotency-key rule (one implementation, two lengths)', () => {
  it('takes 8–100 of A-Za-z0-9._:- for citizen filings', () => {
    expect(isIdempotencyKey('a'.repeat(8))).toBe(true);
    expect(isIdempotencyKey('k.1_2:3-4', FILING_IDEMPOTENCY_KEY)).toBe(true);
    expect(isIdempotencyKey('a'.repeat(100))).toBe(true);
    expect(isIdempotencyKey('a'.repeat(7))).toBe(false);
    expect(isIdempotencyKey('a'.repeat(101))).toBe(false);
    expect(isIdempotencyKey('abcdefgh ')).toBe(false);
    expect(isIdempotencyKey('abcdéfgh')).toBe(false);
  });

  it('takes 1–128 for ratings', () => {
    expect(isIdempotencyKey('a', RATING_IDEMPOTENCY_KEY)).toBe(true);
    expect(isIdempotencyKey('a'.repeat(128), RATING_IDEMPOTENCY_KEY)).toBe(true);
    expect(isIdempotencyKey('', RATING_IDEMPOTENCY_KEY)).toBe(false);
    expect(isIdempotencyKey('a'.repeat(129), RATING_IDEMPOTENCY_KEY)).toBe(false);
  });

  it('refuses a bad key with BAD_USER_INPUT naming the field', () => {
    expect(requireIdempotencyKey('retry-key-1')).toBe('retry-key-1');
    expect(() => requireIdempotencyKey('short')).toThrow(
      expect.objectContaining({
        message: 'idempotencyKey must be 8–100 letters, digits or ._:-',
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' }),
      }),
    );
  });
});

describe('requireCitizen', () => {
  const citizen: Caller = { sub: 'usr-warga-siti', roles: ['citizen'], nik: '3503115507900002' };
  it('returns the verified citizen, refuses anyone else', () => {
    expect(requireCitizen(citizen, 'file')).toEqual({ sub: 'usr-warga-siti', nik: '3503115507900002' });
    expect(() => requireCitizen(ANONYMOUS, 'file')).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }));
    expect(() => requireCitizen({ sub: 'usr-petugas', roles: ['officer'] }, 'request documents')).toThrow(
      expect.objectContaining({ message: 'Only citizens can request documents.', extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }),
    );
    expect(() => requireCitizen({ sub: 'usr-x', roles: ['citizen'] }, 'file')).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }));
  });
});

describe('syncTicketsSoon', () => {
  it('starts a sync and logs, never throws, when it fails', async () => {
    const warn = vi.fn();
    const syncNow = vi.fn(() => Promise.reject(new Error('feed down')));
    syncTicketsSoon({ syncNow } as unknown as TicketSync, { warn } as unknown as Logger, 'booking');
    expect(syncNow).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(warn).toHaveBeenCalledWith({ err: expect.any(Error) }, 'ticket sync after booking failed'));
    expect(() => syncTicketsSoon(undefined, { warn } as unknown as Logger)).not.toThrow();
  });
});

describe('chunks', () => {
  it('slices in order, the last slice shorter', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunks([], 3)).toEqual([]);
    expect(() => chunks([1], 0)).toThrow(RangeError);
  });
});
