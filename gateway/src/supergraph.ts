import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { SupergraphSdlHook } from '@apollo/gateway';
import { linkedDirectiveName, type Logger } from '@gerbang/common';
import { Kind, parse, print, visit } from 'graphql';

/**
 * Serves the supergraph from a file and hot-swaps it when the file changes (a new composition
 * is deployed by writing the file). A file that does not load leaves the running graph in place.
 */
export function supergraphFromFile(path: string, logger: Logger, intervalMs = 1_000): SupergraphSdlHook {
  return async ({ update }) => {
    let current = readFileSync(path, 'utf8');
    watchFile(path, { interval: intervalMs, persistent: false }, () => {
      let next: string;
      try {
        next = readFileSync(path, 'utf8');
      } catch (err) {
        logger.error({ err, path }, 'supergraph file unreadable; keeping the current graph');
        return;
      }
      if (next === current) return;
      try {
        update(next);
        current = next;
        logger.info({ path }, 'supergraph reloaded');
      } catch (err) {
        logger.error({ err, path }, 'new supergraph rejected; keeping the current graph');
      }
    });
    return { supergraphSdl: current, cleanup: async () => unwatchFile(path) };
  };
}

/** Subgraph names and URLs, read from the supergraph's join__Graph enum. */
export function subgraphsOf(supergraphSdl: string): { name: string; url: string }[] {
  const out: { name: string; url: string }[] = [];
  const re = /@join__graph\(name:\s*"([^"]+)",\s*url:\s*"([^"]+)"\)/g;
  for (let m = re.exec(supergraphSdl); m; m = re.exec(supergraphSdl)) out.push({ name: m[1]!, url: m[2]! });
  return out;
}

/**
 * Specs @apollo/gateway refuses in a supergraph (`for: SECURITY` features it does not implement):
 * the authorization directives, which the gateway enforces itself (edge/access.ts).
 */
const REFUSED_SPECS = /^https:\/\/specs\.apollo\.dev\/(authenticated|requiresScopes|policy)\/v\d+\.\d+$/;

/**
 * The supergraph as @apollo/gateway accepts it: without the @links to the specs it refuses, their
 * directive definitions and applications and the scalars they define (`requiresScopes__Scope`,
 * `policy__Policy`). Everything else, @cost and @listSize included, is left as composed. The
 * result is cached for the last SDL seen (a reload prepares one new SDL).
 */
export function supergraphForApolloGateway(supergraphSdl: string): string {
  if (prepared?.from === supergraphSdl) return prepared.to;
  const doc = parse(supergraphSdl);
  const names = new Set<string>();
  const urls = new Set<string>();
  const scalars = new Set<string>();
  for (const def of doc.definitions) {
    if (def.kind !== Kind.SCHEMA_DEFINITION && def.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const d of def.directives ?? []) {
      if (d.name.value !== 'link') continue;
      const url = d.arguments?.find((a) => a.name.value === 'url')?.value;
      if (url?.kind !== Kind.STRING) continue;
      const spec = REFUSED_SPECS.exec(url.value)?.[1];
      if (!spec) continue;
      const as = d.arguments?.find((a) => a.name.value === 'as')?.value;
      const prefix = as?.kind === Kind.STRING ? as.value : spec;
      names.add(linkedDirectiveName(doc, spec, spec)!);
      urls.add(url.value);
      for (const scalar of ['Scope', 'Policy']) scalars.add(`${prefix}__${scalar}`);
    }
  }
  if (!names.size) return supergraphSdl;
  const stripped = visit(doc, {
    Directive: (node) =>
      names.has(node.name.value) || (node.name.value === 'link' && node.arguments?.some((a) => a.name.value === 'url' && a.value.kind === Kind.STRING && urls.has(a.value.value))) ? null : undefined,
    DirectiveDefinition: (node) => (names.has(node.name.value) ? null : undefined),
    ScalarTypeDefinition: (node) => (scalars.has(node.name.value) ? null : undefined),
  });
  prepared = { from: supergraphSdl, to: print(stripped) };
  return prepared.to;
}
let prepared: { from: string; to: string } | undefined;

/**
 * Hands @apollo/gateway the supergraphs of `hook` without what it refuses, and remembers each
 * full SDL, so that what reads the supergraph's directives (access rules, list sizes) reads the
 * full one for the SDL @apollo/gateway reports as loaded.
 */
export function forApolloGateway(hook: SupergraphSdlHook): { hook: SupergraphSdlHook; full(coreSupergraphSdl: string): string } {
  // The loaded supergraph and a newer one @apollo/gateway may still refuse: the last two.
  const full = new Map<string, string>();
  const prepare = (sdl: string) => {
    const out = supergraphForApolloGateway(sdl);
    full.delete(out);
    full.set(out, sdl);
    if (full.size > 2) full.delete(full.keys().next().value!);
    return out;
  };
  return {
    hook: async (options) => {
      const result = await hook({ ...options, update: (sdl) => options.update(prepare(sdl)) });
      return { ...result, supergraphSdl: prepare(result.supergraphSdl) };
    },
    full: (core) => full.get(core) ?? core,
  };
}
