import { createHmac } from 'node:crypto';

/**
 * Keyed pseudonyms: who rated is kept apart from what was rated. A NIK, device id or IP address is
 * stored only as HMAC-SHA256 under the server's pepper, so the tables alone cannot be joined back
 * to a person, and the values never leave the subgraph through the API.
 */
export const keyedRef = (pepper: string, kind: 'citizen' | 'device' | 'ip', value: string) => createHmac('sha256', pepper).update(`${kind}:${value}`).digest('base64url');

export const citizenRef = (pepper: string, nik: string) => keyedRef(pepper, 'citizen', nik);
