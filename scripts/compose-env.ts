import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { parse } from 'yaml';

/**
 * What `docker compose` does with docker-compose.yml before it starts anything, for the checks
 * that run its services without a Docker engine (scripts/check-image.ts, test/docker-compose.test.ts):
 * read an env file (`--env-file`) and interpolate `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?message}`, `${VAR?message}` and `$$`, as compose's own rules say.
 */
export interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[]; interval?: string; timeout?: string; retries?: number };
  restart?: string;
  profiles?: string[];
  stop_grace_period?: string;
}
export interface ComposeFile {
  name: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export class MissingVariableError extends Error {
  constructor(
    readonly variable: string,
    readonly hint: string,
  ) {
    super(`required variable ${variable} is missing a value: ${hint}`);
  }
}

const REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

function interpolate(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(REFERENCE, (match, braced: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
    if (match === '$$') return '$';
    const name = (braced ?? bare)!;
    const value = vars[name];
    const unset = value === undefined;
    const empty = unset || value === '';
    switch (op) {
      case ':-':
        return empty ? arg! : value;
      case '-':
        return unset ? arg! : value;
      case ':?':
        if (empty) throw new MissingVariableError(name, arg!);
        return value;
      case '?':
        if (unset) throw new MissingVariableError(name, arg!);
        return value;
      default:
        return value ?? '';
    }
  });
}

/** Every `${VAR:?…}` of the file: each required variable once, with compose's message for it. */
export function requiredVariables(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(REFERENCE)) if (m[2] === ':?' || m[2] === '?') out.set(m[1]!, m[3]!);
  return out;
}

export const readEnvFile = (path: string): Record<string, string> => parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;

/** Interpolates every string of a parsed document (compose parses the YAML first, then interpolates values). */
function interpolateAll(node: unknown, vars: Record<string, string | undefined>): unknown {
  if (typeof node === 'string') return interpolate(node, vars);
  if (Array.isArray(node)) return node.map((n) => interpolateAll(n, vars));
  if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateAll(v, vars)]));
  return node;
}

/** docker-compose.yml as compose sees it with these variables (throws MissingVariableError like compose). */
export function loadCompose(path: string, vars: Record<string, string | undefined>): ComposeFile {
  return interpolateAll(parse(readFileSync(path, 'utf8')), vars) as ComposeFile;
}
