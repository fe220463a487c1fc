/**
 * NOP (Nomor Objek Pajak) of PBB-P2: 18 digits
 * `PP.DD.KKK.VVV.BBB-NNNN.J` = province 35, regency 03 (Trenggalek), SISMIOP kecamatan (3),
 * village (3), block (3), serial in the block (4), object type (1).
 * The kecamatan code here is SISMIOP's 3-digit one (010 … 140), not the 2-digit population code
 * inside a NIK: the two are never joined.
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

/** The seven NOP columns as SISMIOP names them, in key order. */
export const NOP_COLUMNS = ['KD_PROPINSI', 'KD_DATI2', 'KD_KECAMATAN', 'KD_KELURAHAN', 'KD_BLOK', 'NO_URUT', 'KD_JNS_OP'] as const;

/** Trenggalek's kecamatan by their SISMIOP code. */
export const KECAMATAN_SISMIOP: Readonly<Record<string, string>> = {
  '010': 'PANGGUL',
  '020': 'MUNJUNGAN',
  '030': 'PULE',
  '040': 'DONGKO',
  '050': 'TUGU',
  '060': 'KARANGAN',
  '070': 'KAMPAK',
  '080': 'WATULIMO',
  '090': 'BENDUNGAN',
  '100': 'GANDUSARI',
  '110': 'TRENGGALEK',
  '120': 'POGALAN',
  '130': 'DURENAN',
  '140': 'SURUH',
};

export class InvalidNopError extends Error {
  constructor(
    readonly input: string,
    readonly reason: string,
  ) {
    super(`Invalid NOP "${input}": ${reason}`);
    this.name = 'InvalidNopError';
  }
}

const PLAIN = /^(\d{2})(\d{2})(\d{3})(\d{3})(\d{3})(\d{4})(\d)$/;
// The printed form on an SPPT is `35.03.110.005.001-0012.0`; some systems print a dot before the
// serial instead of the dash.
const DOTTED = /^(\d{2})\.(\d{2})\.(\d{3})\.(\d{3})\.(\d{3})[-.](\d{4})\.(\d)$/;

/** Parses an 18-digit or printed NOP of Trenggalek; throws `InvalidNopError` saying what is wrong. */
export function parseNop(input: string): NopParts {
  const s = input.trim();
  const m = PLAIN.exec(s) ?? DOTTED.exec(s);
  if (!m) throw new InvalidNopError(input, 'expected 18 digits or the form 35.03.110.005.001-0012.0');
  const [, kdPropinsi, kdDati2, kdKecamatan, kdKelurahan, kdBlok, noUrut, kdJnsOp] = m as unknown as [string, string, string, string, string, string, string, string];
  if (kdPropinsi !== '35') throw new InvalidNopError(input, `province ${kdPropinsi} is not Jawa Timur (35)`);
  if (kdDati2 !== '03') throw new InvalidNopError(input, `regency ${kdDati2} is not Trenggalek (03)`);
  if (!(kdKecamatan in KECAMATAN_SISMIOP)) throw new InvalidNopError(input, `unknown kecamatan code ${kdKecamatan}`);
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

/**
 * Formats NOP parts: `dotted` (default) as printed on an SPPT, `plain` as 18 digits.
 * Accepts rows read from SISMIOP too, whose CHAR columns may carry padding.
 */
export function formatNop(parts: NopParts, style: 'dotted' | 'plain' = 'dotted'): string {
  const p = [parts.kdPropinsi, parts.kdDati2, parts.kdKecamatan, parts.kdKelurahan, parts.kdBlok, parts.noUrut, parts.kdJnsOp].map((x) => x.trim());
  const widths = [2, 2, 3, 3, 3, 4, 1];
  p.forEach((x, i) => {
    if (!/^\d+$/.test(x) || x.length !== widths[i]) throw new InvalidNopError(p.join(''), `part ${NOP_COLUMNS[i]} must be ${widths[i]} digits`);
  });
  return style === 'plain' ? p.join('') : `${p[0]}.${p[1]}.${p[2]}.${p[3]}.${p[4]}-${p[5]}.${p[6]}`;
}

/** NOP parts from a SISMIOP row (`KD_PROPINSI` … `KD_JNS_OP`). */
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

/** The NOP as the seven column values, in `NOP_COLUMNS` order, for a parameterised `WHERE`. */
export function nopValues(parts: NopParts): [string, string, string, string, string, string, string] {
  return [parts.kdPropinsi, parts.kdDati2, parts.kdKecamatan, parts.kdKelurahan, parts.kdBlok, parts.noUrut, parts.kdJnsOp];
}
