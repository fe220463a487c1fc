import { ifStarted } from '@gerbang/testing';
import { graphql } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, createLogger, type Caller } from '@gerbang/common';
import { buildRatingsSchema, createRequestContext } from '../src/server';
import { citizen, RATE, startRatings, ticket, type Ratings } from './support';

let r: Ratings;
let schema: Awaited<ReturnType<typeof buildRatingsSchema>>;

// docs/DOMAIN.md's boundary case: 10 respondents, element totals 36, 35, 34, 38, 35, 36, 37, 34, 33 → 88.33 (A).
const TOTALS = [36, 35, 34, 38, 35, 36, 37, 34, 33];
const skmOf = (j: number) => TOTALS.map((t) => (j < t - 30 ? 4 : 3));
const AGUS = '198703152010011002';
const RINA = '199001222015032004';

beforeAll(async () => {
  r = await startRatings({ now: new Date('2026-03-24T00:00:00Z') });
  schema = await buildRatingsSchema();
  // dpmptsp: 12 tickets completed in March 2026 (10 rated with the SKM), 1 in April, 1 still in progress.
  await r.publish('dpmptsp', [
    ...Array.from({ length: 12 }, (_, i) => ticket('dpmptsp', `P-${i}`, { citizenNik: citizen(i).nik!, serviceId: 'dpmptsp.pbg', officerId: '198808082012122001' })),
    ticket('dpmptsp', 'P-APR', { citizenNik: citizen(30).nik!, serviceId: 'dpmptsp.pbg', completedAt: '2026-04-01T08:00:00+07:00' }),
    ticket('dpmptsp', 'P-WIP', { citizenNik: citizen(31).nik!, serviceId: 'dpmptsp.pbg', status: 'IN_PROGRESS', completedAt: null }),
  ]);
  // Ratings arrive two minutes apart: ten at once for one officer would be a burst (and flagged).
  const tick = () => (r.clock.now = new Date(r.clock.now.getTime() + 2 * 60_000));
  for (let j = 0; j < 10; j++) {
    tick();
    const { body } = await r.call(RATE, citizen(j), { input: { ticketId: `dpmptsp:P-${j}`, stars: j < 6 ? 5 : 4, skm: skmOf(j) } });
    expect(body.errors).toBeUndefined();
  }
  expect(await r.sql(`select count(*)::int as n from $s.rating where status <> 'VALID'`)).toEqual([{ n: 0 }]);
  // dispendukcapil: stars 5, 4, 4, 2 for Agus (KTP-el / KK), 3 for Rina; no SKM answers.
  const stars = [5, 4, 4, 2, 3];
  await r.publish(
    'dispendukcapil',
    stars.map((_, i) =>
      ticket('dispendukcapil', `D-${i}`, { citizenNik: citizen(50 + i).nik!, officerId: i < 4 ? AGUS : RINA, serviceId: i % 2 ? 'dispendukcapil.kartu-keluarga' : 'dispendukcapil.ktp-el' }),
    ),
  );
  for (const [i, s] of stars.entries()) await r.call(RATE, citizen(50 + i), { input: { ticketId: `dispendukcapil:D-${i}`, stars: s } });
});
afterAll(() => ifStarted(r)?.stop());

/** Runs an operation in-process with a context whose queries we can count. */
async function counted(source: string, caller: Caller = ANONYMOUS) {
  const ctx = createRequestContext({ orm: r.orm, config: r.config, staff: r.staff, now: () => r.clock.now }, { requestId: 't', caller, logger: createLogger('t', 'silent') });
  const result = await graphql({ schema, source, contextValue: ctx });
  return { result: JSON.parse(JSON.stringify(result)), queries: ctx.db.queries };
}
const reps = (type: string, ids: string[]) => ids.map((id) => `{ __typename: "${type}", id: "${id}" }`).join(', ');

describe('rating summaries', () => {
  it('serves agency summaries (average, count, distribution) to anonymous callers', async () => {
    const { body } = await r.call(
      `{ _entities(representations: [${reps('Agency', ['dispendukcapil', 'dpmptsp', 'dinsos'])}]) { ... on Agency { id rating { average count distribution { stars count } } } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data._entities).toEqual([
      {
        id: 'dispendukcapil',
        rating: {
          average: 3.6,
          count: 5,
          distribution: [
            { stars: 1, count: 0 },
            { stars: 2, count: 1 },
            { stars: 3, count: 1 },
            { stars: 4, count: 2 },
            { stars: 5, count: 1 },
          ],
        },
      },
      {
        id: 'dpmptsp',
        rating: {
          average: 4.6,
          count: 10,
          distribution: [
            { stars: 1, count: 0 },
            { stars: 2, count: 0 },
            { stars: 3, count: 0 },
            { stars: 4, count: 4 },
            { stars: 5, count: 6 },
          ],
        },
      },
      { id: 'dinsos', rating: { average: null, count: 0, distribution: [1, 2, 3, 4, 5].map((stars) => ({ stars, count: 0 })) } },
    ]);
  });

  it('serves officer and service summaries', async () => {
    const { body } = await r.call(
      `{ _entities(representations: [${reps('Officer', [AGUS, RINA])}, ${reps('Service', ['dispendukcapil.ktp-el', 'dispendukcapil.kartu-keluarga'])}]) {
        ... on Officer { id rating { average count } } ... on Service { id rating { average count } } } }`,
    );
    expect(body.data._entities).toEqual([
      { id: AGUS, rating: { average: 3.75, count: 4 } },
      { id: RINA, rating: { average: 3, count: 1 } },
      { id: 'dispendukcapil.ktp-el', rating: { average: 4, count: 3 } }, // 5, 4, 3
      { id: 'dispendukcapil.kartu-keluarga', rating: { average: 3, count: 2 } }, // 4, 2
    ]);
  });

  it("computes N agencies', officers' and services' summaries in one SQL query per type", async () => {
    const agencies = await counted(
      `{ _entities(representations: [${reps('Agency', ['dispendukcapil', 'dpmptsp', 'dinsos', 'bpkpd', 'bkpsdm'])}]) { ... on Agency { rating { average count distribution { stars count } } } } }`,
    );
    expect(agencies.result.errors).toBeUndefined();
    expect(agencies.queries).toBe(1);
    const mixed = await counted(
      `{ _entities(representations: [${reps('Officer', [AGUS, RINA, '198808082012122001'])}, ${reps('Service', ['dispendukcapil.ktp-el', 'dpmptsp.pbg'])}, ${reps('Agency', ['dpmptsp', 'dinsos'])}]) {
        ... on Officer { rating { average } } ... on Service { rating { count } } ... on Agency { rating { count } satisfaction(year: 2026) { index } } } }`,
    );
    expect(mixed.result.errors).toBeUndefined();
    expect(mixed.queries).toBe(4); // officers, services, agencies, satisfaction
  });

  it('counts only valid ratings (flagged ones wait for review, rejected ones never count)', async () => {
    await r.sql(`update $s.rating set status = 'FLAGGED' where ticket_id = 'dispendukcapil:D-0'`);
    await r.sql(`update $s.rating set status = 'REJECTED' where ticket_id = 'dispendukcapil:D-3'`);
    const { body } = await r.call(`{ _entities(representations: [${reps('Officer', [AGUS])}]) { ... on Officer { rating { average count } } } }`);
    expect(body.data._entities[0].rating).toEqual({ average: 4, count: 2 });
    await r.sql(`update $s.rating set status = 'VALID' where ticket_id in ('dispendukcapil:D-0', 'dispendukcapil:D-3')`);
  });
});

describe('satisfaction (IKM)', () => {
  const SAT = (args: string) =>
    `{ _entities(representations: [${reps('Agency', ['dpmptsp'])}]) { ... on Agency { satisfaction(${args}) { year month respondents population requiredSample index category provisional elements { element value } } } } }`;

  it("computes docs/DOMAIN.md's boundary case in SQL: 88.33, category A, provisional under Krejcie–Morgan", async () => {
    const { body } = await r.call(SAT('year: 2026'));
    expect(body.errors).toBeUndefined();
    expect(body.data._entities[0].satisfaction).toEqual({
      year: 2026,
      month: null,
      respondents: 10,
      population: 13, // 12 in March + 1 in April; the ticket in progress does not count
      requiredSample: 13,
      index: 88.33,
      category: 'A',
      provisional: true,
      elements: [
        { element: 'REQUIREMENTS', value: 90 },
        { element: 'PROCEDURE', value: 87.5 },
        { element: 'COMPLETION_TIME', value: 85 },
        { element: 'FEE', value: 95 },
        { element: 'SERVICE_PRODUCT', value: 87.5 },
        { element: 'STAFF_COMPETENCE', value: 90 },
        { element: 'STAFF_BEHAVIOUR', value: 92.5 },
        { element: 'COMPLAINT_HANDLING', value: 85 },
        { element: 'FACILITIES', value: 82.5 },
      ],
    });
  });

  it('narrows to a month; a month without respondents has no index', async () => {
    expect((await r.call(SAT('year: 2026, month: 3'))).body.data._entities[0].satisfaction).toMatchObject({
      month: 3,
      respondents: 10,
      population: 12,
      requiredSample: 12,
      index: 88.33,
      provisional: true,
    });
    expect((await r.call(SAT('year: 2026, month: 4'))).body.data._entities[0].satisfaction).toMatchObject({
      respondents: 0,
      population: 1,
      requiredSample: 1,
      index: null,
      category: null,
      provisional: true,
    });
    expect((await r.call(SAT('year: 2025'))).body.data._entities[0].satisfaction).toMatchObject({ respondents: 0, population: 0, requiredSample: 0, index: null, provisional: false });
  });

  it('is no longer provisional once respondents reach the sample', async () => {
    for (const j of [10, 11]) {
      r.clock.now = new Date(r.clock.now.getTime() + 10 * 60_000);
      await r.call(RATE, citizen(j), { input: { ticketId: `dpmptsp:P-${j}`, stars: 4, skm: Array(9).fill(4) } });
    }
    const sat = (await r.call(SAT('year: 2026, month: 3'))).body.data._entities[0].satisfaction;
    expect(sat).toMatchObject({ respondents: 12, requiredSample: 12, provisional: false });
    // (318 + 2·36) × 25 / (9 × 12) = 90.28 (90.2777…)
    expect(sat.index).toBe(90.28);
  });

  it('computes satisfaction of N agencies, for different periods, in one SQL query', async () => {
    const { result, queries } = await counted(
      `{ _entities(representations: [${reps('Agency', ['dpmptsp', 'dispendukcapil', 'dinsos', 'bpkpd'])}]) { ... on Agency { a: satisfaction(year: 2026) { index respondents } b: satisfaction(year: 2026, month: 3) { index } } } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data._entities[0]).toEqual({ a: { index: 90.28, respondents: 12 }, b: { index: 90.28 } });
    expect(queries).toBe(1);
  });

  it('refuses nonsense periods', async () => {
    expect((await r.call(SAT('year: 2026, month: 13'))).body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await r.call(SAT('year: 1900'))).body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
