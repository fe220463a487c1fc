export { prng } from '@gerbang/simkit/random';

import { WIB_OFFSET_MS } from '@gerbang/simkit/time';

export { toWibIso } from '@gerbang/simkit/time';

/** `20261128`: the WIB calendar day of an instant, as batch file names carry it. */
export function wibCompactDate(instant: Date): string {
  return new Date(instant.getTime() + WIB_OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '');
}

/** `2026-11`: the WIB month of an instant, the register's publication period. */
export function wibMonth(instant: Date): string {
  return new Date(instant.getTime() + WIB_OFFSET_MS).toISOString().slice(0, 7);
}
