import http from 'node:http';

/**
 * `/files`: the documents subgraph's signed file links (subgraphs/documents, local store), passed
 * through at the gateway's own origin, so that the portal uploads and downloads attachments on its
 * own origin (its CSP allows nothing else) and the documents subgraph stays on the internal network.
 *
 * Nothing of the GraphQL edge applies: no token, CSRF header, persisted id or body limit. The link's
 * signature is the authorisation (the documents subgraph checks it, the expiry and the declared
 * size, and stores nothing a link did not declare), and bodies stream through without buffering.
 * With the S3 store the links point at the bucket instead and this path is not used.
 */
const PASS_REQUEST = ['content-type', 'content-length', 'x-request-id'];
const PASS_RESPONSE = ['content-type', 'content-length', 'content-disposition', 'x-content-type-options', 'content-security-policy', 'cache-control', 'allow'];

/** Where `/files` is: the documents subgraph's routing URL (SUBGRAPH_DOCUMENTS_URL) with /graphql replaced. */
export const documentsFilesUrl = (overrides: Record<string, string>, fallback = 'http://127.0.0.1:4010/graphql') => (overrides.documents ?? fallback).replace(/\/graphql$/, '') + '/files';

export function filesProxy(target: string, timeoutMs = 120_000) {
  return (req: http.IncomingMessage, res: http.ServerResponse, url: URL, baseHeaders: Record<string, string>): Promise<boolean> | boolean => {
    if (url.pathname !== '/files') return false;
    return new Promise<boolean>((resolve) => {
      const headers: http.OutgoingHttpHeaders = {};
      for (const name of PASS_REQUEST) if (req.headers[name] !== undefined) headers[name] = req.headers[name];
      if (!headers['x-request-id']) headers['x-request-id'] = baseHeaders['x-request-id'];
      const upstream = http.request(`${target}${url.search}`, { method: req.method, headers, timeout: timeoutMs }, (answer) => {
        const out: http.OutgoingHttpHeaders = { 'x-request-id': baseHeaders['x-request-id'] };
        for (const name of PASS_RESPONSE) if (answer.headers[name] !== undefined) out[name] = answer.headers[name];
        res.writeHead(answer.statusCode ?? 502, out);
        answer.pipe(res);
        answer.on('end', () => resolve(true));
        answer.on('error', () => {
          res.destroy();
          resolve(true);
        });
      });
      const fail = (reason: string) => {
        if (!res.headersSent) {
          const body = JSON.stringify({
            errors: [{ message: 'The document store is not available right now. Try again later.', extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'documents', reason } }],
          });
          res.writeHead(503, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'retry-after': '5', ...baseHeaders });
          res.end(body);
        } else res.destroy();
        resolve(true);
      };
      upstream.on('timeout', () => upstream.destroy(new Error(`timed out after ${timeoutMs} ms`)));
      upstream.on('error', (err) => fail((err as NodeJS.ErrnoException).code === 'ECONNREFUSED' ? 'connection refused' : err.message));
      req.pipe(upstream);
    });
  };
}
