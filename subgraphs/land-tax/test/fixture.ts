import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { testDatabaseUrl, uniqueSchema } from '@gerbang/testing';
import { createPgProxy, installSismiop, uninstallSismiop, type InstallResult, type PgProxy } from '@gerbang/sim-sismiop';

/**
 * A real SISMIOP schema for one test file: installed (and seeded) in a schema of its own in the
 * run's database, with its read-only role, behind the simulator's TCP proxy so tests can count
 * the statements the adapter sends and take the "legacy database" down or make it slow.
 */
export interface SismiopFixture {
  /** The installing (admin) connection: what BPKPD's own applications write through. */
  admin: pg.Pool;
  schema: string;
  role: string;
  install: InstallResult;
  proxy: PgProxy;
  /** The read-only role's URL, through the proxy. */
  readerUrl: string;
  /** The installing user's URL, through the proxy (what SISMIOP_DATABASE_URL falls back to). */
  adminUrl: string;
  close(): Promise<void>;
}

export async function sismiopFixture(options: { now?: Date } = {}): Promise<SismiopFixture> {
  const url = testDatabaseUrl();
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  const schema = uniqueSchema('sismiop');
  const role = `${schema}_ro`;
  // A password, so the role logs in wherever authentication is on (the embedded server uses scram-sha-256).
  const password = randomBytes(12).toString('hex');
  const install = await installSismiop(admin, { schema, readOnlyRole: role, readOnlyPassword: password, now: options.now });
  const target = new URL(url);
  const proxy = createPgProxy({ target: { host: target.hostname, port: Number(target.port || 5432) } });
  const at = await proxy.listen(0);
  const viaProxy = new URL(url);
  viaProxy.hostname = at.host;
  viaProxy.port = String(at.port);
  const reader = new URL(viaProxy);
  reader.username = role;
  reader.password = password;
  return {
    admin,
    schema,
    role,
    install,
    proxy,
    readerUrl: reader.toString(),
    adminUrl: viaProxy.toString(),
    async close() {
      await proxy.close();
      await uninstallSismiop(admin, { schema, dropRole: install.readOnlyRole?.status === 'skipped' ? undefined : role });
      await admin.end();
    },
  };
}
