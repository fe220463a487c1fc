import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCode, REQUEST_ERROR_CODES } from '../src/errors';

/** The codes clients may rely on are the README's "Errors" table: every one a client can receive must be in it. */
const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const errorsSection = readme.slice(readme.indexOf('\n## Errors'), readme.indexOf('\n## ', readme.indexOf('\n## Errors') + 1));

// Declared but raised by nothing: UpstreamRejectedError answers NOT_FOUND or BAD_USER_INPUT, and the
// gateway and every subgraph accept persisted queries (APQ), so Apollo never answers NOT_SUPPORTED.
const NEVER_RAISED = new Set(['UPSTREAM_REJECTED', 'PERSISTED_QUERY_NOT_SUPPORTED']);

describe('README error table', () => {
  it('documents every code a client can receive', () => {
    const rows = errorsSection.split('\n').filter((line) => line.startsWith('| `'));
    const documented = new Set(rows.flatMap((row) => [...row.split('|')[1]!.matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]!)));
    const receivable = [...Object.values(ErrorCode), ...REQUEST_ERROR_CODES].filter((c) => !NEVER_RAISED.has(c) && c !== ErrorCode.INTERNAL_SERVER_ERROR);
    expect(receivable.filter((c) => !documented.has(c))).toEqual([]);
    // The masked code is explained in the prose above the table.
    expect(errorsSection).toContain('`Internal error.` (`INTERNAL_SERVER_ERROR`)');
  });
});
