import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, memoryLogger, ifStarted } from '@gerbang/testing';
import { MemoryStaffDirectory } from '../src/server';
import { citizen, RATE, startRatings, ticket, type Ratings } from './support';

/**
 * Issue 11, finding 4: a NUL character (U+0000) in a comment, an appeal's reason or a review note
 * reached PostgreSQL, which refuses it in text (SQLSTATE 22021): the client got
 * INTERNAL_SERVER_ERROR and the log a stack trace. Now every text argument of every subgraph is
 * checked at the edge (common's text-input.ts, applied by buildFederatedSchema).
 */
const AGUS = '198703152010011002';
const ENDANG = '198602142011012005';
const log = memoryLogger('ratings');
let r: Ratings;

beforeAll(async () => {
  r = await startRatings({
    now: new Date('2026-03-19T00:00:00Z'),
    logger: log.logger,
    staff: new MemoryStaffDirectory([
      { id: AGUS, agencyId: 'dispendukcapil', tppBase: 3_000_000 },
      { id: ENDANG, agencyId: 'dinsos', tppBase: 2_525_000 },
    ]),
  });
});
afterAll(() => ifStarted(r)?.stop());

const refusal = (field: string, problem = 'must not contain the NUL character (U+0000)') => ({
  message: `${field} ${problem}.`,
  path: expect.any(Array),
  locations: expect.any(Array),
  extensions: { code: 'BAD_USER_INPUT', field },
});

describe('text PostgreSQL cannot store', () => {
  it('rateService: a NUL in comment is BAD_USER_INPUT naming comment, and nothing is stored', async () => {
    await r.publish('dispendukcapil', [ticket('dispendukcapil', 'NUL-1', { citizenNik: DEMO.siti.nik! })]);
    const input = { ticketId: 'dispendukcapil:NUL-1', stars: 4 };
    const nul = await r.call(RATE, DEMO.siti, { input: { ...input, comment: 'Cepat\u0000 sekali' } });
    expect(nul.body.errors).toEqual([refusal('comment')]);
    const surrogate = await r.call(RATE, DEMO.siti, { input: { ...input, comment: 'Cepat \ud83d sekali' } });
    expect(surrogate.body.errors).toEqual([refusal('comment', 'must be valid Unicode text (it holds an unpaired surrogate)')]);
    expect(await r.sql(`select id from $s.rating where ticket_id = ?`, [input.ticketId])).toEqual([]);
    // The same rating with a clean comment (emoji and all) is accepted.
    const ok = await r.call(RATE, DEMO.siti, { input: { ...input, comment: 'Cepat sekali 👍' } });
    expect(ok.body.errors).toBeUndefined();
  });

  it('fileTppAppeal: a NUL in reason is BAD_USER_INPUT naming reason', async () => {
    const FILE = `mutation($reason: String!) { fileTppAppeal(agencyId: "dispendukcapil", month: "2026-03", reason: $reason) { id reason } }`;
    const nul = await r.call(FILE, DEMO.petugasDukcapil, { reason: 'Penilaian\u0000 keliru.' });
    expect(nul.body.errors).toEqual([refusal('reason')]);
    const ok = await r.call(FILE, DEMO.petugasDukcapil, { reason: 'Penilaian keliru.' });
    expect(ok.body.errors).toBeUndefined();
  });

  it('reviewRatingFlag: a NUL in note is BAD_USER_INPUT naming note; a literal in the document too', async () => {
    // Eight ratings for one officer within ten minutes: a burst, flagged for review.
    for (let i = 0; i < 8; i++) {
      await r.publish('dinsos', [ticket('dinsos', `NUL-${i}`, { citizenNik: citizen(i).nik!, officerId: ENDANG })]);
      expect((await r.call(RATE, citizen(i), { input: { ticketId: `dinsos:NUL-${i}`, stars: 5 } })).body.errors).toBeUndefined();
    }
    const [flag] = await r.sql(`select id from $s.rating_flag limit 1`);
    const REVIEW = `mutation($id: ID!, $note: String!) { reviewRatingFlag(id: $id, decision: ACCEPT, note: $note) { id status } }`;
    expect((await r.call(REVIEW, DEMO.admin, { id: flag.id, note: 'Antrean\u0000 ramai.' })).body.errors).toEqual([refusal('note')]);
    const literal = await r.call(`mutation { reviewRatingFlag(id: "${flag.id}", decision: ACCEPT, note: "Antrean\\u0000 ramai.") { id } }`, DEMO.admin);
    expect(literal.body.errors).toEqual([refusal('note')]);
    const ok = await r.call(REVIEW, DEMO.admin, { id: flag.id, note: 'Antrean ramai.' });
    expect(ok.body.data.reviewRatingFlag.status).toBe('ACCEPTED');
  });

  it('logged nothing at error level', () => {
    expect(log.at('error')).toEqual([]);
  });
});
