import pg from 'pg';
import { z } from 'zod';
import { chunks, parseWire, Upstream, currentRequestId, type Logger, type UpstreamOptions } from '@gerbang/common';
import { NOP_COLUMNS, nopFromRow, nopValues, parseNop, plainNop } from '../../nop';
import {
  type BillQuery,
  type PbbAssessment,
  type PbbPayment,
  type ServiceRequestRecord,
  type ServiceStatus,
  type ServiceType,
  type TaxBillRecord,
  type TaxObjectRecord,
  type TaxPaymentRecord,
  type TaxRegistry,
  type TaxStatistics,
} from './registry';

/** SISMIOP's codes (REF_JNS_PELAYANAN, REF_STATUS_PELAYANAN). */
const TYPE_OF_CODE: Record<string, ServiceType> = { '01': 'PENDAFTARAN', '02': 'MUTASI', '03': 'PEMBETULAN', '04': 'PEMBATALAN', '05': 'SALINAN', '07': 'KEBERATAN', '08': 'PENGURANGAN' };
const STATUS_OF_CODE: Record<string, ServiceStatus> = { '0': 'DITERIMA', '1': 'DIPROSES', '2': 'SELESAI', '3': 'DITOLAK' };

/** Rows per statement for key look-ups; more keys are split (a bound, not a tuning knob). */
export const SISMIOP_MAX_KEYS = 1_000;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface SismiopClientOptions extends Partial<Omit<UpstreamOptions, 'service'>> {
  /** URL of the read-only role (SISMIOP_DATABASE_URL). */
  connectionString: string;
  /** The PostgreSQL schema SISMIOP lives in (default `sismiop`). */
  schema?: string;
  /** Connections to the legacy database (default 4). */
  poolMax?: number;
  logger?: Logger;
}

// --- SISMIOP's rows as pg hands them over, checked at this boundary ------------------------------
/** CHAR columns come blank-padded; a NULL reads as empty text, as the legacy applications show it. */
const text = z
  .union([z.string(), z.number()])
  .nullable()
  .transform((v) => (v === null ? '' : String(v).trim()));
const textOrNull = text.transform((s) => (s ? s : null));
/** A key column: there must be a value. */
const key = z.union([z.string(), z.number()]).transform((v) => String(v).trim());
/** NUMERIC arrives from pg as a string; every amount and area in SISMIOP is whole (a NULL is 0, as in SISMIOP's reports). */
const whole = z
  .union([z.number(), z.string(), z.null()])
  .transform((v) => (v === null ? 0 : typeof v === 'number' ? v : Number(v.trim() || 'NaN')))
  .pipe(z.number().int('not a whole number'));
/** TIMESTAMP columns hold WIB wall-clock time; the SQL reads them with to_char (never through the Node time zone). */
const WIB_TEXT = 'YYYY-MM-DD"T"HH24:MI:SS';
const wib = z
  .string()
  .transform((s) => new Date(`${s.trim()}+07:00`))
  .pipe(z.date('not a WIB timestamp'));
const wibOrNull = z
  .string()
  .nullable()
  .transform((s) => (s?.trim() ? s : null))
  .pipe(wib.nullable());
/** YYYY-MM-DD, as to_char writes it. */
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** The seven NOP key columns. */
const nopKey = z.object(Object.fromEntries(NOP_COLUMNS.map((c) => [c, key])) as Record<(typeof NOP_COLUMNS)[number], typeof key>);

const ObjectRow = nopKey.extend({
  SUBJEK_PAJAK_ID: key,
  JALAN_OP: text,
  BLOK_KAV_NO_OP: textOrNull,
  RT_OP: textOrNull,
  RW_OP: textOrNull,
  TOTAL_LUAS_BUMI: whole,
  TOTAL_LUAS_BNG: whole,
  NM_KELURAHAN: textOrNull,
  NM_KECAMATAN: textOrNull,
});
const PaymentJson = z.object({ ke: whole, tgl: day, rekam: wib, jumlah: whole, denda: whole, tempat: textOrNull });
const BillRow = nopKey.extend({
  i: whole,
  THN_PAJAK_SPPT: whole,
  NM_WP_SPPT: text,
  PBB_YG_HARUS_DIBAYAR_SPPT: whole,
  STATUS_PEMBAYARAN_SPPT: text,
  SUBJEK_PAJAK_ID: key,
  JATUH_TEMPO: day,
  TERBIT: day,
  PEMBAYARAN: z.array(PaymentJson),
});
const RequestRow = nopKey.extend({
  NO_PELAYANAN: key,
  KD_JNS_PELAYANAN: text,
  THN_PAJAK_PERMOHONAN: whole,
  NIK_PEMOHON: text,
  KETERANGAN_PST: textOrNull,
  STATUS_PELAYANAN: text,
  TERIMA: wib,
  PERKIRAAN_SELESAI: day.nullable(),
  SELESAI: wibOrNull,
  NIP_PETUGAS: textOrNull,
  SEQ: whole,
  DIUBAH: wib,
});
/** Assessments (A) per kecamatan and tax year, payments (P) also per month. */
const CollectionRow = z.discriminatedUnion('JENIS', [
  z.object({ JENIS: z.literal('A'), NM_KECAMATAN: text, THN_PAJAK_SPPT: text, JUMLAH_OBJEK: whole, JUMLAH: whole }),
  z.object({ JENIS: z.literal('P'), NM_KECAMATAN: text, THN_PAJAK_SPPT: text, BULAN: z.string().regex(/^\d{4}-\d{2}$/), JUMLAH: whole }),
]);
const AccessRow = z.object({ user: z.string(), ro: z.boolean(), w: z.boolean() });

/** Resolves like `promise` unless `signal` fires first; a late result is handed to `onLate`. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal, onLate?: (value: T) => void): Promise<T> {
  const late = () =>
    void promise.then(
      (v) => onLate?.(v),
      () => undefined,
    );
  if (signal.aborted) {
    late();
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      late();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** RFC 3986 unreserved characters: the only ones left as they are in a sqlcommenter value. */
const UNRESERVED = /^[A-Za-z0-9._~-]$/;

/**
 * `sql` with the request id being served appended as a sqlcommenter comment
 * (https://google.github.io/sqlcommenter/): `… /*request_id='<percent-encoded id>'*\/`. SQL has no
 * headers, so this is how the id reaches SISMIOP (its proxy, and the server's own statement log and
 * pg_stat_activity). Every UTF-8 byte outside the unreserved set is percent-encoded, quote and `*` and
 * `/` included, so no id can end the quoted value or the comment. Outside a request, `sql` unchanged.
 */
export function withRequestIdComment(sql: string, requestId: string | undefined = currentRequestId()): string {
  if (!requestId) return sql;
  let value = '';
  for (const byte of Buffer.from(requestId, 'utf8')) {
    const c = String.fromCharCode(byte);
    value += UNRESERVED.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return `${sql} /*request_id='${value}'*/`;
}

/** An error the PostgreSQL server sent (it has a severity and a SQLSTATE): the connection itself is still fine. */
const ServerError = z.object({ severity: z.string(), code: z.string().regex(/^[0-9A-Z]{5}$/), message: z.string().catch('') });

/**
 * BPKPD's legacy SISMIOP database, read directly with `pg` through a read-only role, behind the
 * same timeout / retry / circuit-breaker as every agency adapter (everything here is a read, so every
 * call may be retried).
 *
 * - Read-only, three fences: the role (SELECT only, read-only by default), every session started
 *   with `default_transaction_read_only=on` (a startup parameter rather than a SET, so it holds
 *   from the session's first statement and no RESET ALL can lift it), and only SELECTs in this file.
 * - Deadline: `statement_timeout` on the server, and the Upstream's AbortSignal here, which drops
 *   the connection of a statement that overruns so the pool never waits on it.
 * - Batching: every method is one statement for any number of keys (up to SISMIOP_MAX_KEYS), with
 *   NOPs passed as seven arrays of key columns joined through `unnest`.
 * - No named prepared statements: legacy databases are often reached through a pooler in
 *   transaction mode (PgBouncer), where a statement prepared on one server session is unknown on
 *   the next.
 * - Request ids: each statement carries the id of the request being served as a sqlcommenter
 *   comment (withRequestIdComment).
 */
export class SismiopClient implements TaxRegistry, TaxStatistics {
  readonly upstream: Upstream;
  readonly pool: pg.Pool;
  readonly schema: string;
  private readonly s: string;
  private readonly logger?: Logger;

  constructor(options: SismiopClientOptions) {
    const { connectionString, schema = 'sismiop', poolMax = 4, logger, ...upstream } = options;
    if (!SCHEMA_NAME.test(schema)) throw new Error(`SISMIOP schema must be a plain lower-case identifier, not "${schema}"`);
    this.schema = schema;
    this.s = `"${schema}"`;
    this.logger = logger;
    const timeoutMs = upstream.timeoutMs ?? 3_000;
    this.upstream = new Upstream({ service: 'BPKPD SISMIOP', ...upstream, timeoutMs });
    this.pool = new pg.Pool({
      connectionString,
      max: poolMax,
      connectionTimeoutMillis: timeoutMs,
      idleTimeoutMillis: 30_000,
      statement_timeout: timeoutMs,
      application_name: 'gerbang-land-tax',
      options: '-c default_transaction_read_only=on',
    });
    // A reset connection (database restart, network) must never crash the subgraph: idle ones are
    // reported by the pool, checked-out ones by the client; the query in flight sees the error too.
    this.pool.on('error', (err) => this.logger?.warn({ err: err.message }, 'SISMIOP connection lost'));
    this.pool.on('connect', (client) => client.on('error', () => undefined));
  }

  /**
   * One statement, as an idempotent read through the Upstream (deadline, retries, breaker), tagged
   * with the request id being served (see withRequestIdComment).
   */
  private read<S extends z.ZodType>(sql: string, values: unknown[], row: S, table: string): Promise<z.output<S>[]> {
    const tagged = withRequestIdComment(sql);
    return this.upstream.call(async (signal) => parseWire(this.upstream.service, z.array(row), await this.run(tagged, values, signal), table), { idempotent: true });
  }

  private async run(sql: string, values: unknown[], signal: AbortSignal): Promise<unknown[]> {
    const client = await abortable(this.pool.connect(), signal, (late) => late.release());
    let released = false;
    const release = (destroy: boolean) => {
      if (released) return;
      released = true;
      client.release(destroy);
    };
    // Past the deadline the connection is dropped, not returned: its statement may still be running.
    const onAbort = () => release(true);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await abortable(client.query({ text: sql, values }), signal);
      const rows: unknown[] = result.rows;
      return rows;
    } catch (err) {
      const refused = ServerError.safeParse(err);
      if (refused.success) {
        // A refusal by the database (missing table, no privilege, statement timeout): log the detail
        // for operators, show clients only the SQLSTATE.
        this.logger?.warn({ code: refused.data.code, err: refused.data.message }, 'SISMIOP refused a query');
        release(false);
        throw new Error(`SISMIOP answered SQLSTATE ${refused.data.code}`, { cause: err });
      }
      release(true);
      throw err;
    } finally {
      signal.removeEventListener('abort', onAbort);
      release(false);
    }
  }

  // --- tax objects ----------------------------------------------------------------------------
  private objectSql(from: string, where: string): string {
    const s = this.s;
    return `SELECT ${NOP_COLUMNS.map((c) => `op."${c}"`).join(', ')}, op."SUBJEK_PAJAK_ID", op."JALAN_OP", op."BLOK_KAV_NO_OP",
              op."RT_OP", op."RW_OP", op."TOTAL_LUAS_BUMI", op."TOTAL_LUAS_BNG", kel."NM_KELURAHAN", kec."NM_KECAMATAN"
         FROM ${from}
         LEFT JOIN ${s}."REF_KELURAHAN" kel
           ON (kel."KD_PROPINSI", kel."KD_DATI2", kel."KD_KECAMATAN", kel."KD_KELURAHAN") = (op."KD_PROPINSI", op."KD_DATI2", op."KD_KECAMATAN", op."KD_KELURAHAN")
         LEFT JOIN ${s}."REF_KECAMATAN" kec
           ON (kec."KD_PROPINSI", kec."KD_DATI2", kec."KD_KECAMATAN") = (op."KD_PROPINSI", op."KD_DATI2", op."KD_KECAMATAN")
        WHERE ${where}
        ORDER BY ${NOP_COLUMNS.map((c) => `op."${c}"`).join(', ')}`;
  }

  private static toObject(row: z.output<typeof ObjectRow>): TaxObjectRecord {
    return {
      nop: plainNop(nopFromRow(row)),
      ownerNik: row.SUBJEK_PAJAK_ID,
      street: row.JALAN_OP,
      blockNo: row.BLOK_KAV_NO_OP,
      rt: row.RT_OP,
      rw: row.RW_OP,
      village: row.NM_KELURAHAN,
      kecamatan: row.NM_KECAMATAN,
      landArea: row.TOTAL_LUAS_BUMI,
      buildingArea: row.TOTAL_LUAS_BNG,
    };
  }

  async taxObjectsOf(niks: readonly string[]): Promise<Map<string, TaxObjectRecord[]>> {
    const out = new Map<string, TaxObjectRecord[]>(niks.map((n) => [n, []]));
    for (const part of chunks(niks, SISMIOP_MAX_KEYS)) {
      // SUBJEK_PAJAK_ID is CHAR(30): compared as bpchar, padding is insignificant and the index is used.
      const rows = await this.read(this.objectSql(`${this.s}."DAT_OBJEK_PAJAK" op`, `op."SUBJEK_PAJAK_ID" = ANY($1::bpchar[])`), [part], ObjectRow, 'DAT_OBJEK_PAJAK');
      for (const row of rows) {
        const o = SismiopClient.toObject(row);
        out.get(o.ownerNik)?.push(o);
      }
    }
    return out;
  }

  /** `unnest` over the seven NOP key columns (plus `extra` arrays), numbered by position. */
  private static nopKeys(nops: readonly string[], alias: string, extra: { name: string; values: (string | null)[] }[] = []) {
    const parts = nops.map((n) => nopValues(parseNop(n)));
    const columns = NOP_COLUMNS.map((_, i) => parts.map((p) => p[i]!));
    const arrays = [...columns, ...extra.map((e) => e.values)];
    const names = [...NOP_COLUMNS.map((c) => c.toLowerCase()), ...extra.map((e) => e.name), 'i'];
    const from = `unnest(${arrays.map((_, i) => `$${i + 1}::bpchar[]`).join(', ')}) WITH ORDINALITY AS ${alias}(${names.join(', ')})`;
    const on = (table: string) => NOP_COLUMNS.map((c) => `${table}."${c}" = ${alias}.${c.toLowerCase()}`).join(' AND ');
    return { from, on, values: arrays };
  }

  // --- bills and payments ---------------------------------------------------------------------
  /**
   * SPPT rows for many NOP × year look-ups, with their payments, in one statement: the keys are
   * unnested arrays (a null year = every year), payments are aggregated per SPPT.
   */
  async bills(queries: readonly BillQuery[]): Promise<TaxBillRecord[][]> {
    const out: TaxBillRecord[][] = queries.map(() => []);
    const s = this.s;
    for (const [chunkIndex, part] of chunks(queries, SISMIOP_MAX_KEYS).entries()) {
      const k = SismiopClient.nopKeys(
        part.map((q) => q.nop),
        'k',
        [{ name: 'thn', values: part.map((q) => (q.year === null ? null : String(q.year))) }],
      );
      const rows = await this.read(
        `SELECT k.i, ${NOP_COLUMNS.map((c) => `sp."${c}"`).join(', ')}, sp."THN_PAJAK_SPPT", sp."NM_WP_SPPT", sp."PBB_YG_HARUS_DIBAYAR_SPPT",
                sp."STATUS_PEMBAYARAN_SPPT", op."SUBJEK_PAJAK_ID", to_char(sp."TGL_JATUH_TEMPO_SPPT", 'YYYY-MM-DD') AS "JATUH_TEMPO",
                to_char(sp."TGL_TERBIT_SPPT", 'YYYY-MM-DD') AS "TERBIT", COALESCE(pay.list, '[]'::json) AS "PEMBAYARAN"
           FROM ${k.from}
           JOIN ${s}."SPPT" sp ON ${k.on('sp')} AND (k.thn IS NULL OR sp."THN_PAJAK_SPPT" = k.thn)
           JOIN ${s}."DAT_OBJEK_PAJAK" op ON ${NOP_COLUMNS.map((c) => `op."${c}" = sp."${c}"`).join(' AND ')}
           LEFT JOIN LATERAL (
             SELECT json_agg(json_build_object(
                      'ke', b."PEMBAYARAN_SPPT_KE", 'tgl', to_char(b."TGL_PEMBAYARAN_SPPT", 'YYYY-MM-DD'),
                      'rekam', to_char(b."TGL_REKAM_BYR_SPPT", '${WIB_TEXT}'), 'jumlah', b."JML_SPPT_YG_DIBAYAR"::text,
                      'denda', b."DENDA_SPPT"::text, 'tempat', tp."NM_TP") ORDER BY b."PEMBAYARAN_SPPT_KE") AS list
               FROM ${s}."PEMBAYARAN_SPPT" b
               LEFT JOIN ${s}."TEMPAT_PEMBAYARAN" tp
                 ON (tp."KD_KANWIL", tp."KD_KPPBB", tp."KD_BANK_TUNGGAL", tp."KD_BANK_PERSEPSI", tp."KD_TP")
                  = (b."KD_KANWIL_BANK", b."KD_KPPBB_BANK", b."KD_BANK_TUNGGAL", b."KD_BANK_PERSEPSI", b."KD_TP")
              WHERE ${NOP_COLUMNS.map((c) => `b."${c}" = sp."${c}"`).join(' AND ')} AND b."THN_PAJAK_SPPT" = sp."THN_PAJAK_SPPT"
           ) pay ON true
          ORDER BY k.i, sp."THN_PAJAK_SPPT" DESC`,
        k.values,
        BillRow,
        'SPPT',
      );
      for (const row of rows) {
        const index = chunkIndex * SISMIOP_MAX_KEYS + row.i - 1;
        out[index]?.push(SismiopClient.toBill(row));
      }
    }
    return out;
  }

  private static toBill(row: z.output<typeof BillRow>): TaxBillRecord {
    return {
      nop: plainNop(nopFromRow(row)),
      year: row.THN_PAJAK_SPPT,
      taxpayerName: row.NM_WP_SPPT,
      ownerNik: row.SUBJEK_PAJAK_ID,
      amount: row.PBB_YG_HARUS_DIBAYAR_SPPT,
      dueDate: row.JATUH_TEMPO,
      issuedOn: row.TERBIT,
      paid: row.STATUS_PEMBAYARAN_SPPT === '1',
      payments: row.PEMBAYARAN.map((p): TaxPaymentRecord => ({ sequence: p.ke, paidOn: p.tgl, recordedAt: p.rekam, amount: p.jumlah, penalty: p.denda, place: p.tempat })),
    };
  }

  // --- service requests (tickets) -------------------------------------------------------------
  private requestSql(where: string, tail = ''): string {
    return `SELECT "NO_PELAYANAN", "KD_JNS_PELAYANAN", ${NOP_COLUMNS.map((c) => `"${c}"`).join(', ')}, "THN_PAJAK_PERMOHONAN", "NIK_PEMOHON",
                   "KETERANGAN_PST", "STATUS_PELAYANAN", to_char("TGL_TERIMA", '${WIB_TEXT}') AS "TERIMA",
                   to_char("TGL_PERKIRAAN_SELESAI", 'YYYY-MM-DD') AS "PERKIRAAN_SELESAI", to_char("TGL_SELESAI", '${WIB_TEXT}') AS "SELESAI",
                   "NIP_PETUGAS", "UPDATE_SEQ"::text AS "SEQ", to_char("TGL_UPDATE", '${WIB_TEXT}') AS "DIUBAH"
              FROM ${this.s}."PST_PERMOHONAN"
             WHERE ${where} ${tail}`;
  }

  private static toRequest(row: z.output<typeof RequestRow>): ServiceRequestRecord {
    return {
      number: row.NO_PELAYANAN,
      type: TYPE_OF_CODE[row.KD_JNS_PELAYANAN] ?? null,
      typeCode: row.KD_JNS_PELAYANAN,
      nop: plainNop(nopFromRow(row)),
      taxYear: row.THN_PAJAK_PERMOHONAN,
      applicantNik: row.NIK_PEMOHON,
      note: row.KETERANGAN_PST,
      status: STATUS_OF_CODE[row.STATUS_PELAYANAN] ?? null,
      statusCode: row.STATUS_PELAYANAN,
      receivedAt: row.TERIMA,
      expectedBy: row.PERKIRAAN_SELESAI,
      completedAt: row.SELESAI,
      officerNip: row.NIP_PETUGAS,
      updateSeq: row.SEQ,
      updatedAt: row.DIUBAH,
    };
  }

  async serviceRequests(numbers: readonly string[]): Promise<Map<string, ServiceRequestRecord>> {
    const out = new Map<string, ServiceRequestRecord>();
    for (const part of chunks(numbers, SISMIOP_MAX_KEYS)) {
      const rows = await this.read(this.requestSql(`"NO_PELAYANAN" = ANY($1::varchar[])`), [part], RequestRow, 'PST_PERMOHONAN');
      for (const row of rows) {
        const r = SismiopClient.toRequest(row);
        out.set(r.number, r);
      }
    }
    return out;
  }

  /** The change feed: every insert and update moves a row to a new, higher UPDATE_SEQ (a trigger). */
  async changes(since: number, limit: number) {
    const rows = await this.read(this.requestSql(`"UPDATE_SEQ" > $1`, `ORDER BY "UPDATE_SEQ" LIMIT $2`), [since, limit + 1], RequestRow, 'PST_PERMOHONAN');
    const items = rows.slice(0, limit).map((r) => SismiopClient.toRequest(r));
    return { items, next: items.at(-1)?.updateSeq ?? since, hasMore: rows.length > limit };
  }

  /**
   * PBB assessed and paid per kecamatan and tax year (payments also per month), as one statement:
   * aggregates computed in SISMIOP, so no NOP, owner or amount of one object leaves the database.
   */
  async collection(fromYear: string, toYear: string): Promise<{ assessments: PbbAssessment[]; payments: PbbPayment[] }> {
    const s = this.s;
    const kec = (alias: string) =>
      `LEFT JOIN ${s}."REF_KECAMATAN" kec ON (kec."KD_PROPINSI", kec."KD_DATI2", kec."KD_KECAMATAN") = (${alias}."KD_PROPINSI", ${alias}."KD_DATI2", ${alias}."KD_KECAMATAN")`;
    const rows = await this.read(
      `SELECT 'A' AS "JENIS", kec."NM_KECAMATAN", sp."THN_PAJAK_SPPT", NULL AS "BULAN", count(*) AS "JUMLAH_OBJEK", sum(sp."PBB_YG_HARUS_DIBAYAR_SPPT") AS "JUMLAH"
         FROM ${s}."SPPT" sp ${kec('sp')}
        WHERE sp."THN_PAJAK_SPPT" BETWEEN $1 AND $2
        GROUP BY kec."NM_KECAMATAN", sp."THN_PAJAK_SPPT"
       UNION ALL
       SELECT 'P', kec."NM_KECAMATAN", p."THN_PAJAK_SPPT", to_char(p."TGL_PEMBAYARAN_SPPT", 'YYYY-MM'), count(*), sum(p."JML_SPPT_YG_DIBAYAR" - p."DENDA_SPPT")
         FROM ${s}."PEMBAYARAN_SPPT" p ${kec('p')}
        WHERE p."THN_PAJAK_SPPT" BETWEEN $1 AND $2
        GROUP BY kec."NM_KECAMATAN", p."THN_PAJAK_SPPT", to_char(p."TGL_PEMBAYARAN_SPPT", 'YYYY-MM')`,
      [fromYear, toYear],
      CollectionRow,
      'SPPT',
    );
    const assessments: PbbAssessment[] = [];
    const payments: PbbPayment[] = [];
    for (const r of rows) {
      const kecamatan = r.NM_KECAMATAN;
      const year = r.THN_PAJAK_SPPT;
      if (r.JENIS === 'A') assessments.push({ kecamatan, year, objects: r.JUMLAH_OBJEK, assessed: r.JUMLAH });
      else payments.push({ kecamatan, year, month: r.BULAN, paid: r.JUMLAH });
    }
    return { assessments, payments };
  }

  /** Who we are connected as and whether that role could write: for the boot log line. */
  async access(): Promise<{ user: string; readOnlySession: boolean; canWrite: boolean }> {
    const [row] = await this.read(
      `SELECT current_user AS "user", current_setting('default_transaction_read_only') = 'on' AS ro,
              has_table_privilege(format('%I.%I', $1::text, 'SPPT'), 'INSERT') AS w`,
      [this.schema],
      AccessRow,
      'current_user',
    );
    return { user: row?.user ?? '', readOnlySession: row?.ro === true, canWrite: row?.w === true };
  }

  async close(): Promise<void> {
    this.upstream.shutdown();
    await this.pool.end();
  }
}
