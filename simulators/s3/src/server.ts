import { createHash } from 'node:crypto';
import type http from 'node:http';
import { createSimulator, type Simulator } from '@gerbang/simkit';
import { verifySigV4 } from './sigv4';

export interface S3SimulatorOptions {
  /** Access key id → secret access key. */
  credentials: Record<string, string>;
  region?: string;
  /** Buckets that exist from the start (more with PUT /<bucket>). */
  buckets?: string[];
  maxObjectBytes?: number;
  now?: () => Date;
}

interface StoredObject {
  body: Buffer;
  contentType: string;
  etag: string;
  lastModified: Date;
}

const xml = (res: http.ServerResponse, status: number, code: string, message: string) => {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message.replace(/[<&>]/g, '')}</Message></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
};

const STATUS: Record<string, number> = {
  AccessDenied: 403,
  SignatureDoesNotMatch: 403,
  InvalidAccessKeyId: 403,
  RequestTimeTooSkewed: 403,
  AuthorizationQueryParametersError: 400,
  XAmzContentSHA256Mismatch: 400,
};

/**
 * An S3-compatible object store in memory, enough for Gerbang's document store and its tests:
 * path-style `/<bucket>/<key>`, PutObject, GetObject (with `response-content-type` and
 * `response-content-disposition`), HeadObject, HeadBucket, DeleteObject, CreateBucket. Every
 * request must carry a valid SigV4 signature (header or presigned query, expiry checked), as AWS
 * S3 and MinIO require; `GET /__sim/objects` lists what is stored (control plane, unsigned).
 */
export function createS3Simulator(options: S3SimulatorOptions): Simulator & { objects: Map<string, StoredObject> } {
  const region = options.region ?? 'us-east-1';
  const secrets = new Map(Object.entries(options.credentials));
  const buckets = new Set(options.buckets ?? []);
  const objects = new Map<string, StoredObject>();
  const sim = createSimulator({
    name: 's3',
    maxBodyBytes: options.maxObjectBytes ?? 64 * 1024 * 1024,
    handler: (req, res, body) => {
      const target = req.url ?? '/';
      const [rawPath = '/', rawQuery = ''] = target.split(/\?(.*)/s);
      const query = new URLSearchParams(rawQuery);
      const auth = verifySigV4({ method: req.method ?? 'GET', target, headers: req.headers, body }, secrets, { region, ...(options.now ? { now: options.now() } : {}) });
      if (!auth.ok) {
        sim.stats.record(`refused ${auth.code}`);
        return xml(res, STATUS[auth.code] ?? 403, auth.code, auth.message);
      }
      const [, bucket = '', ...rest] = rawPath.split('/');
      const key = decodeURIComponent(rest.join('/'));
      if (!bucket) return xml(res, 400, 'InvalidRequest', 'Path-style requests only: /<bucket>/<key>');
      if (!key) {
        if (req.method === 'PUT') {
          buckets.add(bucket);
          res.writeHead(200).end();
          return;
        }
        if (req.method === 'HEAD') {
          res.writeHead(buckets.has(bucket) ? 200 : 404).end();
          return;
        }
        return xml(res, 400, 'NotImplemented', 'Only CreateBucket and HeadBucket on a bucket');
      }
      if (!buckets.has(bucket)) return xml(res, 404, 'NoSuchBucket', 'The specified bucket does not exist');
      const id = `${bucket}/${key}`;
      sim.stats.record(`${req.method} object`);
      switch (req.method) {
        case 'PUT': {
          const etag = `"${createHash('md5').update(body).digest('hex')}"`;
          objects.set(id, { body, contentType: req.headers['content-type'] ?? 'application/octet-stream', etag, lastModified: new Date() });
          res.writeHead(200, { etag }).end();
          return;
        }
        case 'GET':
        case 'HEAD': {
          const o = objects.get(id);
          if (!o) {
            if (req.method === 'HEAD') return void res.writeHead(404).end();
            return xml(res, 404, 'NoSuchKey', 'The specified key does not exist.');
          }
          const headers: http.OutgoingHttpHeaders = {
            'content-type': query.get('response-content-type') ?? o.contentType,
            'content-length': o.body.length,
            etag: o.etag,
            'last-modified': o.lastModified.toUTCString(),
          };
          const disposition = query.get('response-content-disposition');
          if (disposition) headers['content-disposition'] = disposition;
          res.writeHead(200, headers);
          res.end(req.method === 'GET' ? o.body : undefined);
          return;
        }
        case 'DELETE':
          objects.delete(id);
          res.writeHead(204).end();
          return;
        default:
          return xml(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
      }
    },
  });
  return Object.assign(sim, { objects });
}
