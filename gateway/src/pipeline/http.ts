import { ErrorCode } from '@gerbang/common';
import { checkCsrf } from '../edge/csrf';
import { EdgeRefusal } from '../edge/refusal';
import { withServerSpan } from '../edge/telemetry';
import { check, type EdgeStep } from './step';

/** GraphQL over HTTP: GET (queries) or POST; anything else is METHOD_NOT_ALLOWED (405) with an Allow header. */
export const httpMethod = check('method', ({ req }) => {
  if (req.method !== 'POST' && req.method !== 'GET') {
    throw new EdgeRefusal(405, ErrorCode.METHOD_NOT_ALLOWED, 'GraphQL requests use GET (queries) or POST.', { method: req.method }, { allow: 'GET, POST' });
  }
});

/** A POST a browser could send cross-site without a preflight is refused (edge/csrf.ts). */
export const csrf = check('csrf', ({ req }) => checkCsrf(req));

/** The rest of the pipeline runs in a server span (OpenTelemetry; a no-op without an exporter). */
export const serverSpan: EdgeStep = {
  name: 'span',
  run: (ctx, next) => withServerSpan(`${ctx.req.method} /graphql`, { 'http.method': ctx.req.method ?? '', 'gerbang.request_id': ctx.requestId }, () => next()),
};
