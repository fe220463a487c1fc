import * as crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bearerMatches, secretEquals } from '../src/secret-compare';

// The real timingSafeEqual, watched: every comparison must go through it with equal-length inputs.
vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) };
});
const timingSafeEqual = vi.mocked(crypto.timingSafeEqual);
afterEach(() => timingSafeEqual.mockClear());

const TOKEN = 'metrics-token-0123456789abcdef';

describe('secretEquals', () => {
  it('accepts the right secret', () => {
    expect(secretEquals(TOKEN, TOKEN)).toBe(true);
  });

  it('refuses a wrong secret of the same length', () => {
    expect(secretEquals(`${TOKEN.slice(0, -1)}X`, TOKEN)).toBe(false);
    expect(secretEquals(`X${TOKEN.slice(1)}`, TOKEN)).toBe(false);
  });

  it('refuses secrets of another length: a prefix, the secret with more, a short guess, a long one', () => {
    for (const guess of [TOKEN.slice(0, -1), `${TOKEN}0`, 'x', 'y'.repeat(4_096)]) expect(secretEquals(guess, TOKEN)).toBe(false);
  });

  it('compares equal-length digests in constant time whatever the lengths (no early answer from the length)', () => {
    for (const guess of [TOKEN, `${TOKEN.slice(0, -1)}X`, TOKEN.slice(0, 3), `${TOKEN}${TOKEN}`]) secretEquals(guess, TOKEN);
    expect(timingSafeEqual).toHaveBeenCalledTimes(4);
    for (const [a, b] of timingSafeEqual.mock.calls) {
      expect((a as Buffer).length).toBe(32);
      expect((b as Buffer).length).toBe(32);
    }
  });

  it('never matches an absent or empty value, nor an empty secret', () => {
    expect(secretEquals(undefined, TOKEN)).toBe(false);
    expect(secretEquals('', TOKEN)).toBe(false);
    expect(secretEquals('', '')).toBe(false);
  });
});

describe('bearerMatches', () => {
  it('accepts "Bearer <token>" only', () => {
    expect(bearerMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`Bearer ${TOKEN.slice(0, -1)}X`, TOKEN)).toBe(false);
    expect(bearerMatches(`Bearer ${TOKEN}x`, TOKEN)).toBe(false);
    expect(bearerMatches(`Bearer ${TOKEN.slice(0, 8)}`, TOKEN)).toBe(false);
    expect(bearerMatches(`Basic ${TOKEN}`, TOKEN)).toBe(false);
    expect(bearerMatches(TOKEN, TOKEN)).toBe(false);
    expect(bearerMatches('Bearer ', TOKEN)).toBe(false);
    expect(bearerMatches(undefined, TOKEN)).toBe(false);
  });
});
