/**
 * Child process: the limit set by the subgraphs: a "gateway" that costs nothing but its subgraph
 * calls. At start it runs the query once through @apollo/gateway, recording every subgraph call
 * (body, and which calls had finished before it began: its dependencies). Per request it then
 * replays exactly those calls against the same subgraphs, in the same dependency order, over
 * an undici keep-alive pool, and answers the recorded response: no parsing, planning or merging.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { Agent, request } from 'undici';
import { supergraphForApolloGateway } from '../../../gateway/src/supergraph';

interface Call {
  url: string;
  body: string;
  after: number[];
}
const calls: Call[] = [];
const finished: number[] = [];

class RecordingSource extends RemoteGraphQLDataSource {
  constructor(url: string) {
    super({ url });
    this.fetcher = (async (input: string, init: { body: string; headers: unknown; method: string }) => {
      const i = calls.push({ url: input, body: init.body, after: [...finished] }) - 1;
      const res = await fetch(input, init as RequestInit);
      const text = await res.text();
      finished.push(i);
      return new Response(text, { status: res.status, headers: res.headers });
    }) as never;
  }
}

const gateway = new ApolloGateway({
  supergraphSdl: supergraphForApolloGateway(readFileSync(process.env.SUPERGRAPH_PATH!, 'utf8')),
  buildService: ({ url }) => new RecordingSource(url!),
});
const apollo = new ApolloServer({ gateway });
await apollo.start();
const query = readFileSync(process.env.QUERY_PATH!, 'utf8');
const recorded = await apollo.executeOperation({ query });
if (recorded.body.kind !== 'single' || recorded.body.singleResult.errors) throw new Error(`recording failed: ${JSON.stringify(recorded.body)}`);
const answer = JSON.stringify({ data: recorded.body.singleResult.data });
await apollo.stop();

const agent = new Agent({ connections: 256, keepAliveTimeout: 60_000, pipelining: 1 });

async function replay(): Promise<void> {
  const done: Promise<void>[] = [];
  for (const [i, call] of calls.entries()) {
    done[i] = Promise.all(call.after.map((j) => done[j] ?? Promise.reject(new Error(`call ${i} waits for call ${j}, which comes after it`)))).then(async () => {
      const res = await request(call.url, { method: 'POST', body: call.body, headers: { 'content-type': 'application/json' }, dispatcher: agent });
      const text = await res.body.text();
      if (res.statusCode !== 200 || text.includes('"errors"')) throw new Error(`subgraph answered ${res.statusCode}: ${text.slice(0, 200)}`);
    });
  }
  await Promise.all(done);
}

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    replay().then(
      () => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
        res.end(answer);
      },
      (err: unknown) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(String(err));
      },
    );
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.send!({ ready: true, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, subgraphCalls: calls.length }));
process.once('SIGTERM', () => process.exit(0));
process.on('disconnect', () => process.exit(0));
