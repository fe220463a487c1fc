export { prng } from '@gerbang/simkit/random';

const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;

/** `20261128`: the WIB calendar day of an instant, as batch file names carry it. */
export function wibCompactDate(instant: Date): string {
  return new Date(instant.getTime() + WIB_OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '');
}

/** `2026-11`: the WIB month of an instant, the register's publication period. */
export function wibMonth(instant: Date): string {
  return new Date(instant.getTime() + WIB_OFFSET_MS).toISOString().slice(0, 7);
}

/** `2026-11-28T10:15:00+07:00`. */
export function toWibIso(instant: Date): string {
  return `${new Date(instant.getTime() + WIB_OFFSET_MS).toISOString().slice(0, 19)}+07:00`;
}
