/**
 * Citizens' phone numbers: accepted as people write them (`0812-3456-7890`, `62812…`, `+62 812…`),
 * kept as E.164 (`+62812…`), and never logged or shown whole: `maskPhone` keeps the operator
 * prefix and the last three digits.
 */
const MOBILE = /^\+628\d{8,11}$/;

/** `+628…` for an Indonesian mobile number; null for anything else. */
export function normalizePhone(input: string): string | null {
  const compact = input.replace(/[\s().-]/g, '');
  const e164 = compact.startsWith('+') ? compact : compact.startsWith('62') ? `+${compact}` : compact.startsWith('0') ? `+62${compact.slice(1)}` : compact;
  return MOBILE.test(e164) ? e164 : null;
}

/** `+6281******890`: enough for the citizen to recognise their number, not to call it. */
export const maskPhone = (phone: string) => `${phone.slice(0, 5)}${'*'.repeat(Math.max(0, phone.length - 8))}${phone.slice(-3)}`;
