/** Small deterministic PRNG (mulberry32): the same seed gives the same register on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
