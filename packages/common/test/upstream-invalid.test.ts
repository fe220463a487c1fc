import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '../src/logger';
import { formatWirePath, parseWire, Upstream, UpstreamInvalidError } from '../src/upstream';

const Reply = z.object({ data: z.array(z.object({ nik: z.string(), jenis_kelamin: z.enum(['LAKI-LAKI', 'PEREMPUAN']) })) });

describe('a reply that breaks an agency system interface', () => {
  it('names the first bad field as the wire format names it, without repeating its value', () => {
    expect(formatWirePath(['data', 0, 'jenis_kelamin'])).toBe('data[0].jenis_kelamin');
    expect(formatWirePath([2, 'status'])).toBe('[2].status');
    expect(formatWirePath([])).toBe('');
    const err = (() => {
      try {
        parseWire('Dispendukcapil SIAK', Reply, {
          data: [
            { nik: '3503115708900001', jenis_kelamin: 'PEREMPUAN' },
            { nik: '3503115708900002', jenis_kelamin: 'RAHASIA-42' },
          ],
        });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(UpstreamInvalidError);
    expect(err).toMatchObject({
      message: 'Dispendukcapil SIAK sent a reply that does not match its interface (at data[1].jenis_kelamin).',
      extensions: { code: 'UPSTREAM_INVALID', service: 'Dispendukcapil SIAK', wirePath: 'data[1].jenis_kelamin' },
    });
    expect(JSON.stringify((err as UpstreamInvalidError).extensions)).not.toContain('RAHASIA-42');
    expect(parseWire('SIAK', Reply, { data: [] }, 'response')).toEqual({ data: [] });
    expect(() => parseWire('SIAK', Reply, {}, 'response')).toThrow(expect.objectContaining({ wirePath: 'response.data' }) as Error);
  });

  it('is not retried, counts against the breaker and is logged as a warning naming the system and the field', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const upstream = new Upstream({ service: 'OSS RBA', retries: 2, retryDelayMs: 1, breaker: { volumeThreshold: 2 }, logger: createLogger('test', 'warn', sink) });
    try {
      const call = () => upstream.call(() => Promise.resolve(parseWire('OSS RBA', Reply, { data: 'none' })), { idempotent: true });
      await expect(call()).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_INVALID', wirePath: 'data' } });
      expect(upstream.attempts).toBe(1);
      await expect(call()).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_INVALID' } });
      expect(upstream.state).toBe('open');
      await expect(call()).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', reason: 'circuit open' } });
      expect(upstream.snapshot().lastFailure).toMatch(/OSS RBA sent a reply that does not match its interface/);
      const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(logged).toHaveLength(2);
      expect(logged[0]).toMatchObject({ level: 'warn', service: 'OSS RBA', wirePath: 'data', msg: 'agency system sent a reply that does not match its interface' });
    } finally {
      upstream.shutdown();
    }
  });
});
