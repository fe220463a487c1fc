/**
 * `npm run seed:history -- [--seed 1] [--months 24] [--citizens 50000] [--end YYYY-MM] [--now ISO]`
 *
 * Generates a deterministic history (subgraphs/insights/src/history/generate.ts) into the ticket
 * ledger and the ratings of DATABASE_URL (migrating the ratings and insights schemas first if
 * needed), then rebuilds the insights rollups. Without DATABASE_URL it uses the embedded
 * PostgreSQL of DATA_DIR (default .data), as `npm start` does; stop `npm start` first, or pass the
 * URL it printed. Running it twice with the same seed and end month adds nothing.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createLogger, createOrm, migrate } from '@gerbang/common';
import { migrations as ratingsMigrations } from '../subgraphs/ratings/src/server';
import { migrations as insightsMigrations } from '../subgraphs/insights/src/server';
import { generateHistory } from '../subgraphs/insights/src/history/generate';
import { refreshRollups } from '../subgraphs/insights/src/cube/refresh';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    months: { type: 'string', default: '24' },
    citizens: { type: 'string', default: '50000' },
    end: { type: 'string' },
    now: { type: 'string' },
    'ledger-schema': { type: 'string', default: 'ratings' },
    'insights-schema': { type: 'string', default: 'insights' },
  },
});

const jakartaMonth = (d: Date) => new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 7);

async function main() {
  const logger = createLogger('seed-history', process.env.LOG_LEVEL ?? 'warn');
  let url = process.env.DATABASE_URL;
  let embedded: { close(): Promise<void> } | undefined;
  if (!url) {
    const { startEmbeddedPostgres } = await import('@gerbang/embedded-postgres');
    const e = await startEmbeddedPostgres({ dir: `${process.env.DATA_DIR ?? '.data'}/postgres`, database: 'gerbang' });
    embedded = e;
    url = e.url;
  }
  try {
    for (const [schema, migrations] of [
      [values['ledger-schema'], ratingsMigrations],
      [values['insights-schema'], insightsMigrations],
    ] as const) {
      const orm = await createOrm({ url, schema, migrations, logger, poolMax: 1 });
      await migrate(orm);
      await orm.close(true);
    }
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const started = Date.now();
      const result = await generateHistory(client, {
        seed: Number(values.seed),
        months: Number(values.months),
        citizens: Number(values.citizens),
        endMonth: values.end ?? jakartaMonth(new Date()),
        now: values.now ? new Date(values.now) : undefined,
        ledgerSchema: values['ledger-schema'],
        insightsSchema: values['insights-schema'],
        onMonth: (m, t, r) => console.log(`${m}: ${t} tickets, ${r} ratings`),
      });
      if (result.skipped) console.log(`history of seed ${values.seed} ending ${values.end ?? 'this month'} is already there: nothing added`);
      else console.log(`generated ${result.tickets} tickets, ${result.ratings} ratings, ${result.flags} flags, ${result.appeals} appeals in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      const r = await refreshRollups(client, { ledger: values['ledger-schema'], insights: values['insights-schema'] });
      console.log(`rollups ${r.full ? 'rebuilt' : 'updated incrementally'} in ${(r.tookMs / 1000).toFixed(1)} s (${r.tickets} tickets, ${r.ratings} ratings in the ledger)`);
    } finally {
      await client.end();
    }
  } finally {
    await embedded?.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
