import { createHash } from 'node:crypto';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { describe, expect, it } from 'vitest';
import { OperationAnalyzer } from '../../src/edge/analysis';
import { buildManifest, PersistedPolicy, Safelist } from '../../src/edge/persisted';
import { analysisStep } from '../../src/pipeline/analysis';
import { persistedOperations, safelistPolicy } from '../../src/pipeline/persisted';
import { citizen, refusalOf, request, runStep } from './support';

const safelist = new Safelist(buildManifest(['query Places { places }']));
const [places] = safelist.manifest.operations;
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const persisted = (id: string) => ({ persistedQuery: { version: 1, sha256Hash: id } });

describe('persisted-operation steps', () => {
  it('fills in the text of an operation sent by id, from the safelist or the APQ cache (and a GET parameter)', async () => {
    const apq = new InMemoryLRUCache<string>();
    await apq.set(`apq:${sha('{ other }')}`, '{ other }');
    const { ctx } = request({ method: 'GET' });
    ctx.operations = [{ op: { extensions: persisted(places!.id) } }];
    await runStep(persistedOperations(safelist, apq), ctx);
    expect(ctx.operations[0]?.op.query).toBe(places!.body);
    expect(ctx.url.searchParams.get('query')).toBe(places!.body);
    const post = request().ctx;
    post.operations = [{ op: { extensions: persisted(sha('{ other }')) } }, { op: { extensions: persisted(sha('{ unknown }')) } }];
    await runStep(persistedOperations(safelist, apq), post);
    expect(post.operations.map((o) => o.op.query)).toEqual(['{ other }', undefined]); // Apollo Server answers PERSISTED_QUERY_NOT_FOUND
  });

  it('refuses an APQ registration whose hash is not its text', async () => {
    const { ctx } = request();
    ctx.operations = [{ op: { query: '{ a }', extensions: persisted(sha('{ b }')) } }];
    expect((await refusalOf(runStep(persistedOperations(safelist, new InMemoryLRUCache()), ctx))).code).toBe('PERSISTED_QUERY_HASH_MISMATCH');
  });

  it('with enforcement on, refuses an operation off the safelist from a safelisted client', async () => {
    const policy = new PersistedPolicy(safelist, { enforce: true, safelistClients: ['portal'], adhocRoles: ['analyst'] });
    const analyzer = new OperationAnalyzer({ maxTokens: 1_000, listSizeDefault: 10 });
    const run = async (query: string, roles: string[]) => {
      const { ctx } = request({ headers: { 'apollographql-client-name': 'portal' } });
      ctx.caller = { ...citizen, roles: roles as never };
      ctx.operations = [{ op: { query } }];
      await runStep(analysisStep(analyzer), ctx);
      return runStep(safelistPolicy(policy), ctx);
    };
    expect(await run('query Places { places }', ['citizen'])).toEqual({ passed: true });
    const refusal = await refusalOf(run('{ places other }', ['analyst']));
    expect([refusal.code, refusal.extensions]).toEqual(['PERSISTED_QUERY_REQUIRED', { clientName: 'portal' }]);
  });
});
