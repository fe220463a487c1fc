/**
 * gerbang: the agencies' command line for the schema registry.
 *
 *   gerbang subgraph check    --name <n> (--schema <file> | --url <url>) [--routing-url <url>]
 *   gerbang subgraph publish  --name <n> (--schema <file> | --url <url>) --routing-url <url> [--commit <sha>] [--force --reason <why>]
 *   gerbang subgraph list
 *   gerbang subgraph log      [--name <n>]
 *   gerbang subgraph verify   --name <n> --url <url> [--budget-ms 1000]
 *   gerbang supergraph list
 *   gerbang supergraph rollback --to <version> --reason <why>
 *   gerbang agency feed-key   <agency id>      (an administrator's token: issues a ticket feed key, printed once)
 * Common: --registry <gateway URL> (GERBANG_REGISTRY, default http://127.0.0.1:4000), --token <jwt>
 * (GERBANG_TOKEN), --json. `--url` and `verify` sign their calls with INTERNAL_SIGNING_SECRET (or --secret).
 *
 * Exit codes: 0 done (checks pass); 1 checks failed or publish refused; 2 wrong usage or input;
 * 3 not authenticated or not allowed; 4 the subgraph or the registry unreachable, or the routing
 * URL serving another SDL; 5 anything else.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CheckReport, LogEntry, PublishResult, SubgraphVersion, SupergraphVersion } from '@gerbang/registry';
import { formatReport } from '@gerbang/registry/report';

// Loaded when a command needs them (they bring graphql and the signing code): `list`, `log`,
// `publish --schema` and `rollback` start without.
const verify = () => import('@gerbang/registry/verify');
const conformance = () => import('@gerbang/registry/conformance');

/** A registry type as its HTTP answer carries it: JSON has no Date, the server sends ISO text. */
type Wire<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] };

/**
 * The registry's HTTP answers (packages/registry/src/http.ts), typed from the registry's own types.
 * They are not re-checked with a schema library: every command would load it (importing zod took
 * about 0.3 s here), and the answers come from the registry these types describe.
 */
interface RegistryAnswers {
  '/check': { report: CheckReport };
  '/publish': Wire<PublishResult>;
  '/subgraphs': { supergraphVersion: number | null; subgraphs: Wire<Omit<SubgraphVersion, 'sdl'>>[] };
  '/log': { entries: Wire<LogEntry>[] };
  '/supergraphs': { versions: Wire<Omit<SupergraphVersion, 'sdl'>>[] };
  '/rollback': { supergraphVersion: number; restores: number | null };
}

/** The `{ error: { code, message } }` of a refused registry call, if the answer has one. */
function registryError(out: unknown): { code: string | undefined; message: string | undefined } {
  const error = typeof out === 'object' && out !== null && 'error' in out ? out.error : undefined;
  if (typeof error !== 'object' || error === null) return { code: undefined, message: undefined };
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  const message = 'message' in error && typeof error.message === 'string' ? error.message : undefined;
  return { code, message };
}

export const EXIT = { OK: 0, CHECKS_FAILED: 1, USAGE: 2, AUTH: 3, UNREACHABLE: 4, OTHER: 5 } as const;

const USAGE = `usage:
  gerbang subgraph check    --name <name> (--schema <file.graphql> | --url <subgraph url>) [--routing-url <url>]
  gerbang subgraph publish  --name <name> (--schema <file.graphql> | --url <subgraph url>) --routing-url <url> [--commit <sha>] [--force --reason <why>]
  gerbang subgraph list
  gerbang subgraph log      [--name <name>]
  gerbang subgraph verify   --name <name> --url <subgraph url> [--budget-ms <ms>]
  gerbang supergraph list
  gerbang supergraph rollback --to <version> --reason <why>
  gerbang agency feed-key   <agency id>
options: --registry <gateway url> (GERBANG_REGISTRY; default http://127.0.0.1:4000)  --token <jwt> (GERBANG_TOKEN)
         --secret <hub signing secret> (INTERNAL_SIGNING_SECRET; for --url and verify)  --json
exit codes: 0 ok, 1 checks failed / refused, 2 usage, 3 not authenticated or not allowed, 4 unreachable or unverified, 5 other`;

class CliError extends Error {
  constructor(
    message: string,
    readonly exit: number,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

interface Io {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

const defaultIo: Io = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`), env: process.env };

function exitOf(status: number, code?: string): number {
  if (status === 401 || status === 403) return EXIT.AUTH;
  if (code === 'SCHEMA_CHECK_FAILED') return EXIT.CHECKS_FAILED;
  if (code === 'SUBGRAPH_UNVERIFIED') return EXIT.UNREACHABLE;
  if (status === 400 || status === 404) return EXIT.USAGE;
  return EXIT.OTHER;
}

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        schema: { type: 'string' },
        url: { type: 'string' },
        'routing-url': { type: 'string' },
        commit: { type: 'string' },
        force: { type: 'boolean' },
        reason: { type: 'string' },
        to: { type: 'string' },
        token: { type: 'string' },
        registry: { type: 'string' },
        secret: { type: 'string' },
        'budget-ms': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    io.err(`${(err as Error).message}\n${USAGE}`);
    return EXIT.USAGE;
  }
  const { values: v, positionals } = parsed;
  const json = v.json === true;
  const [group, command, subject] = positionals;
  if (v.help || !group) {
    io.out(USAGE);
    return v.help ? EXIT.OK : EXIT.USAGE;
  }
  const registry = (v.registry ?? io.env.GERBANG_REGISTRY ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');
  const token = v.token ?? io.env.GERBANG_TOKEN;
  const secret = v.secret ?? io.env.INTERNAL_SIGNING_SECRET?.split(',')[0]?.trim();

  const call = async <P extends keyof RegistryAnswers>(method: 'GET' | 'POST', route: P, body?: unknown, query = ''): Promise<RegistryAnswers[P]> => {
    const path = `${route}${query}`;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await fetch(`${registry}/registry${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), signal: AbortSignal.timeout(60_000) });
    } catch (err) {
      throw new CliError(`the registry at ${registry} is unreachable (${(err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message})`, EXIT.UNREACHABLE);
    }
    const text = await res.text();
    let out: unknown;
    try {
      out = JSON.parse(text);
    } catch {
      throw new CliError(`the registry answered HTTP ${res.status} without JSON: is ${registry} a Gerbang gateway?`, EXIT.OTHER);
    }
    if (!res.ok) {
      const error = registryError(out);
      throw new CliError(`${error.code ?? `HTTP ${res.status}`}: ${error.message ?? text.slice(0, 300)}`, exitOf(res.status, error.code), out);
    }
    return out as RegistryAnswers[P];
  };
  /** A GraphQL operation through the gateway's /graphql, as the token's caller. */
  const graphql = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
    if (!token) throw new CliError('this command needs a token (--token or GERBANG_TOKEN)', EXIT.AUTH);
    let res: Response;
    try {
      res = await fetch(`${registry}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'apollographql-client-name': 'gerbang-cli' },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (err) {
      throw new CliError(`the gateway at ${registry} is unreachable (${(err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message})`, EXIT.UNREACHABLE);
    }
    const out = (await res.json().catch(() => undefined)) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] } | undefined;
    if (!out) throw new CliError(`the gateway answered HTTP ${res.status} without JSON: is ${registry} a Gerbang gateway?`, EXIT.OTHER);
    const first = out.errors?.[0];
    if (first) {
      const code = first.extensions?.code;
      const exit = code === 'UNAUTHENTICATED' || code === 'FORBIDDEN' ? EXIT.AUTH : code === 'BAD_USER_INPUT' ? EXIT.USAGE : code === 'UPSTREAM_UNAVAILABLE' ? EXIT.UNREACHABLE : EXIT.OTHER;
      throw new CliError(`${code ?? `HTTP ${res.status}`}: ${first.message}`, exit, { error: { code, message: first.message } });
    }
    if (!out.data) throw new CliError(`the gateway answered HTTP ${res.status} without data`, EXIT.OTHER);
    return out.data;
  };
  const need = (name: keyof typeof v, what: string): string => {
    const value = v[name];
    if (typeof value !== 'string' || !value) throw new CliError(`${what} is required (--${name})`, EXIT.USAGE);
    return value;
  };
  const sdlFrom = async (name: string): Promise<string> => {
    if (v.schema && v.url) throw new CliError('give --schema or --url, not both', EXIT.USAGE);
    if (v.schema) {
      try {
        return readFileSync(v.schema, 'utf8');
      } catch (err) {
        throw new CliError(`cannot read ${v.schema}: ${(err as Error).message}`, EXIT.USAGE);
      }
    }
    if (v.url) {
      if (!secret) throw new CliError('--url asks the subgraph for its SDL with a signed call: set INTERNAL_SIGNING_SECRET (or --secret)', EXIT.USAGE);
      try {
        return await (await verify()).fetchServiceSdl(v.url, name, secret);
      } catch (err) {
        throw new CliError((err as Error).message, EXIT.UNREACHABLE);
      }
    }
    throw new CliError('give the schema: --schema <file.graphql> or --url <subgraph url>', EXIT.USAGE);
  };
  const printReport = (report: CheckReport) => (json ? io.out(JSON.stringify({ report }, null, 2)) : io.out(formatReport(report)));

  try {
    const what = `${group} ${command ?? ''}`.trim();
    switch (what) {
      case 'subgraph check': {
        const name = need('name', 'the subgraph name');
        const report = (await call('POST', '/check', { name, sdl: await sdlFrom(name), ...(v['routing-url'] ? { routingUrl: v['routing-url'] } : {}) })).report;
        printReport(report);
        return report.ok ? EXIT.OK : EXIT.CHECKS_FAILED;
      }
      case 'subgraph publish': {
        const name = need('name', 'the subgraph name');
        const routingUrl = need('routing-url', 'the routing URL the gateways will call');
        if (v.force && !v.reason) throw new CliError('--force needs --reason', EXIT.USAGE);
        const out = await call('POST', '/publish', {
          name,
          sdl: await sdlFrom(name),
          routingUrl,
          ...((v.commit ?? io.env.GERBANG_COMMIT) ? { commit: v.commit ?? io.env.GERBANG_COMMIT } : {}),
          ...(v.force ? { force: true } : {}),
          ...(v.reason ? { reason: v.reason } : {}),
        });
        if (json) io.out(JSON.stringify(out, null, 2));
        else {
          if ('report' in out) io.out(formatReport(out.report));
          io.out(
            out.status === 'unchanged'
              ? `\n"${name}" is unchanged: subgraph version ${out.subgraphVersion} is current (supergraph version ${out.supergraphVersion}).`
              : `\n${out.status === 'forced' ? 'FORCED' : 'Published'}: "${name}" subgraph version ${out.subgraphVersion}, supergraph version ${out.supergraphVersion}. The gateways load it within seconds.`,
          );
        }
        return EXIT.OK;
      }
      case 'subgraph list': {
        const out = await call('GET', '/subgraphs');
        if (json) io.out(JSON.stringify(out, null, 2));
        else {
          io.out(`supergraph version ${out.supergraphVersion ?? '(none)'}`);
          const rows = out.subgraphs.map((s) => [s.name, String(s.id), s.routingUrl, s.publisher, s.commit ?? '', new Date(s.publishedAt).toISOString()]);
          io.out(table(['subgraph', 'version', 'routing URL', 'publisher', 'commit', 'published'], rows));
        }
        return EXIT.OK;
      }
      case 'subgraph log': {
        const out = await call('GET', '/log', undefined, v.name ? `?subgraph=${encodeURIComponent(v.name)}` : '');
        if (json) io.out(JSON.stringify(out, null, 2));
        else
          io.out(
            table(
              ['#', 'at', 'action', 'subgraph', 'actor', 'supergraph', 'reason'],
              out.entries.map((e) => [
                String(e.id),
                new Date(e.at).toISOString(),
                e.action,
                e.subgraph ?? '',
                e.actor,
                e.supergraphVersion == null ? '' : String(e.supergraphVersion),
                (e.reason ?? '').slice(0, 100),
              ]),
            ),
          );
        return EXIT.OK;
      }
      case 'subgraph verify': {
        const name = need('name', 'the subgraph name');
        const url = need('url', "the subgraph's URL");
        if (!secret) throw new CliError('verify signs its calls as the gateway does: set INTERNAL_SIGNING_SECRET (or --secret)', EXIT.USAGE);
        const { formatConformance, runConformance } = await conformance();
        const results = await runConformance({ url, name, secret, ...(v['budget-ms'] ? { batchBudgetMs: Number(v['budget-ms']) } : {}) });
        io.out(json ? JSON.stringify({ results }, null, 2) : formatConformance(results));
        return results.every((r) => r.ok) ? EXIT.OK : EXIT.CHECKS_FAILED;
      }
      case 'supergraph list': {
        const out = await call('GET', '/supergraphs');
        if (json) io.out(JSON.stringify(out, null, 2));
        else
          io.out(
            table(
              ['version', 'created', 'by', 'restores', 'subgraphs'],
              out.versions.map((s) => [
                String(s.id),
                new Date(s.createdAt).toISOString(),
                s.createdBy,
                s.restores == null ? '' : String(s.restores),
                Object.entries(s.subgraphs)
                  .map(([n, id]) => `${n}@${id}`)
                  .join(' '),
              ]),
            ),
          );
        return EXIT.OK;
      }
      case 'supergraph rollback': {
        const to = Number(need('to', 'the version to restore'));
        const reason = need('reason', 'the reason');
        const out = await call('POST', '/rollback', { version: to, reason });
        io.out(json ? JSON.stringify(out, null, 2) : `Rolled back: supergraph version ${out.supergraphVersion} restores version ${out.restores}. The gateways load it within seconds.`);
        return EXIT.OK;
      }
      case 'agency feed-key': {
        if (!subject) throw new CliError('name the agency: gerbang agency feed-key <agency id>', EXIT.USAGE);
        const data = await graphql<{ issueTicketFeedKey: { agencyId: string; key: string; issuedAt: string } }>(
          'mutation IssueTicketFeedKey($agencyId: ID!) { issueTicketFeedKey(agencyId: $agencyId) { agencyId key issuedAt } }',
          { agencyId: subject },
        );
        const issued = data.issueTicketFeedKey;
        io.out(
          json
            ? JSON.stringify(issued, null, 2)
            : `Ticket feed key of ${issued.agencyId}, issued ${issued.issuedAt} (shown once; the ledger keeps only what checks it):\n${issued.key}\nSet it as TICKET_FEED_KEY of ${issued.agencyId}'s subgraph.`,
        );
        return EXIT.OK;
      }
      default:
        io.err(`unknown command "${what}"\n${USAGE}`);
        return EXIT.USAGE;
    }
  } catch (err) {
    if (!(err instanceof CliError)) {
      io.err(`gerbang: ${(err as Error).message}`);
      return EXIT.OTHER;
    }
    const report = (err.body as { error?: { report?: CheckReport } } | undefined)?.error?.report;
    if (json) io.out(JSON.stringify(err.body ?? { error: { message: err.message } }, null, 2));
    else if (report) io.out(formatReport(report));
    io.err(`gerbang: ${err.message}`);
    return err.exit;
  }
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
