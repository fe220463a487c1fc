import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ErrorCode, GerbangError, maskSubgraphError, outageReason, UpstreamUnavailableError } from '../src';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
/** How a resolver's error reaches formatError: wrapped in a GraphQLError. */
const located = (original: Error) => new GraphQLError(original.message, { originalError: original, path: ['rateService'] });

describe('a dependency outage, told from a bug', () => {
  it('is recognised in the forms pg, knex and MikroORM raise, however wrapped', () => {
    const cases: [unknown, string][] = [
      [withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), 'connection refused'],
      [new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED'), withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')]), 'connection refused'],
      [withCode('read ECONNRESET', 'ECONNRESET'), 'connection reset'],
      [withCode('getaddrinfo ENOTFOUND db.internal', 'ENOTFOUND'), 'host not found'],
      [withCode('terminating connection due to administrator command', '57P01'), 'database: shutting down (57P01 admin shutdown)'],
      [withCode('the database system is starting up', '57P03'), 'database: not accepting connections yet (57P03)'],
      [withCode('sorry, too many clients already', '53300'), 'database: too many connections (53300)'],
      [withCode('connection failure', '08006'), 'database: connection failure (08006)'],
      [withCode('SSL connection has been closed unexpectedly', '08003'), 'database: connection failure (08003)'],
      [Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' }), 'database: no pooled connection free in time'],
      [new Error('Connection terminated unexpectedly'), 'database: connection lost'],
      [Object.assign(new Error('connection exception'), { name: 'ConnectionException' }), 'database: connection failure'],
      [new Error('query failed', { cause: withCode('connect ECONNREFUSED', 'ECONNREFUSED') }), 'connection refused'],
      [located(withCode('terminating connection due to administrator command', '57P01')), 'database: shutting down (57P01 admin shutdown)'],
    ];
    for (const [err, reason] of cases) expect(outageReason(err), err instanceof Error ? err.message : String(err)).toBe(reason);
  });

  it('is not a bug, a constraint or bad input', () => {
    for (const err of [
      new TypeError("Cannot read properties of undefined (reading 'id')"),
      withCode('duplicate key value violates unique constraint', '23505'),
      withCode('invalid byte sequence for encoding "UTF8": 0x00', '22021'),
      withCode('syntax error at or near "selct"', '42601'),
      withCode('canceling statement due to statement timeout', '57014'),
      undefined,
      'a string',
    ]) {
      expect(outageReason(err)).toBeUndefined();
    }
  });
});

describe('maskSubgraphError', () => {
  const lines: [string, object, string][] = [];
  const log = { warn: (o: object, m: string) => void lines.push(['warn', o, m]), error: (o: object, m: string) => void lines.push(['error', o, m]) };

  it('turns an outage into UPSTREAM_UNAVAILABLE naming the subgraph, with retryAfter, logged as a warning', () => {
    const error = located(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'));
    const out = maskSubgraphError({ message: error.message, path: ['rateService'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }, error, 'ratings', log);
    expect(out).toEqual({
      message: 'ratings is not available right now. Try again later.',
      path: ['rateService'],
      extensions: { code: ErrorCode.UPSTREAM_UNAVAILABLE, service: 'ratings', reason: 'connection refused', retryAfter: 5 },
    });
    expect(JSON.stringify(out)).not.toContain('5432');
    expect(lines.splice(0)).toEqual([['warn', { service: 'ratings', reason: 'connection refused', path: ['rateService'] }, 'dependency unavailable']]);
  });

  it('leaves domain errors as they are and masks everything else as an error', () => {
    const upstream = new UpstreamUnavailableError('SIAK', 'timed out after 3000 ms');
    expect(maskSubgraphError({ message: upstream.message, extensions: upstream.extensions }, upstream, 'population', log).extensions).toEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      service: 'SIAK',
      reason: 'timed out after 3000 ms',
    });
    const bad = new GerbangError(ErrorCode.BAD_USER_INPUT, 'stars must be 1 to 5.', { field: 'stars' });
    expect(maskSubgraphError({ message: bad.message, extensions: bad.extensions }, bad, 'ratings', log).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'stars' });
    const bug = located(new TypeError('x is undefined'));
    expect(maskSubgraphError({ message: bug.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, bug, 'ratings', log)).toEqual({
      message: 'Internal error.',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(lines.map(([level]) => level)).toEqual(['error']);
  });
});
