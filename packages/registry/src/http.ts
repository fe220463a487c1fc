import type http from 'node:http';
import { readBody, sendJson, type Logger } from '@gerbang/common';
import { Registry, RegistryError, type Actor } from './registry';

const MAX_BODY = 2_000_000;

/** Who asks, from the gateway's identity; undefined when anonymous; throws (401) on a bad token. */
export type ActorOf = (req: http.IncomingMessage) => Promise<Actor | undefined>;

async function jsonBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  let raw: Buffer;
  try {
    raw = await readBody(req, MAX_BODY);
  } catch {
    throw new RegistryError('BAD_USER_INPUT', `The request body is over ${MAX_BODY} bytes.`);
  }
  try {
    const body = JSON.parse(raw.toString('utf8')) as unknown;
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    /* below */
  }
  throw new RegistryError('BAD_USER_INPUT', 'The request body must be a JSON object.');
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * The registry's HTTP API, served by the gateway under /registry/ (the CLI's only door):
 *   POST /registry/check      {name, sdl, routingUrl?}                         → {report}
 *   POST /registry/publish    {name, sdl, routingUrl, commit?, force?, reason?} → {status, subgraphVersion, supergraphVersion, report}
 *   POST /registry/rollback   {version, reason}                                 → {supergraphVersion, restores}
 *   GET  /registry/subgraphs                                                    → {supergraphVersion, subgraphs}
 *   GET  /registry/subgraphs/<name>                                             → the current version with its SDL, and its history
 *   GET  /registry/supergraphs                                                  → the versions, newest first
 *   GET  /registry/log?subgraph=&limit=                                         → the log, newest first
 * Errors: {error: {code, message, ...}} with the HTTP status of the code (RegistryError).
 */
export function registryHttp(registry: Registry, actorOf: ActorOf, logger: Logger) {
  // Checks compose the whole graph on this process's event loop (about a second for the hub's
  // graph): one at a time per process, so that concurrent publishes cannot stall the gateway's
  // requests for longer than one composition at a time.
  let queue: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };
  return async (req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> => {
    if (!url.pathname.startsWith('/registry/')) return false;
    const path = url.pathname.slice('/registry'.length);
    const headers = { 'cache-control': 'no-store' };
    try {
      let actor: Actor | undefined;
      try {
        actor = await actorOf(req);
      } catch (err) {
        throw new RegistryError('UNAUTHENTICATED', (err as Error).message);
      }
      const reader = () => {
        if (!actor) throw new RegistryError('UNAUTHENTICATED', 'The registry needs a publisher or admin token.');
        if (!actor.roles.includes('admin') && !actor.roles.includes('publisher')) throw new RegistryError('FORBIDDEN', 'Only publishers and admins may read the registry.');
      };
      const post = req.method === 'POST';
      if (post && path === '/check') {
        const b = await jsonBody(req);
        const report = await oneAtATime(() => registry.check(actor, { name: str(b.name)!, sdl: str(b.sdl)!, ...(str(b.routingUrl) ? { routingUrl: str(b.routingUrl)! } : {}) }));
        sendJson(res, 200, { report }, headers);
      } else if (post && path === '/publish') {
        const b = await jsonBody(req);
        const out = await oneAtATime(() =>
          registry.publish(actor, {
            name: str(b.name)!,
            sdl: str(b.sdl)!,
            routingUrl: str(b.routingUrl),
            ...(str(b.commit) ? { commit: str(b.commit)!.slice(0, 100) } : {}),
            ...(b.force === true ? { force: true } : {}),
            ...(str(b.reason) ? { reason: str(b.reason)!.slice(0, 2_000) } : {}),
          }),
        );
        sendJson(res, 200, out, headers);
      } else if (post && path === '/rollback') {
        const b = await jsonBody(req);
        const v = await registry.rollback(actor, { version: Number(b.version), ...(str(b.reason) ? { reason: str(b.reason)!.slice(0, 2_000) } : {}) });
        sendJson(res, 200, { supergraphVersion: v.id, restores: v.restores }, headers);
      } else if (req.method === 'GET' && path === '/subgraphs') {
        reader();
        sendJson(res, 200, await registry.list(), headers);
      } else if (req.method === 'GET' && path.startsWith('/subgraphs/')) {
        reader();
        const name = decodeURIComponent(path.slice('/subgraphs/'.length));
        const history = await registry.store.history(name);
        const current = (await registry.store.currentSubgraphs()).find((s) => s.name === name);
        if (!history.length) throw new RegistryError('NOT_FOUND', `No subgraph "${name.slice(0, 60)}" in the registry.`);
        sendJson(res, 200, { current: current ?? null, history: history.map(({ sdl: _sdl, ...rest }) => rest) }, headers);
      } else if (req.method === 'GET' && path === '/supergraphs') {
        reader();
        sendJson(res, 200, { versions: await registry.store.supergraphs() }, headers);
      } else if (req.method === 'GET' && path === '/log') {
        reader();
        const limit = Math.min(500, Math.max(1, Number(url.searchParams.get('limit') ?? 50) || 50));
        sendJson(res, 200, { entries: await registry.store.logEntries({ ...(url.searchParams.get('subgraph') ? { subgraph: url.searchParams.get('subgraph')! } : {}), limit }) }, headers);
      } else {
        sendJson(res, 404, { error: { code: 'NOT_FOUND', message: `No registry route ${req.method} ${url.pathname.slice(0, 100)}.` } }, headers);
      }
    } catch (err) {
      if (err instanceof RegistryError) {
        sendJson(res, err.status, { error: { code: err.code, message: err.message, ...err.extra } }, headers);
      } else {
        logger.error({ err }, 'registry request failed');
        sendJson(res, 500, { error: { code: 'INTERNAL_SERVER_ERROR', message: 'Internal error.' } }, headers);
      }
    }
    return true;
  };
}
