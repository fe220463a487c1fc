/**
 * NOP (Nomor Objek Pajak) of PBB-P2, 18 digits: `PP.DD.KKK.VVV.BBB-NNNN.J` = province (35 Jawa Timur),
 * regency (03 Trenggalek), SISMIOP kecamatan (3), village (3), block (3), serial in the block (4),
 * object type (1). SISMIOP keeps it split over seven CHAR key columns.
 *
 * The 3-digit kecamatan code is SISMIOP's own (010 … 140), not the 2-digit population code inside a
 * NIK: the two are never joined or converted into each other.
 *
 * (The same rules as BPKPD's system; kept here rather than imported from the simulator, which is not
 * shipped with the subgraph.)
 */

export interface NopParts {
  kdPropinsi: string;
  kdDati2: string;
  kdKecamatan: string;
  kdKelurahan: string;
  kdBlok: string;
  noUrut: string;
  kdJnsOp: string;
}

/** SISMIOP's seven NOP key columns, in key order. */
export const NOP_COLUMNS = ['KD_PROPINSI', 'KD_DATI2', 'KD_KECAMATAN', 'KD_KELURAHAN', 'KD_BLOK', 'NO_URUT', 'KD_JNS_OP'] as const;

/** Trenggalek's kecamatan by their SISMIOP (NOP) code. */
const NOP_KECAMATAN: Readonly<Record<string, string>> = {
  '010': 'Panggul',
  '020': 'Munjungan',
  '030': 'Pule',
  '040': 'Dongko',
  '050': 'Tugu',
  '060': 'Karangan',
  '070': 'Kampak',
  '080': 'Watulimo',
  '090': 'Bendungan',
  '100': 'Gandusari',
  '110': 'Trenggalek',
  '120': 'Pogalan',
  '130': 'Durenan',
  '140': 'Suruh',
};

export class InvalidNopError extends Error {
  constructor(
    readonly input: string,
    readonly reason: string,
  ) {
    super(`Invalid NOP: ${reason}.`);
    this.name = 'InvalidNopError';
  }
}

const PLAIN = /^(\d{2})(\d{2})(\d{3})(\d{3})(\d{3})(\d{4})(\d)$/;
// As printed on an SPPT: 35.03.110.005.001-0012.0; some print a dot before the serial instead of the dash.
const DOTTED = /^(\d{2})\.(\d{2})\.(\d{3})\.(\d{3})\.(\d{3})[-.](\d{4})\.(\d)$/;

/** Parses an 18-digit or printed NOP of Trenggalek; throws `InvalidNopError` saying what is wrong. */
export function parseNop(input: string): NopParts {
  const s = input.trim();
  const m = PLAIN.exec(s) ?? DOTTED.exec(s);
  if (!m) throw new InvalidNopError(input, 'expected 18 digits or the printed form 35.03.110.005.001-0012.0');
  const [kdPropinsi, kdDati2, kdKecamatan, kdKelurahan, kdBlok, noUrut, kdJnsOp] = m.slice(1) as [string, string, string, string, string, string, string];
  if (kdPropinsi !== '35') throw new InvalidNopError(input, `province ${kdPropinsi} is not Jawa Timur (35)`);
  if (kdDati2 !== '03') throw new InvalidNopError(input, `regency ${kdDati2} is not Trenggalek (03)`);
  if (!(kdKecamatan in NOP_KECAMATAN)) throw new InvalidNopError(input, `unknown kecamatan code ${kdKecamatan}`);
  if (kdKelurahan === '000') throw new InvalidNopError(input, 'village code 000');
  if (kdBlok === '000') throw new InvalidNopError(input, 'block 000');
  if (noUrut === '0000') throw new InvalidNopError(input, 'serial 0000');
  return { kdPropinsi, kdDati2, kdKecamatan, kdKelurahan, kdBlok, noUrut, kdJnsOp };
}

export function isValidNop(input: string): boolean {
  try {
    parseNop(input);
    return true;
  } catch {
    return false;
  }
}

const partsOf = (p: NopParts) => [p.kdPropinsi, p.kdDati2, p.kdKecamatan, p.kdKelurahan, p.kdBlok, p.noUrut, p.kdJnsOp];

/** The 18 digits: the key the adapter and the loaders use. */
export const plainNop = (p: NopParts): string => partsOf(p).join('');

/** As printed on an SPPT: `35.03.110.005.001-0012.0` (what the graph shows). */
export function dottedNop(p: NopParts | string): string {
  const [a, b, c, d, e, f, g] = partsOf(typeof p === 'string' ? parseNop(p) : p);
  return `${a}.${b}.${c}.${d}.${e}-${f}.${g}`;
}

/** NOP parts from a SISMIOP row (`KD_PROPINSI` … `KD_JNS_OP`), CHAR padding removed. */
export function nopFromRow(row: Record<string, unknown>): NopParts {
  const col = (c: (typeof NOP_COLUMNS)[number]) => (typeof row[c] === 'string' || typeof row[c] === 'number' ? String(row[c]).trim() : '');
  return {
    kdPropinsi: col('KD_PROPINSI'),
    kdDati2: col('KD_DATI2'),
    kdKecamatan: col('KD_KECAMATAN'),
    kdKelurahan: col('KD_KELURAHAN'),
    kdBlok: col('KD_BLOK'),
    noUrut: col('NO_URUT'),
    kdJnsOp: col('KD_JNS_OP'),
  };
}

/** The seven column values of a NOP, in `NOP_COLUMNS` order. */
export const nopValues = (p: NopParts) => partsOf(p) as [string, string, string, string, string, string, string];
