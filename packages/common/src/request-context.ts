import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request id of the GraphQL request being served, for code far from the resolver's context
 * (an adapter's HTTP call inside a DataLoader batch). Set by the subgraph HTTP server, so every
 * call to an agency system carries the id the gateway gave the request: one id across the logs
 * of the gateway, the subgraph and the agency system.
 */
const storage = new AsyncLocalStorage<{ requestId: string }>();

export const runWithRequestId = <T>(requestId: string, fn: () => T): T => storage.run({ requestId }, fn);

export const currentRequestId = (): string | undefined => storage.getStore()?.requestId;

/** `{ 'x-request-id': … }` while serving a request, else nothing. */
export function requestIdHeaders(): Record<string, string> {
  const id = currentRequestId();
  return id ? { 'x-request-id': id } : {};
}
