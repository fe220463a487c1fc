import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl, uniqueSchema } from '@gerbang/testing';

/**
 * What broke the old embedded database (PGlite behind pglite-socket): many connections whose
 * extended-protocol messages (Parse/Bind/Execute, named and unnamed statements) interleave.
 * Here 64 connections run transactions at once for 100 rounds against the run's database
 * (the embedded server, or DATABASE_URL), and every row each one reads back is checked.
 */
const CONNECTIONS = 64;
const ROUNDS = 100;
const PER_ROUND = 3;

const payload = (conn: number, round: number, seq: number) => createHash('sha256').update(`${conn}/${round}/${seq}`).digest('hex').slice(0, 24);
/** One connection in seven rolls its transaction back each round, a different one every round. */
const rollsBack = (conn: number, round: number) => (conn + round) % 7 === 0;

describe('the database under 64 concurrent extended-protocol transactions', () => {
  const schema = uniqueSchema('stress');
  const clients: pg.Client[] = [];

  beforeAll(async () => {
    for (let i = 0; i < CONNECTIONS; i++) {
      const client = new pg.Client({ connectionString: testDatabaseUrl() });
      await client.connect();
      clients.push(client);
    }
    await clients[0]!.query(`create schema "${schema}"; create table "${schema}".entry (conn int, round int, seq int, payload text not null, primary key (conn, round, seq))`);
  });

  afterAll(async () => {
    await clients[0]?.query(`drop schema if exists "${schema}" cascade`);
    await Promise.all(clients.map((c) => c.end()));
  });

  it('gives every connection exactly its own rows back, round after round', async () => {
    const insert = `insert into "${schema}".entry (conn, round, seq, payload) values ($1, $2, $3, $4) returning conn, round, seq, payload`;
    const readMine = `select conn, round, seq, payload from "${schema}".entry where conn = $1 and round = $2 order by seq`;
    const mismatches: string[] = [];

    for (let round = 1; round <= ROUNDS; round++) {
      await Promise.all(
        clients.map(async (client, conn) => {
          await client.query('begin');
          for (let seq = 1; seq <= PER_ROUND; seq++) {
            // Unnamed statements: parsed, bound and executed per call.
            const { rows } = await client.query(insert, [conn, round, seq, payload(conn, round, seq)]);
            if (rows.length !== 1 || rows[0].conn !== conn || rows[0].round !== round || rows[0].seq !== seq || rows[0].payload !== payload(conn, round, seq)) {
              mismatches.push(`insert conn ${conn} round ${round} seq ${seq}: ${JSON.stringify(rows)}`);
            }
          }
          // A named statement, prepared once per connection and bound again every round.
          const mine = await client.query({ name: 'read_mine', text: readMine, values: [conn, round] });
          const expected = [1, 2, 3].map((seq) => ({ conn, round, seq, payload: payload(conn, round, seq) }));
          if (JSON.stringify(mine.rows) !== JSON.stringify(expected)) mismatches.push(`read conn ${conn} round ${round}: ${JSON.stringify(mine.rows)}`);
          await client.query(rollsBack(conn, round) ? 'rollback' : 'commit');
        }),
      );
    }
    expect(mismatches).toEqual([]);

    // Afterwards, row by row: every committed row and none of the rolled-back ones.
    const { rows } = await clients[0]!.query<{ conn: number; round: number; seq: number; payload: string }>(`select conn, round, seq, payload from "${schema}".entry order by conn, round, seq`);
    const expected: { conn: number; round: number; seq: number; payload: string }[] = [];
    for (let conn = 0; conn < CONNECTIONS; conn++) {
      for (let round = 1; round <= ROUNDS; round++) {
        if (rollsBack(conn, round)) continue;
        for (let seq = 1; seq <= PER_ROUND; seq++) expected.push({ conn, round, seq, payload: payload(conn, round, seq) });
      }
    }
    expect(rows.length).toBe(expected.length);
    expect(rows).toEqual(expected);
  });
});
