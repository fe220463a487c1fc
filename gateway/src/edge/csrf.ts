import type http from 'node:http';
import MIMEType from 'whatwg-mimetype';
import { EdgeRefusal } from './refusal';

/** Content types a browser may send cross-site without a CORS preflight (HTML forms, `fetch` with no-cors). */
const SIMPLE_CONTENT_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);
/** Headers no browser adds to a simple request: their presence proves a preflight the CORS allowlist approved. */
const PREFLIGHT_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight'];

/**
 * Cross-site request forgery, judged for what Gerbang trusts: the caller's identity comes only from
 * `Authorization: Bearer`, a header no browser attaches by itself (it is not CORS-safelisted: a
 * cross-site page can send it only after a preflight the CORS allowlist approves). A forged
 * cross-site request therefore runs at most as anonymous. Cookies are never read.
 *
 * - GET (queries only: a GET mutation is refused with 405 before this matters) passes: an
 *   anonymous query is a public read, the response is readable cross-site only where CORS allows
 *   it, and the victim's browser adds nothing the attacker could not send from their own machine.
 *   This is what lets standard clients (urql 6 sends queries as GET by default) and HTTP caches work.
 * - POST keeps Apollo Server's rule (its `csrfPrevention`, which this replaces because it refuses
 *   every GET without a special header): the content type must be one a browser preflights, or the
 *   request must carry `x-apollo-operation-name` or `apollo-require-preflight`. No standard client
 *   sends a simple POST, and refusing it keeps a cross-site form from executing an anonymous
 *   mutation from the visitor's address (mutations pass the client address to the ratings' rules).
 *
 * The content type is parsed with whatwg-mimetype, the parser Apollo Server uses, which implements
 * the WHATWG rules browsers apply (an unparseable value is preflighted by browsers, so it passes).
 */
export function checkCsrf(req: http.IncomingMessage): void {
  if (req.method === 'GET') return;
  const contentType = req.headers['content-type'];
  if (contentType !== undefined) {
    const parsed = MIMEType.parse(contentType);
    if (parsed === null || !SIMPLE_CONTENT_TYPES.has(parsed.essence)) return;
  }
  if (PREFLIGHT_HEADERS.some((h) => typeof req.headers[h] === 'string' && req.headers[h] !== '')) return;
  throw new EdgeRefusal(
    400,
    'BAD_REQUEST',
    'This request has been blocked as a potential cross-site request forgery (CSRF). Send it with content-type application/json, or with a non-empty apollo-require-preflight header.',
  );
}
