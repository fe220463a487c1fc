import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runWithRequestId } from '@gerbang/common';
import { DEMO, OFFICERS, formatNop, recordPermohonan, setPermohonanStatus } from '@gerbang/sim-sismiop';
import { SismiopClient, withRequestIdComment } from '../src/adapters/sismiop/sismiop-client';
import { plainNop } from '../src/nop';
import { sismiopFixture, type SismiopFixture } from './fixture';

const NOW = new Date('2026-11-28T03:00:00Z'); // Saturday 10:00 WIB
const SITI = DEMO.siti.nik;
const SITI_RUMAH = plainNop(DEMO.siti.rumah);
const SITI_SAWAH = plainNop(DEMO.siti.sawah);
let fx: SismiopFixture;
let client: SismiopClient;

const newClient = (over: Partial<ConstructorParameters<typeof SismiopClient>[0]> = {}) =>
  new SismiopClient({ connectionString: fx.readerUrl, schema: fx.schema, timeoutMs: 400, retries: 1, retryDelayMs: 10, breaker: { volumeThreshold: 3, resetTimeoutMs: 200 }, ...over });
const queries = () => fx.proxy.stats.calls('query');

beforeAll(async () => {
  fx = await sismiopFixture({ now: NOW });
  client = newClient();
});
/* eslint-disable @typescript-eslint/no-unnecessary-condition -- undefined at run time when beforeAll failed before assigning it; a `let` cannot say so */
afterAll(async () => {
  await client?.close();
  await fx?.close();
});
/* eslint-enable @typescript-eslint/no-unnecessary-condition */
beforeEach(() => {
  fx.proxy.faults.reset();
  fx.proxy.stats.reset();
});

describe('SISMIOP adapter over the wire (pg through the read-only role)', () => {
  it("finds a taxpayer's objects in one statement, with CHAR padding and NUMERIC strings handled", async () => {
    const found = await client.taxObjectsOf([SITI, DEMO.budi.nik, '3503110101010001']);
    expect(queries()).toBe(1);
    expect(found.get(SITI)!.map((o) => o.nop)).toEqual([SITI_RUMAH, SITI_SAWAH]);
    expect(found.get(SITI)![0]).toEqual({
      nop: SITI_RUMAH,
      ownerNik: SITI,
      street: 'JL. PANGLIMA SUDIRMAN',
      blockNo: 'NO. 21',
      rt: '002',
      rw: '04',
      village: 'NGANTRU',
      kecamatan: 'TRENGGALEK',
      landArea: 180,
      buildingArea: 96,
    });
    expect(found.get(DEMO.budi.nik)).toHaveLength(1);
    expect(found.get('3503110101010001')).toEqual([]);
  });

  it('reads the bills of many NOPs × years, with their payments, in one statement', async () => {
    const rows = await fx.admin.query(
      `SELECT "KD_PROPINSI" || "KD_DATI2" || "KD_KECAMATAN" || "KD_KELURAHAN" || "KD_BLOK" || "NO_URUT" || "KD_JNS_OP" AS nop FROM "${fx.schema}"."DAT_OBJEK_PAJAK" ORDER BY 1 LIMIT 40`,
    );
    const nops = rows.rows.map((r) => r.nop as string);
    const asked = [
      ...nops.flatMap((nop) => [
        { nop, year: 2025 },
        { nop, year: 2026 },
      ]),
      { nop: SITI_SAWAH, year: null },
      { nop: SITI_RUMAH, year: 1999 },
    ];
    fx.proxy.stats.reset();
    const bills = await client.bills(asked);
    expect(queries()).toBe(1);
    expect(bills).toHaveLength(asked.length);
    bills.slice(0, 80).forEach((b, i) => expect(b.map((x) => [x.nop, x.year])).toEqual([[asked[i]!.nop, asked[i]!.year]]));
    expect(bills[80]!.map((b) => b.year)).toEqual([2026, 2025, 2024, 2023]);
    expect(bills[81]).toEqual([]);

    const paid = bills.flat().filter((b) => b.paid);
    expect(paid.length).toBeGreaterThan(20);
    for (const b of paid) {
      expect(b.payments.length).toBeGreaterThan(0);
      expect(b.payments[0]!.amount).toBe(b.amount + b.payments[0]!.penalty);
    }
    expect(
      bills
        .flat()
        .filter((b) => !b.paid)
        .every((b) => b.payments.length === 0),
    ).toBe(true);
  });

  it("maps Siti's bills: amounts in whole rupiah, due dates, and payments recorded in WIB", async () => {
    const found = await client.bills([
      { nop: SITI_SAWAH, year: 2026 },
      { nop: SITI_RUMAH, year: 2026 },
    ]);
    const [sawah, rumah] = found.map((bills) => bills[0]);
    expect(sawah).toMatchObject({ year: 2026, taxpayerName: 'SITI RAHAYU', ownerNik: SITI, dueDate: '2026-08-31', issuedOn: '2026-02-03', paid: false, payments: [] });
    expect(Number.isInteger(sawah!.amount) && sawah!.amount >= 10_000).toBe(true);
    expect(rumah).toMatchObject({ paid: true, payments: [{ sequence: 1, paidOn: '2026-06-12', penalty: 0 }] });
    const wall = await fx.admin.query(
      `SELECT to_char("TGL_REKAM_BYR_SPPT", 'YYYY-MM-DD HH24:MI:SS') AS t FROM "${fx.schema}"."PEMBAYARAN_SPPT"
        WHERE "KD_KECAMATAN" = '110' AND "KD_KELURAHAN" = '005' AND "KD_BLOK" = '001' AND "NO_URUT" = '0012' AND "THN_PAJAK_SPPT" = '2026'`,
    );
    // The column holds 2026-06-12 hh:mm (WIB wall-clock); the instant is 7 hours earlier in UTC.
    const t = wall.rows[0].t as string;
    expect(rumah!.payments[0]!.recordedAt.toISOString()).toBe(new Date(`${t.replace(' ', 'T')}+07:00`).toISOString());
    expect(rumah!.payments[0]!.place).toMatch(/BANK|POS/);
  });

  describe('service requests', () => {
    const filed: string[] = [];
    beforeAll(async () => {
      const kinds = ['MUTASI', 'KEBERATAN', 'SALINAN'] as const;
      for (let i = 0; i < 60; i++) {
        const { noPelayanan } = await recordPermohonan(
          fx.admin,
          { jenis: kinds[i % 3]!, nop: formatNop(i % 2 ? DEMO.siti.rumah : DEMO.siti.sawah), nik: SITI, nama: 'Siti Rahayu', at: new Date(NOW.getTime() - (60 - i) * 3600_000) },
          { schema: fx.schema },
        );
        filed.push(noPelayanan);
      }
    });

    it('reads 60 requests by number in one statement', async () => {
      fx.proxy.stats.reset();
      const found = await client.serviceRequests([...filed, '2026.9999.999']);
      expect(queries()).toBe(1);
      expect(found.size).toBe(60);
      const first = found.get(filed[0]!)!;
      expect(first).toMatchObject({ type: 'MUTASI', typeCode: '02', status: 'DITERIMA', applicantNik: SITI, nop: SITI_SAWAH, taxYear: 2026, completedAt: null, officerNip: null });
      expect(first.receivedAt.toISOString()).toBe(new Date(NOW.getTime() - 60 * 3600_000).toISOString());
    });

    it('follows the change feed by UPDATE_SEQ; a status change moves a request to the end', async () => {
      const a = await client.changes(0, 10);
      expect(a.items).toHaveLength(10);
      expect(a.hasMore).toBe(true);
      const seqs = a.items.map((r) => r.updateSeq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      // The seed's requests come first: warga.siti's SALINAN, completed by Lilis Suryani.
      const siti = (await client.changes(0, 500)).items.find((r) => r.applicantNik === SITI && r.type === 'SALINAN' && r.status === 'SELESAI');
      expect(siti).toMatchObject({ officerNip: OFFICERS.lilis });
      const end = (await client.changes(0, 500)).next;
      await setPermohonanStatus(fx.admin, filed[5]!, 'DIPROSES', { nip: OFFICERS.bambang, schema: fx.schema });
      const after = await client.changes(end, 10);
      expect(after.items.map((r) => [r.number, r.status, r.officerNip])).toEqual([[filed[5], 'DIPROSES', OFFICERS.bambang]]);
      expect(after.items[0]!.updateSeq).toBeGreaterThan(end);
      expect(after.hasMore).toBe(false);
    });
  });

  it('tags every statement with the request id being served (sqlcommenter), and none outside a request', async () => {
    await client.taxObjectsOf([SITI]);
    await client.changes(0, 1);
    expect(queries()).toBe(2);
    expect(fx.proxy.stats.requestIds).toEqual([]);

    fx.proxy.stats.reset();
    await runWithRequestId('req-sismiop-0001', async () => {
      await client.taxObjectsOf([SITI]);
      await client.bills([{ nop: SITI_SAWAH, year: 2026 }]);
      await client.serviceRequests(['2026.9999.999']);
      await client.changes(0, 1);
    });
    expect(queries()).toBe(4);
    expect(fx.proxy.stats.requestIds).toEqual(Array(4).fill('req-sismiop-0001'));

    // Concurrent requests each carry their own id.
    fx.proxy.stats.reset();
    await Promise.all(['req-sismiop-a', 'req-sismiop-b'].map((id) => runWithRequestId(id, () => client.taxObjectsOf([SITI]))));
    expect([...fx.proxy.stats.requestIds].sort()).toEqual(['req-sismiop-a', 'req-sismiop-b']);
  });

  it('encodes the request id so that no id can leave the comment', async () => {
    const hostile = `x'*/ DELETE FROM "${fx.schema}"."SPPT"; -- /* é`;
    expect(withRequestIdComment('SELECT 1', hostile)).toBe("SELECT 1 /*request_id='x%27%2A%2F%20DELETE%20FROM%20%22" + fx.schema + "%22.%22SPPT%22%3B%20--%20%2F%2A%20%C3%A9'*/");
    expect(withRequestIdComment('SELECT 1', undefined)).toBe('SELECT 1');
    const found = await runWithRequestId(hostile, () => client.taxObjectsOf([SITI]));
    expect(found.get(SITI)).toHaveLength(2);
    expect(fx.proxy.stats.requestIds).toEqual([hostile]);
    const sppt = await fx.admin.query(`SELECT count(*)::int AS n FROM "${fx.schema}"."SPPT"`);
    expect(sppt.rows[0].n).toBe(600);
  });

  it('cannot write: an INSERT through its own pool is refused', async () => {
    const session = await client.pool.query("SELECT current_user AS u, current_setting('default_transaction_read_only') AS ro");
    expect(session.rows[0]).toEqual({ u: fx.role, ro: 'on' });
    await expect(client.pool.query(`INSERT INTO "${fx.schema}"."REF_STATUS_PELAYANAN" VALUES ('9', 'DIBAJAK')`)).rejects.toMatchObject({
      code: expect.stringMatching(/^(25006|42501)$/),
    });
    // Even a session that turns the read-only default off has no right to write.
    const c = await client.pool.connect();
    try {
      await c.query('BEGIN READ WRITE');
      await expect(c.query(`DELETE FROM "${fx.schema}"."SPPT"`)).rejects.toMatchObject({ code: '42501' });
    } finally {
      await c.query('ROLLBACK');
      c.release();
    }
  });

  it('opens every session read-only, even as a user who could write', async () => {
    const admin = newClient({ connectionString: fx.adminUrl });
    try {
      const ro = await admin.pool.query("SELECT current_setting('default_transaction_read_only') AS ro");
      expect(ro.rows[0].ro).toBe('on');
      await expect(admin.pool.query(`UPDATE "${fx.schema}"."SPPT" SET "STATUS_PEMBAYARAN_SPPT" = '1'`)).rejects.toMatchObject({ code: '25006' });
    } finally {
      await admin.close();
    }
  });

  it('retries a read once, then reports UPSTREAM_UNAVAILABLE naming BPKPD SISMIOP', async () => {
    const before = client.upstream.attempts;
    fx.proxy.faults.set({ down: true });
    await expect(client.taxObjectsOf([SITI])).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'BPKPD SISMIOP' } });
    expect(client.upstream.attempts - before).toBe(2);
    fx.proxy.faults.reset();
    await expect(client.taxObjectsOf([SITI])).resolves.toBeInstanceOf(Map);
  });

  it('gives up on a slow database at the deadline, and drops the connection', async () => {
    await client.taxObjectsOf([SITI]); // a warm connection in the pool
    fx.proxy.faults.set({ latencyMs: 600 });
    await expect(client.taxObjectsOf([SITI])).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', reason: 'timed out after 400 ms' } });
    fx.proxy.faults.reset();
    await expect(client.taxObjectsOf([SITI])).resolves.toBeInstanceOf(Map);
  });

  it('shows clients only the SQLSTATE of a database refusal', async () => {
    const wrong = newClient({ schema: 'no_such_schema', retries: 0 });
    try {
      await expect(wrong.taxObjectsOf([SITI])).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', reason: 'SISMIOP answered SQLSTATE 42P01' } });
    } finally {
      await wrong.close();
    }
  });

  it('opens the circuit when the database is down, fails fast, then recovers', async () => {
    const fresh = newClient({ retries: 0 });
    try {
      fx.proxy.faults.set({ down: true });
      for (let i = 0; i < 3; i++) await fresh.taxObjectsOf([SITI]).catch(() => undefined);
      expect(fresh.upstream.state).toBe('open');
      const attempts = fresh.upstream.attempts;
      await expect(fresh.taxObjectsOf([SITI])).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', reason: 'circuit open' } });
      expect(fresh.upstream.attempts).toBe(attempts);
      fx.proxy.faults.reset();
      // Past resetTimeoutMs the breaker lets one probe through: wait for that state, not for a fixed time.
      await vi.waitFor(() => expect(fresh.upstream.state).toBe('half-open'), { timeout: 5_000, interval: 10 });
      await expect(fresh.taxObjectsOf([SITI])).resolves.toBeInstanceOf(Map);
      expect(fresh.upstream.state).toBe('closed');
    } finally {
      await fresh.close();
    }
  });

  it("answers a row that breaks SISMIOP's types with UPSTREAM_INVALID naming the table, row and column, and counts it against the breaker", async () => {
    const { noPelayanan } = await recordPermohonan(fx.admin, { jenis: 'MUTASI', nop: formatNop(DEMO.siti.rumah), nik: SITI, nama: 'Siti Rahayu', at: NOW }, { schema: fx.schema });
    // BPKPD's own application writes a tax year that is no year into the CHAR(4) column.
    await fx.admin.query(`UPDATE "${fx.schema}"."PST_PERMOHONAN" SET "THN_PAJAK_PERMOHONAN" = 'TH26' WHERE "NO_PELAYANAN" = $1`, [noPelayanan]);
    const fresh = newClient({ retries: 0 });
    try {
      fx.proxy.stats.reset();
      await expect(fresh.serviceRequests([noPelayanan])).rejects.toMatchObject({
        extensions: { code: 'UPSTREAM_INVALID', service: 'BPKPD SISMIOP', wirePath: 'PST_PERMOHONAN[0].THN_PAJAK_PERMOHONAN' },
      });
      expect(queries()).toBe(1);
      for (let i = 0; i < 2; i++) await fresh.serviceRequests([noPelayanan]).catch(() => undefined);
      expect(fresh.upstream.state).toBe('open');
    } finally {
      await fresh.close();
      await fx.admin.query(`DELETE FROM "${fx.schema}"."PST_PERMOHONAN" WHERE "NO_PELAYANAN" = $1`, [noPelayanan]);
    }
  });
});
