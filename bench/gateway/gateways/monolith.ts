/**
 * Child process: the limit of one process: the same API served by graphql-js over the same rows,
 * no federation. Parse and validation are cached per query text; execution is per request.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { execute, parse, validate, type DocumentNode } from 'graphql';
import { monolithSchema } from '../workload1/graph';

const schema = monolithSchema();
const docs = new Map<string, DocumentNode>();
const send = (res: http.ServerResponse, status: number, text: string) => {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', async () => {
    try {
      const { query, variables, operationName } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      let doc = docs.get(query);
      if (!doc) {
        doc = parse(query);
        const errors = validate(schema, doc);
        if (errors.length) return send(res, 400, JSON.stringify({ errors }));
        docs.set(query, doc);
      }
      send(res, 200, JSON.stringify(await execute({ schema, document: doc, variableValues: variables, operationName })));
    } catch (err) {
      send(res, 400, JSON.stringify({ errors: [{ message: (err as Error).message }] }));
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.send!({ ready: true, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` }));
process.once('SIGTERM', () => process.exit(0));
process.on('disconnect', () => process.exit(0));
