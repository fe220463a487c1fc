import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  DEMO,
  NOP_COLUMNS,
  OFFICERS,
  createPgProxy,
  formatNop,
  installSismiop,
  isValidNop,
  nopFromRow,
  recordPermohonan,
  setPermohonanStatus,
  uninstallSismiop,
  type InstallResult,
  type PgProxy,
} from '../src/index';

/**
 * The database to test against: the URL a global setup provides (`inject('databaseUrl')`, e.g. an
 * embedded PostgreSQL), else DATABASE_URL, else the development machines' PostgreSQL.
 */
function databaseUrl(): string {
  try {
    const provided = (inject as unknown as (key: string) => unknown)('databaseUrl');
    if (typeof provided === 'string' && provided) return provided;
  } catch {
    // No global setup has provided one.
  }
  return process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
}

const NOW = new Date('2026-11-28T03:00:00Z'); // Saturday 10:00 WIB
const DAY = 24 * 3600_000;
const RUN = `${Date.now()}`;
const schema = `sismiop_t${RUN}`;
const role = `sismiop_ro_t${RUN}`;
const s = `"${schema}"`;
const NOP_KEY = NOP_COLUMNS.map((c) => `"${c}"`).join(', ');
const BPKPD_NIPS = [OFFICERS.bambang, OFFICERS.lilis];

/** SISMIOP's TIMESTAMP columns hold WIB wall-clock time; read them as text and add the offset. */
const wib = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS') || '+07:00'`;

let pool: pg.Pool;
let first: InstallResult;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: databaseUrl(), max: 4 });
  first = await installSismiop(pool, { schema, readOnlyRole: role, now: NOW });
});

afterAll(async () => {
  await uninstallSismiop(pool, { schema, dropRole: role });
  await pool.end();
});

describe('installSismiop', () => {
  it('installs the schema with its seed and a read-only role', () => {
    expect(first.installed).toBe(true);
    expect(first.counts.DAT_OBJEK_PAJAK).toBe(150);
    expect(first.counts.SPPT).toBe(600);
    expect(first.counts.REF_KECAMATAN).toBe(14);
    expect(first.counts.PEMBAYARAN_SPPT).toBeGreaterThan(300);
    expect(first.readOnlyRole).toEqual({ name: role, status: 'created' });
  });

  it('leaves an installed schema untouched when run again', async () => {
    await pool.query(`UPDATE ${s}."DAT_SUBJEK_PAJAK" SET "TELP_WP" = '081234567890' WHERE "SUBJEK_PAJAK_ID" = $1`, [DEMO.budi.nik]);
    const again = await installSismiop(pool, { schema, readOnlyRole: role, now: new Date() });
    expect(again.installed).toBe(false);
    expect(again.counts).toEqual(first.counts);
    expect(again.readOnlyRole?.status).toBe('existing');
    const phone = await pool.query(`SELECT "TELP_WP" FROM ${s}."DAT_SUBJEK_PAJAK" WHERE "SUBJEK_PAJAK_ID" = $1`, [DEMO.budi.nik]);
    expect(phone.rows[0].TELP_WP).toBe('081234567890');
  });

  it('lets racing installers install exactly once', async () => {
    const other = `${schema}_race`;
    try {
      const results = await Promise.all([installSismiop(pool, { schema: other, now: NOW }), installSismiop(pool, { schema: other, now: NOW })]);
      expect(results.map((r) => r.installed).sort()).toEqual([false, true]);
      expect(results[0].counts).toEqual(results[1].counts);
    } finally {
      await uninstallSismiop(pool, { schema: other });
    }
  });

  it('refuses to turn a superuser into the read-only role', async () => {
    const me = (await pool.query('SELECT current_user AS u')).rows[0].u as string;
    await expect(installSismiop(pool, { schema, readOnlyRole: me })).rejects.toThrow(/dedicated role/);
  });
});

describe('read-only role', () => {
  it('may read every table and write none', async () => {
    const privileges = await pool.query(
      `SELECT c.relname,
              has_table_privilege($1, c.oid, 'SELECT') AS can_select,
              has_table_privilege($1, c.oid, 'INSERT') OR has_table_privilege($1, c.oid, 'UPDATE')
                OR has_table_privilege($1, c.oid, 'DELETE') OR has_table_privilege($1, c.oid, 'TRUNCATE') AS can_write
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $2 AND c.relkind = 'r'`,
      [role, schema],
    );
    expect(privileges.rows).toHaveLength(10);
    expect(privileges.rows.every((r) => r.can_select && !r.can_write)).toBe(true);
    const settings = await pool.query('SELECT rolconfig FROM pg_roles WHERE rolname = $1', [role]);
    expect(settings.rows[0].rolconfig).toContain('default_transaction_read_only=on');
  });

  it('cannot INSERT, though it can SELECT', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL ROLE "${role}"`);
      const read = await client.query(`SELECT count(*)::int AS n FROM ${s}."SPPT"`);
      expect(read.rows[0].n).toBe(600);
      await expect(client.query(`INSERT INTO ${s}."REF_STATUS_PELAYANAN" VALUES ('9', 'DIBAJAK')`)).rejects.toMatchObject({ code: '42501' });
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});

describe('seed integrity', () => {
  it('has an object for every SPPT and an SPPT for every payment', async () => {
    const orphanSppt = await pool.query(
      `SELECT count(*)::int AS n FROM ${s}."SPPT" sp WHERE NOT EXISTS (SELECT 1 FROM ${s}."DAT_OBJEK_PAJAK" op WHERE (${NOP_KEY.split(', ')
        .map((c) => `op.${c}`)
        .join(', ')}) = (${NOP_KEY.split(', ')
        .map((c) => `sp.${c}`)
        .join(', ')}))`,
    );
    expect(orphanSppt.rows[0].n).toBe(0);
    const orphanPay = await pool.query(`SELECT count(*)::int AS n FROM ${s}."PEMBAYARAN_SPPT" p LEFT JOIN ${s}."SPPT" sp USING (${NOP_KEY}, "THN_PAJAK_SPPT") WHERE sp."THN_PAJAK_SPPT" IS NULL`);
    expect(orphanPay.rows[0].n).toBe(0);
  });

  it('bills positive whole rupiah, at least the minimum, and marks paid exactly the SPPT with a payment', async () => {
    const bad = await pool.query(
      `SELECT count(*)::int AS n FROM ${s}."SPPT"
        WHERE "PBB_YG_HARUS_DIBAYAR_SPPT" < 10000 OR "PBB_YG_HARUS_DIBAYAR_SPPT" <> trunc("PBB_YG_HARUS_DIBAYAR_SPPT")
           OR "NJOP_SPPT" <> "NJOP_BUMI_SPPT" + "NJOP_BNG_SPPT"`,
    );
    expect(bad.rows[0].n).toBe(0);
    const mismatch = await pool.query(
      `SELECT count(*)::int AS n FROM ${s}."SPPT" sp
         LEFT JOIN ${s}."PEMBAYARAN_SPPT" p USING (${NOP_KEY}, "THN_PAJAK_SPPT")
        WHERE (sp."STATUS_PEMBAYARAN_SPPT" = '1') <> (p."PEMBAYARAN_SPPT_KE" IS NOT NULL)
           OR p."JML_SPPT_YG_DIBAYAR" <> sp."PBB_YG_HARUS_DIBAYAR_SPPT" + p."DENDA_SPPT"
           OR p."TGL_PEMBAYARAN_SPPT" > $1::date`,
      ['2026-11-28'],
    );
    expect(mismatch.rows[0].n).toBe(0);
    const paid = await pool.query(`SELECT "THN_PAJAK_SPPT" AS y, avg(("STATUS_PEMBAYARAN_SPPT" = '1')::int)::float AS share FROM ${s}."SPPT" GROUP BY 1 ORDER BY 1`);
    expect(paid.rows.map((r) => r.y)).toEqual(['2023', '2024', '2025', '2026']);
    expect(paid.rows[0].share).toBeGreaterThan(0.7);
    expect(paid.rows[3].share).toBeLessThan(paid.rows[0].share);
  });

  it('holds only valid Trenggalek NOPs, due on 31 August', async () => {
    const objects = await pool.query(`SELECT ${NOP_KEY} FROM ${s}."DAT_OBJEK_PAJAK"`);
    expect(objects.rows.every((r) => isValidNop(formatNop(nopFromRow(r), 'plain')))).toBe(true);
    const due = await pool.query(`SELECT DISTINCT to_char("TGL_JATUH_TEMPO_SPPT", 'MM-DD') AS d FROM ${s}."SPPT"`);
    expect(due.rows).toEqual([{ d: '08-31' }]);
  });

  it('gives warga.siti two objects, one with this year unpaid, and warga.budi one', async () => {
    const bills = await pool.query(
      `SELECT ${NOP_KEY}, sp."STATUS_PEMBAYARAN_SPPT" AS paid
         FROM ${s}."DAT_OBJEK_PAJAK" op JOIN ${s}."SPPT" sp USING (${NOP_KEY})
        WHERE op."SUBJEK_PAJAK_ID" = $1 AND sp."THN_PAJAK_SPPT" = '2026' ORDER BY 1, 2, 3, 4, 5, 6`,
      [DEMO.siti.nik],
    );
    expect(bills.rows.map((r) => [formatNop(nopFromRow(r)), r.paid])).toEqual([
      [formatNop(DEMO.siti.rumah), '1'],
      [formatNop(DEMO.siti.sawah), '0'],
    ]);
    const budi = await pool.query(`SELECT count(*)::int AS n FROM ${s}."DAT_OBJEK_PAJAK" WHERE "SUBJEK_PAJAK_ID" = $1`, [DEMO.budi.nik]);
    expect(budi.rows[0].n).toBe(1);
    // CHAR(30) keeps its legacy padding: the adapter must trim or compare as CHAR.
    const padded = await pool.query(`SELECT "SUBJEK_PAJAK_ID" AS id FROM ${s}."DAT_SUBJEK_PAJAK" WHERE "SUBJEK_PAJAK_ID" = $1`, [DEMO.siti.nik]);
    expect(padded.rows[0].id).toHaveLength(30);
  });

  it('records the demo citizens’ recent completed requests with BPKPD officers', async () => {
    const requests = await pool.query(
      `SELECT "NO_PELAYANAN", "KD_JNS_PELAYANAN", "NIK_PEMOHON", "STATUS_PELAYANAN", "NIP_PETUGAS", ${wib('"TGL_SELESAI"')} AS selesai
         FROM ${s}."PST_PERMOHONAN" WHERE "NIK_PEMOHON" IN ($1, $2)`,
      [DEMO.siti.nik, DEMO.budi.nik],
    );
    expect(requests.rows).toHaveLength(2);
    const siti = requests.rows.find((r) => r.NIK_PEMOHON === DEMO.siti.nik)!;
    const budi = requests.rows.find((r) => r.NIK_PEMOHON === DEMO.budi.nik)!;
    expect([siti.KD_JNS_PELAYANAN, budi.KD_JNS_PELAYANAN]).toEqual(['05', '02']);
    for (const r of [siti, budi]) {
      expect(r.STATUS_PELAYANAN).toBe('2');
      expect(BPKPD_NIPS).toContain(r.NIP_PETUGAS);
      expect(r.NO_PELAYANAN).toMatch(/^2026\.\d{4}\.\d{3}$/);
    }
    const sitiAgo = NOW.getTime() - Date.parse(siti.selesai);
    expect(sitiAgo).toBeGreaterThan(DAY);
    expect(sitiAgo).toBeLessThan(3 * DAY);
    expect(NOW.getTime() - Date.parse(budi.selesai)).toBeLessThan(6 * DAY);
  });

  it('feeds changes in UPDATE_SEQ order, and an update moves a request to the end', async () => {
    const feed = await pool.query(`SELECT "NO_PELAYANAN", "UPDATE_SEQ"::int AS seq, ${wib('"TGL_UPDATE"')} AS at FROM ${s}."PST_PERMOHONAN" ORDER BY "UPDATE_SEQ"`);
    const times = feed.rows.map((r) => Date.parse(r.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const last = feed.rows[feed.rows.length - 1]!.seq as number;

    const created = await recordPermohonan(
      pool,
      { jenis: 'KEBERATAN', nop: formatNop(DEMO.siti.sawah), nik: DEMO.siti.nik, nama: 'Siti Rahayu', keterangan: 'NJOP sawah terlalu tinggi', at: NOW },
      { schema },
    );
    expect(created.noPelayanan).toBe(`2026.0001.${String(feed.rows.length + 1).padStart(3, '0')}`);
    expect(created.updateSeq).toBeGreaterThan(last);
    const done = await setPermohonanStatus(pool, created.noPelayanan, 'SELESAI', { nip: OFFICERS.bambang, at: NOW, schema });
    expect(done.updateSeq).toBeGreaterThan(created.updateSeq);
  });
});

describe('pg proxy', () => {
  let proxy: PgProxy;
  const viaProxy = () => {
    const url = new URL(databaseUrl());
    url.hostname = proxy.address().host;
    url.port = String(proxy.address().port);
    const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 3000 });
    // A reset idle connection reports through 'error'; the test observes it through the next query.
    client.on('error', () => undefined);
    return client;
  };

  beforeAll(async () => {
    const target = new URL(databaseUrl());
    proxy = createPgProxy({ target: { host: target.hostname, port: Number(target.port || 5432) } });
    await proxy.listen(0);
  });
  afterAll(async () => {
    await proxy.close();
  });

  it('passes queries through and counts them', async () => {
    const client = viaProxy();
    await client.connect();
    try {
      proxy.stats.reset();
      const simple = await client.query(`SELECT count(*)::int AS n FROM ${s}."DAT_OBJEK_PAJAK"`);
      const bound = await client.query(`SELECT "NM_WP" FROM ${s}."DAT_SUBJEK_PAJAK" WHERE "SUBJEK_PAJAK_ID" = $1`, [DEMO.siti.nik]);
      expect(simple.rows[0].n).toBeGreaterThanOrEqual(150);
      expect(bound.rows[0].NM_WP).toBe('SITI RAHAYU');
      expect(proxy.stats.calls('query')).toBe(2);
      expect(proxy.connections()).toBe(1);
    } finally {
      await client.end();
    }
  });

  it('records the request ids statements carry in a sqlcommenter comment, and none for other statements', async () => {
    const client = viaProxy();
    await client.connect();
    try {
      proxy.stats.reset();
      await client.query("SELECT 1 AS one /*request_id='req-simple-1'*/");
      const bound = await client.query(`SELECT "NM_WP" FROM ${s}."DAT_SUBJEK_PAJAK" WHERE "SUBJEK_PAJAK_ID" = $1 /*request_id='req%2Fbound%272'*/`, [DEMO.siti.nik]);
      await client.query(`SELECT count(*) FROM ${s}."SPPT" WHERE "THN_PAJAK_SPPT" = $1`, ['2026']);
      await client.query('SELECT 2');
      expect(bound.rows[0].NM_WP).toBe('SITI RAHAYU');
      expect(proxy.stats.calls('query')).toBe(4);
      expect(proxy.stats.requestIds).toEqual(['req-simple-1', "req/bound'2"]);
    } finally {
      await client.end();
    }
  });

  it('adds latency to each chunk', async () => {
    const client = viaProxy();
    await client.connect();
    try {
      await client.query('SELECT 1');
      let t0 = performance.now();
      await client.query('SELECT 1');
      const fast = performance.now() - t0;
      proxy.faults.set({ latencyMs: 100 });
      t0 = performance.now();
      await client.query('SELECT 1');
      const slow = performance.now() - t0;
      expect(slow).toBeGreaterThanOrEqual(190);
      expect(slow - fast).toBeGreaterThanOrEqual(180);
    } finally {
      proxy.faults.reset();
      await client.end();
    }
  });

  it('resets open connections and refuses new ones while down, and recovers', async () => {
    const open = viaProxy();
    await open.connect();
    proxy.faults.set({ down: true });
    try {
      await expect(open.query('SELECT 1')).rejects.toThrow();
      const fresh = viaProxy();
      await expect(fresh.connect()).rejects.toThrow();
      expect(proxy.stats.calls('!refused')).toBeGreaterThanOrEqual(1);
    } finally {
      proxy.faults.reset();
      await open.end().catch(() => undefined);
    }
    const after = viaProxy();
    await after.connect();
    expect((await after.query('SELECT 1 AS ok')).rows[0].ok).toBe(1);
    await after.end();
  });
});
