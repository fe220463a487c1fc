import type http from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { readBody, sendJson, type Logger } from '@gerbang/common';
import { normaliseType } from './sniff';
import { GrantRefusal, verifyGrant } from './signing';
import type { LocalDiskStore } from './storage/local';
import { contentDisposition } from './storage/store';

const refuse = (res: http.ServerResponse, status: number, code: string, message: string, extensions: Record<string, unknown> = {}) =>
  sendJson(res, status, { errors: [{ message, extensions: { code, ...extensions } }] }, { 'cache-control': 'no-store' });

/**
 * `/files` of the local store: the signed URLs' end (the gateway passes `/files` through at its
 * own origin). `PUT` stores the declared bytes under `incoming/` (checked by
 * completeAttachmentUpload); `GET` serves a checked file as a download, never as a page. The
 * signature is the authorisation: no token is needed, and none is accepted instead of it.
 */
export function filesRoute(store: LocalDiskStore, secrets: readonly string[], logger: Logger, now: () => Date = () => new Date()) {
  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const query = new URL(req.url ?? '/', 'http://documents.invalid').searchParams;
    if (req.method !== 'GET' && req.method !== 'PUT') {
      res.setHeader('allow', 'GET, PUT');
      return refuse(res, 405, 'METHOD_NOT_ALLOWED', 'Files are uploaded with PUT and downloaded with GET.');
    }
    let grant;
    try {
      grant = verifyGrant(secrets, query, Math.floor(now().getTime() / 1000));
    } catch (err) {
      if (err instanceof GrantRefusal) {
        req.resume();
        return refuse(res, 403, err.code, err.message);
      }
      throw err;
    }
    const wanted = req.method === 'PUT' ? 'put' : 'get';
    const prefix = wanted === 'put' ? 'incoming/' : 'files/';
    if (grant.action !== wanted || !grant.key.startsWith(prefix)) {
      req.resume();
      return refuse(res, 403, 'SIGNED_URL_INVALID', `This link does not allow ${req.method}.`);
    }
    if (wanted === 'put') {
      const type = normaliseType(req.headers['content-type'] ?? '');
      if (type !== grant.contentType) {
        req.resume();
        return refuse(res, 400, 'ATTACHMENT_MISMATCH', "The upload's content-type is not the declared one.", { reason: 'content-type', declared: grant.contentType });
      }
      let body: Buffer;
      try {
        body = await readBody(req, grant.size);
      } catch (err) {
        if ((err as { status?: number }).status === 413) return refuse(res, 413, 'ATTACHMENT_TOO_LARGE', 'The upload is larger than declared.', { declared: grant.size });
        throw err;
      }
      await store.write(grant.key, body);
      logger.info({ key: grant.key, bytes: body.length }, 'attachment uploaded');
      return sendJson(res, 200, { ok: true, size: body.length }, { 'cache-control': 'no-store' });
    }
    const path = store.path(grant.key);
    const info = await stat(path).catch(() => null);
    if (!info) return refuse(res, 404, 'NOT_FOUND', 'No such file.');
    res.writeHead(200, {
      'content-type': grant.contentType,
      'content-length': info.size,
      'content-disposition': contentDisposition(grant.fileName),
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, no-store',
    });
    createReadStream(path).pipe(res);
  };
}
