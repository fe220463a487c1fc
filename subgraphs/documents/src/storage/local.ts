import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { signGrant } from '../signing';
import { collect, type DocumentStore, type ObjectSpec, type UploadTarget } from './store';

/**
 * Files under a folder (DATA_DIR/documents by default), one per attachment, named by its id (a
 * UUID: never a client's file name). The signed URLs point at the documents subgraph's `/files`
 * route, which the gateway passes through at its own origin.
 */
export class LocalDiskStore implements DocumentStore {
  readonly kind = 'local' as const;
  constructor(
    readonly dir: string,
    private readonly secret: string,
    /** Origin the URLs start with ('' for relative URLs: the portal's origin). */
    private readonly publicUrl: string,
  ) {}

  /** `incoming/<uuid>` → DIR/incoming/<uuid>; anything else is refused, so no key names a path of its choosing. */
  path(key: string): string {
    const m = /^(incoming|files)\/([0-9a-f-]{36})$/.exec(key);
    if (!m) throw new Error(`not an attachment key: ${key}`);
    return join(this.dir, m[1]!, m[2]!);
  }

  private url(action: 'put' | 'get', spec: ObjectSpec): string {
    const query = signGrant(this.secret, { action, key: spec.key, contentType: spec.contentType, size: spec.size, fileName: spec.fileName, expires: Math.floor(spec.expires.getTime() / 1000) });
    return `${this.publicUrl}/files?${query}`;
  }

  async uploadTarget(spec: ObjectSpec): Promise<UploadTarget> {
    return { url: this.url('put', spec), method: 'PUT', headers: { 'content-type': spec.contentType } };
  }

  async downloadUrl(spec: ObjectSpec): Promise<string> {
    return this.url('get', spec);
  }

  /** Writes the whole file or nothing (a temporary file renamed into place): a retried upload replaces it. */
  async write(key: string, body: Buffer): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.${Date.now()}.part`;
    await writeFile(tmp, body, { mode: 0o600 });
    await rename(tmp, path);
  }

  async read(key: string, limit: number): Promise<Buffer | null> {
    const path = this.path(key);
    try {
      await stat(path);
    } catch {
      return null;
    }
    return collect(createReadStream(path), limit);
  }

  async remove(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  async ping(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }
}
