import { buildSubgraph, printSchema } from '@apollo/federation-internals';
import { parse, print } from 'graphql';
import { fetchServiceSdl, VerificationError } from './verify';

/**
 * The SDL as federation reads it, with comments, spacing, order of definitions and the federation
 * definitions a subgraph library may print or leave implicit set aside: what a subgraph serves, compared.
 */
export function normalizeSdl(sdl: string): string {
  const built = printSchema(buildSubgraph('subgraph', 'http://subgraph.invalid', sdl).schema);
  const doc = parse(built, { noLocation: true });
  const defs = doc.definitions.map((d) => print(d)).sort();
  return defs.join('\n');
}

/** Refuses a routing URL that is unreachable or serves another SDL than the one being published. */
export async function verifyRoutingUrl(url: string, name: string, sdl: string, secret: string, timeoutMs?: number): Promise<void> {
  const served = await fetchServiceSdl(url, name, secret, timeoutMs);
  let same: boolean;
  try {
    same = normalizeSdl(served) === normalizeSdl(sdl);
  } catch {
    same = false;
  }
  if (!same) throw new VerificationError(`${url} serves a different SDL from the one being published: deploy the new version first, then publish it`, 'different');
}
