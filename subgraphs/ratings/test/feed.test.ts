import { describe, expect, it } from 'vitest';
import { kecamatanOfNik, latestPerTicket, MAX_EVENTS_PER_BATCH, validateBatch } from '../src/modules/tickets/feed';

const event = (over: Record<string, unknown> = {}) => ({
  ticketId: 'dispendukcapil:SIAK-2026-000101',
  citizenNik: '3503115708900001',
  serviceId: 'dispendukcapil.ktp-el',
  officerId: '198703152010011002',
  status: 'COMPLETED',
  submittedAt: '2026-11-18T09:00:00+07:00',
  completedAt: '2026-11-20T10:00:00+07:00',
  version: 3,
  ...over,
});
const batch = (...events: unknown[]) => ({ agencyId: 'dispendukcapil', events });
const reasons = (raw: unknown) => {
  const v = validateBatch(raw);
  return v.ok ? [] : v.reasons;
};

describe('ticket feed batch validation', () => {
  it('refuses ids PostgreSQL cannot store (NUL, unpaired surrogates) with the reason', () => {
    expect(reasons(batch(event({ ticketId: 'dispendukcapil:SIAK\u0000-1', serviceId: 'dispendukcapil.ktp\ud800' })))).toEqual([
      'events[0].ticketId: must not contain the NUL character (U+0000)',
      'events[0].serviceId: must be valid Unicode text (it holds an unpaired surrogate)',
    ]);
  });

  it('accepts a well-formed batch', () => {
    const v = validateBatch(batch(event(), event({ ticketId: 'dispendukcapil:SIAK-2026-000102', status: 'IN_PROGRESS', completedAt: null, officerId: null })));
    expect(v.ok).toBe(true);
    if (v.ok) {
      expect(v.agencyId).toBe('dispendukcapil');
      expect(v.events[0]!.completedAt).toEqual(new Date('2026-11-20T03:00:00Z'));
      expect(v.events[1]!.officerId).toBeNull();
    }
  });

  it('carries kecamatan and channel: as sent, else from a Trenggalek NIK and UNKNOWN', () => {
    const v = validateBatch(
      batch(event({ kecamatan: 4, channel: 'COUNTER' }), event({ ticketId: 'dispendukcapil:SIAK-2', citizenNik: '3578015708900001' }), event({ ticketId: 'dispendukcapil:SIAK-3' })),
    );
    expect(v.ok && v.events.map((e) => [e.kecamatan, e.channel])).toEqual([
      [4, 'COUNTER'],
      [0, 'UNKNOWN'],
      [11, 'UNKNOWN'],
    ]);
    expect(kecamatanOfNik('3503145708900001')).toBe(14);
    expect(kecamatanOfNik('3503155708900001')).toBe(0);
    expect(reasons(batch(event({ kecamatan: 15 })))).toEqual([expect.stringContaining('events[0].kecamatan')]);
    expect(reasons(batch(event({ kecamatan: 2.5 })))).toEqual([expect.stringContaining('events[0].kecamatan')]);
    expect(reasons(batch(event({ channel: 'app' })))).toEqual([expect.stringContaining('events[0].channel')]);
  });

  it("refuses tickets of another agency's prefix", () => {
    expect(reasons(batch(event({ ticketId: 'dpmptsp:OSS-1' })))).toEqual([expect.stringContaining('events[0].ticketId')]);
    expect(reasons(batch(event({ ticketId: 'dispendukcapil:' })))).toHaveLength(1);
    expect(reasons(batch(event({ ticketId: 'dispendukcapilX:1' })))).toHaveLength(1);
  });

  it('refuses a service of another agency', () => {
    expect(reasons(batch(event({ serviceId: 'dpmptsp.pbg' })))).toEqual([expect.stringContaining('serviceId')]);
  });

  it('gives every reason, per event and field', () => {
    const r = reasons(batch(event(), event({ citizenNik: '123', officerId: 'x', status: 'DONE', submittedAt: 'yesterday', version: -1 })));
    expect(r).toEqual([
      expect.stringContaining('events[1].citizenNik'),
      expect.stringContaining('events[1].officerId'),
      expect.stringContaining('events[1].status'),
      expect.stringContaining('events[1].submittedAt'),
      expect.stringContaining('events[1].version'),
    ]);
  });

  it('requires completedAt on a completed ticket and an offset on every time', () => {
    expect(reasons(batch(event({ completedAt: null })))).toEqual([expect.stringContaining('completedAt')]);
    expect(reasons(batch(event({ completedAt: '2026-11-20T10:00:00' })))).toEqual([expect.stringContaining('completedAt')]);
  });

  it('refuses a missing agency, empty or oversized batches', () => {
    expect(reasons({ events: [event()] })).toEqual([expect.stringContaining('agencyId')]);
    expect(reasons(batch())).toEqual([expect.stringContaining('events')]);
    expect(reasons({ agencyId: 'dispendukcapil', events: Array(MAX_EVENTS_PER_BATCH + 1).fill(event()) })).toHaveLength(1);
    expect(reasons(null)).toHaveLength(1);
  });

  it('keeps the highest version of a ticket that appears twice in one batch', () => {
    const v = validateBatch(batch(event({ version: 5, status: 'COMPLETED' }), event({ version: 4, status: 'IN_PROGRESS', completedAt: null })));
    expect(v.ok && v.events).toEqual([expect.objectContaining({ version: 5, status: 'COMPLETED' })]);
    expect(latestPerTicket([])).toEqual([]);
  });
});
