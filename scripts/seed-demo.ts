/**
 * The demo data that lives in the hub itself (agency systems seed their own): warga.budi has
 * already rated some of his completed tickets. Written through the gateway, as the app would,
 * with fixed idempotency keys so that running it again stores nothing twice.
 *
 * `npm start` seeds once per database (seedDemoOnce). Run alone (`node dist/seed-demo.js`, the
 * one-shot `seed` service of docker-compose.yml) it does the same against a running gateway:
 * GATEWAY_URL (default http://127.0.0.1:4000/graphql), DATABASE_URL (which database was seeded),
 * DATA_DIR (the gateway's own: its development IdP's key signs the demo logins' tokens),
 * JWT_ISSUER, JWT_AUDIENCE. Exit code 0 once seeded (or already seeded), 1 otherwise.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { DEV_AUDIENCE, DEV_ISSUER, devIdpKeyFile, loadDevIdp } from '../gateway/src/dev-idp';

type Token = (login: string) => Promise<string>;

async function gql(endpoint: string, token: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  // The answers of the two operations this file sends (MY_TICKETS, RateService).
  return (await res.json()) as { data?: { me?: { tickets: DemoTicket[] } | null } | null; errors?: { message: string; extensions?: { code?: string } }[] };
}

const MY_TICKETS = '{ me { tickets(first: 50) { id status canRate agency { id } } } }';
interface DemoTicket {
  id: string;
  status: string;
  canRate: boolean;
  agency: { id: string };
}

async function seedDemo(endpoint: string, token: Token, say: (msg: string) => void) {
  const budi = await token('warga.budi');
  // The ledger fills from the agencies' change feeds right after start: wait for it.
  let tickets: DemoTicket[];
  const deadline = Date.now() + 60_000;
  for (;;) {
    const r = await gql(endpoint, budi, MY_TICKETS);
    tickets = r.data?.me?.tickets ?? [];
    if (tickets.filter((t) => t.status === 'COMPLETED').length >= 2 || Date.now() > deadline) break;
    await new Promise((res) => setTimeout(res, 500));
  }
  const rateable = tickets.filter((t) => t.canRate);
  const ratings = [
    { stars: 5, comment: 'Pelayanan cepat, petugas ramah dan jelas menjelaskan syaratnya.', skm: [4, 4, 3, 4, 4, 4, 4, 3, 3] },
    { stars: 4, comment: 'Antre agak lama, tapi selesai sesuai janji.', skm: [3, 3, 3, 4, 3, 4, 4, 3, 3] },
  ];
  let rated = 0;
  for (const [i, t] of rateable.slice(0, ratings.length).entries()) {
    const r = await gql(endpoint, budi, 'mutation RateService($input: RateServiceInput!) { rateService(input: $input) { id stars } }', {
      input: { ticketId: t.id, ...ratings[i], idempotencyKey: `demo-seed-${t.id}` },
    });
    if (r.errors?.length) say(`seed: could not rate ${t.id}: ${r.errors[0]!.message}`);
    else rated++;
  }
  say(`seeded demo ratings: warga.budi rated ${rated} of ${tickets.length} tickets`);
  return { budiTickets: tickets.length, budiRated: rated };
}

/** Identifies the database, so that a new database (a new DATA_DIR, another DATABASE_URL) gets the demo seed. */
async function databaseId(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const system = await client
      .query<{ id: string }>('select system_identifier::text as id from pg_control_system()')
      .then((r) => r.rows[0]!.id)
      .catch(() => new URL(url).host);
    const { rows } = await client.query<{ db: string }>('select current_database() as db');
    return `${system}/${rows[0]!.db}`;
  } finally {
    await client.end();
  }
}

/**
 * Seeds unless this database was seeded already (DATA_DIR/demo-seeded.json names it): the seed
 * rates the first rateable tickets, so running it twice on one database would rate two more.
 */
export async function seedDemoOnce(options: { endpoint: string; dataDir: string; databaseUrl: string; token: Token; say: (msg: string) => void }): Promise<'seeded' | 'already seeded'> {
  const marker = join(options.dataDir, 'demo-seeded.json');
  const database = await databaseId(options.databaseUrl);
  const seeded = existsSync(marker) ? (JSON.parse(readFileSync(marker, 'utf8')) as { database?: string }).database : undefined;
  if (seeded === database) return 'already seeded';
  const summary = await seedDemo(options.endpoint, options.token, options.say);
  writeFileSync(marker, JSON.stringify({ database, seededAt: new Date().toISOString(), ...summary }, null, 2));
  return 'seeded';
}

async function main(env: NodeJS.ProcessEnv): Promise<number> {
  const say = (msg: string) => console.log(`[seed-demo] ${msg}`);
  const endpoint = env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql';
  const dataDir = resolve(env.DATA_DIR ?? '.data');
  if (!env.DATABASE_URL) {
    console.error('[seed-demo] DATABASE_URL is required: the database the gateway and the subgraphs use (the seed is recorded per database).');
    return 1;
  }
  // Tokens the gateway accepts: signed with its own development IdP's key, which it keeps in its DATA_DIR.
  const keyFile = devIdpKeyFile(dataDir);
  if (!existsSync(keyFile)) {
    console.error(`[seed-demo] ${keyFile} is missing: give this process the gateway's DATA_DIR (the demo needs the gateway's development identity provider, DEV_IDP).`);
    return 1;
  }
  const idp = await loadDevIdp({ dataDir, issuer: env.JWT_ISSUER ?? DEV_ISSUER, audience: env.JWT_AUDIENCE ?? DEV_AUDIENCE });
  const outcome = await seedDemoOnce({ endpoint, dataDir, databaseUrl: env.DATABASE_URL, token: (login) => idp.issue(login), say });
  say(outcome === 'seeded' ? 'done' : `this database was seeded already (${join(dataDir, 'demo-seeded.json')}); nothing to do`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  process.exit(
    await main(process.env).catch((err: unknown) => {
      console.error(`[seed-demo] failed: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    }),
  );
}
