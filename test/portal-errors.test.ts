import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { describe, expect, it } from 'vitest';
import { errorsByField, portalError } from '../web/src/errors';

const refusal = (code: string, extra: Record<string, unknown> = {}, path = ['myBusinesses']) =>
  new CombinedGraphQLErrors({ data: { myBusinesses: null }, errors: [{ message: 'server text the citizen never reads', path, extensions: { code, ...extra } }] });

describe('the portal says what an agency system fault means', () => {
  it('an unreadable reply (UPSTREAM_INVALID) has its own sentence in both languages, names the system and offers a retry', () => {
    const id = portalError(refusal('UPSTREAM_INVALID', { service: 'oss' }), 'id');
    expect(id).toMatchObject({ code: 'UPSTREAM_INVALID', retryable: true, service: 'oss' });
    expect(id.message).toMatch(/tidak dapat dibaca/);
    expect(portalError(refusal('UPSTREAM_INVALID', { service: 'oss' }), 'en').message).toMatch(/cannot be read/);
    expect(id.message).not.toBe(portalError(refusal('INTERNAL_SERVER_ERROR'), 'id').message);
  });

  it('a partial answer keeps the code per root field, so the page marks only that section as out', () => {
    const byField = errorsByField(refusal('UPSTREAM_INVALID', { service: 'oss' }));
    expect([...byField]).toEqual([['myBusinesses', { code: 'UPSTREAM_INVALID', service: 'oss' }]]);
  });
});
