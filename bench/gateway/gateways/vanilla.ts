/**
 * Child process: vanilla @apollo/gateway + @apollo/server (startStandaloneServer), no plugins,
 * on the same supergraph file (whose URLs point at the open subgraph endpoints), without the
 * authorization directives it refuses (as the Gerbang gateway hands it: gateway/src/supergraph.ts).
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { supergraphForApolloGateway } from '../../../gateway/src/supergraph';

const gateway = new ApolloGateway({ supergraphSdl: supergraphForApolloGateway(readFileSync(process.env.SUPERGRAPH_PATH!, 'utf8')) });
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
process.send!({ ready: true, url: new URL('/graphql', url).href });
const stop = async () => {
  await server.stop().catch(() => undefined);
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.on('disconnect', () => void stop());
