import { withClient, type PoolLike, type Queryable } from './install';
import { formatNop, nopValues, parseNop, type NopParts } from './nop';
import { quoteIdent } from './schema';
import { JENIS_PELAYANAN, OFFICERS, STATUS_PELAYANAN, type JenisPelayanan, type StatusPelayanan } from './seed';
import { addDays, wibDate, wibTimestamp } from './time';

/**
 * What BPKPD's counter application does to PST_PERMOHONAN, for demos and tests of the hub's change
 * feed: receive a request, then move it along. The hub itself only ever reads.
 */

export interface NewPermohonan {
  jenis: JenisPelayanan;
  nop: string | NopParts;
  nik: string;
  nama: string;
  alamat?: string;
  thnPajak?: number;
  keterangan?: string;
  /** Officer at the counter (default: Lilis Suryani, Pengolah Data PBB). */
  nipPenerima?: string;
  at?: Date;
}

const SLA_DAYS: Record<JenisPelayanan, number> = { PENDAFTARAN: 10, MUTASI: 7, PEMBETULAN: 7, PEMBATALAN: 10, SALINAN: 1, KEBERATAN: 30, PENGURANGAN: 30 };

export async function recordPermohonan(db: Queryable | PoolLike, input: NewPermohonan, options: { schema?: string } = {}): Promise<{ noPelayanan: string; updateSeq: number }> {
  const schema = options.schema ?? 'sismiop';
  const s = quoteIdent(schema);
  const nop = typeof input.nop === 'string' ? parseNop(input.nop) : parseNop(formatNop(input.nop));
  if (!/^\d{16}$/.test(input.nik)) throw new Error('NIK pemohon must be 16 digits');
  const at = input.at ?? new Date();
  const thn = wibDate(at).slice(0, 4);
  return withClient(db, async (c) => {
    await c.query('BEGIN');
    try {
      // Numbers are handed out one at a time per year, as at the counter.
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`gerbang.sismiop.pst:${schema}:${thn}`]);
      const last = await c.query(`SELECT count(*)::int AS n FROM ${s}."PST_PERMOHONAN" WHERE "THN_PELAYANAN" = $1`, [thn]);
      const n = Number(last.rows[0]?.n ?? 0) + 1;
      const bundel = String(Math.floor((n - 1) / 999) + 1).padStart(4, '0');
      const urut = String(((n - 1) % 999) + 1).padStart(3, '0');
      const noPelayanan = `${thn}.${bundel}.${urut}`;
      const inserted = await c.query(
        `INSERT INTO ${s}."PST_PERMOHONAN" ("THN_PELAYANAN", "BUNDEL_PELAYANAN", "NO_URUT_PELAYANAN", "NO_PELAYANAN", "KD_JNS_PELAYANAN",
           "KD_PROPINSI", "KD_DATI2", "KD_KECAMATAN", "KD_KELURAHAN", "KD_BLOK", "NO_URUT", "KD_JNS_OP",
           "THN_PAJAK_PERMOHONAN", "NIK_PEMOHON", "NAMA_PEMOHON", "ALAMAT_PEMOHON", "KETERANGAN_PST", "STATUS_PELAYANAN",
           "TGL_TERIMA", "TGL_PERKIRAAN_SELESAI", "NIP_PENERIMA", "TGL_UPDATE")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, '0', $18, $19, $20, $18)
         RETURNING "UPDATE_SEQ"`,
        [
          thn,
          bundel,
          urut,
          noPelayanan,
          JENIS_PELAYANAN[input.jenis],
          ...nopValues(nop),
          String(input.thnPajak ?? Number(thn)),
          input.nik,
          input.nama.toUpperCase().slice(0, 30),
          input.alamat?.toUpperCase().slice(0, 40) ?? null,
          input.keterangan?.toUpperCase().slice(0, 75) ?? null,
          wibTimestamp(at),
          addDays(wibDate(at), SLA_DAYS[input.jenis]),
          input.nipPenerima ?? OFFICERS.lilis,
        ],
      );
      await c.query('COMMIT');
      return { noPelayanan, updateSeq: Number(inserted.rows[0]!.UPDATE_SEQ) };
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  });
}

/**
 * Moves a request to another status. Finishing (SELESAI/DITOLAK) stamps TGL_SELESAI; the trigger
 * moves the row to the end of the change feed.
 */
export async function setPermohonanStatus(
  db: Queryable | PoolLike,
  noPelayanan: string,
  status: StatusPelayanan,
  options: { nip?: string; at?: Date; schema?: string } = {},
): Promise<{ updateSeq: number }> {
  const s = quoteIdent(options.schema ?? 'sismiop');
  const finished = status === 'SELESAI' || status === 'DITOLAK';
  const result = await withClient(db, (c) =>
    c.query(
      `UPDATE ${s}."PST_PERMOHONAN"
          SET "STATUS_PELAYANAN" = $2,
              "NIP_PETUGAS" = COALESCE($3, "NIP_PETUGAS"),
              "TGL_SELESAI" = CASE WHEN $4::boolean THEN $5::timestamp ELSE NULL END
        WHERE "NO_PELAYANAN" = $1
        RETURNING "UPDATE_SEQ"`,
      [noPelayanan, STATUS_PELAYANAN[status], options.nip ?? null, finished, wibTimestamp(options.at ?? new Date())],
    ),
  );
  const row = result.rows[0];
  if (!row) throw new Error(`no service request ${noPelayanan}`);
  return { updateSeq: Number(row.UPDATE_SEQ) };
}
