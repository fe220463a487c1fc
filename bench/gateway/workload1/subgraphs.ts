/**
 * Child process: the four workload-1 subgraphs on one plain node http server (port 0,
 * keep-alive), started once per run and shared by every gateway.
 *
 *   POST /<name>          open, for the gateways that do not sign (vanilla, Hive, the replay)
 *   POST /signed/<name>   only calls signed by Gerbang's gateway, checked with packages/common's
 *                         RequestVerifier exactly as the real subgraphs do (401 otherwise)
 *
 * Each subgraph parses and validates a query text once (as any production server with a
 * document cache does), then executes per request. SUBGRAPH_DELAY_MS adds a fixed delay.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { execute, GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { InternalAuthError, MemoryNonceStore, RequestVerifier } from '@gerbang/common';
import { SUBGRAPH_NAMES, subgraphSchema } from './graph';

const secret = process.env.INTERNAL_SIGNING_SECRET!;
const delayMs = Number(process.env.SUBGRAPH_DELAY_MS ?? 0);
const verifier = new RequestVerifier({ secrets: [secret], nonces: new MemoryNonceStore() });

interface Subgraph {
  schema: GraphQLSchema;
  docs: Map<string, DocumentNode | readonly GraphQLError[]>;
}
const subgraphs = new Map<string, Subgraph>(SUBGRAPH_NAMES.map((n) => [n, { schema: subgraphSchema(n), docs: new Map() }]));
const counts: Record<string, number> = {};

function documentOf(sg: Subgraph, query: string): DocumentNode | readonly GraphQLError[] {
  let doc = sg.docs.get(query);
  if (!doc) {
    try {
      const parsed = parse(query);
      const errors = validate(sg.schema, parsed);
      doc = errors.length ? errors : parsed;
    } catch (err) {
      doc = [err as GraphQLError];
    }
    if (sg.docs.size < 1000) sg.docs.set(query, doc);
  }
  return doc;
}

function send(res: http.ServerResponse, status: number, text: string) {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', async () => {
    const path = req.url ?? '/';
    if (path === '/health') return send(res, 200, '{"status":"ok"}');
    if (path === '/counts') return send(res, 200, JSON.stringify(counts));
    const signed = path.startsWith('/signed/');
    const name = signed ? path.slice('/signed/'.length) : path.slice(1);
    const sg = subgraphs.get(name);
    if (!sg || req.method !== 'POST') return send(res, 404, '{"error":"not found"}');
    const body = Buffer.concat(chunks);
    if (signed) {
      try {
        await verifier.verify(req.headers, body, name);
      } catch (err) {
        if (err instanceof InternalAuthError) return send(res, 401, JSON.stringify({ errors: [{ message: err.message, extensions: { code: 'UNAUTHENTICATED' } }] }));
        throw err;
      }
    }
    counts[path] = (counts[path] ?? 0) + 1;
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    let payload: { query?: string; variables?: Record<string, unknown>; operationName?: string };
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      return send(res, 400, '{"errors":[{"message":"body is not JSON"}]}');
    }
    const doc = documentOf(sg, payload.query ?? '');
    if (Array.isArray(doc)) return send(res, 400, JSON.stringify({ errors: doc.map((e) => ({ message: e.message })) }));
    const result = await execute({ schema: sg.schema, document: doc as DocumentNode, variableValues: payload.variables ?? {}, operationName: payload.operationName ?? null });
    send(res, 200, JSON.stringify(result));
  });
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 125_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send!({ ready: true, url: `http://127.0.0.1:${port}` });
});
process.on('SIGTERM', () => process.exit(0));
process.on('disconnect', () => process.exit(0));
