import { signRequest } from '@gerbang/common';

export const SERVICE_SDL_QUERY = '{ _service { sdl } }';

/** The registry's identity inside the signed envelope of its calls. */
export const REGISTRY_CALLER = { sub: 'system:registry', roles: [] as never[], name: 'schema registry' };

export class VerificationError extends Error {
  constructor(
    message: string,
    readonly reason: 'unreachable' | 'refused' | 'invalid' | 'different',
  ) {
    super(message);
  }
}

/**
 * Asks the subgraph at `url` for its SDL, with a call signed as the gateway signs every subgraph
 * call (audience: the subgraph's name), and returns it. Unreachable, refusing or answering
 * something else than an SDL: VerificationError.
 */
export async function fetchServiceSdl(url: string, name: string, secret: string, timeoutMs = 5_000): Promise<string> {
  const body = JSON.stringify({ query: SERVICE_SDL_QUERY });
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signRequest(secret, body, REGISTRY_CALLER, name) },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw new VerificationError(`${url} is unreachable (${cause})`, 'unreachable');
  }
  const text = await res.text();
  if (res.status === 401 || res.status === 403)
    throw new VerificationError(
      `${url} refused the registry's signed call (HTTP ${res.status}${reasonOf(text)}): does it share the hub's INTERNAL_SIGNING_SECRET, and is it named "${name}"?`,
      'refused',
    );
  if (!res.ok) throw new VerificationError(`${url} answered HTTP ${res.status} to _service { sdl }`, 'unreachable');
  let sdl: unknown;
  try {
    sdl = (JSON.parse(text) as { data?: { _service?: { sdl?: unknown } } }).data?._service?.sdl;
  } catch {
    /* below */
  }
  if (typeof sdl !== 'string') throw new VerificationError(`${url} does not answer _service { sdl } (not a federation subgraph?)`, 'invalid');
  return sdl;
}

function reasonOf(text: string): string {
  try {
    const reason =
      (JSON.parse(text) as { reason?: string; errors?: { extensions?: { reason?: string } }[] }).reason ??
      (JSON.parse(text) as { errors?: { extensions?: { reason?: string } }[] }).errors?.[0]?.extensions?.reason;
    return reason ? `, reason ${reason}` : '';
  } catch {
    return '';
  }
}
