/**
 * NIP (Nomor Induk Pegawai) layout, 18 digits: birth date `YYYYMMDD`, appointment (TMT CPNS or
 * PPPK) `YYYYMM`, sex `1` male / `2` female, serial `NNN`. PPPK staff numbers follow the same layout.
 */
export type Sex = 'M' | 'F';

export interface NipParts {
  /** `YYYY-MM-DD` */
  birthDate: string;
  /** `YYYY-MM` */
  appointed: string;
  sex: Sex;
  serial: string;
}

const NIP_PATTERN = /^(\d{4})(\d{2})(\d{2})(\d{4})(\d{2})([12])(\d{3})$/;

function isRealDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/**
 * Parses a NIP; `null` unless the birth date is real, the appointment month exists, the appointee
 * was at least 18 and appointed after birth, and the serial is not 000.
 */
export function parseNip(nip: string): NipParts | null {
  const m = NIP_PATTERN.exec(nip);
  if (!m) return null;
  const [, by, bm, bd, ay, am, sex, serial] = m as unknown as [string, string, string, string, string, string, string, string];
  if (!isRealDate(Number(by), Number(bm), Number(bd))) return null;
  if (Number(am) < 1 || Number(am) > 12) return null;
  if (Number(ay) < Number(by) + 18) return null;
  if (serial === '000') return null;
  return { birthDate: `${by}-${bm}-${bd}`, appointed: `${ay}-${am}`, sex: sex === '1' ? 'M' : 'F', serial };
}

export function isValidNip(nip: string): boolean {
  return parseNip(nip) !== null;
}

export function makeNip(birthDate: string, appointed: string, sex: Sex, serial: number): string {
  return `${birthDate.replaceAll('-', '')}${appointed.replace('-', '')}${sex === 'M' ? '1' : '2'}${String(serial).padStart(3, '0')}`;
}
