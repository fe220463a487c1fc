/**
 * Where attachments' bytes live. The local disk (default) and an S3-compatible bucket give the
 * same four things: a signed short-lived URL to upload the declared bytes to, one to download them
 * from, and the bytes and their removal for the checks after an upload.
 */
export interface UploadTarget {
  url: string;
  method: 'PUT';
  /** Headers the upload must send as they are (they are part of the signature). */
  headers: Record<string, string>;
}

export interface ObjectSpec {
  key: string;
  contentType: string;
  size: number;
  fileName: string;
  /** When the URL stops working. */
  expires: Date;
}

export interface DocumentStore {
  readonly kind: 'local' | 's3';
  uploadTarget(spec: ObjectSpec): Promise<UploadTarget>;
  downloadUrl(spec: ObjectSpec): Promise<string>;
  /** The stored bytes, or null when nothing was uploaded; more than `limit` bytes is an error. */
  read(key: string, limit: number): Promise<Buffer | null>;
  /** Stores bytes the subgraph has checked (never a client's upload as it came). */
  write(key: string, body: Buffer, contentType: string): Promise<void>;
  remove(key: string): Promise<void>;
  /** For readiness: the store answers. */
  ping(): Promise<void>;
}

export class TooLarge extends Error {
  constructor(readonly limit: number) {
    super(`more than ${limit} bytes`);
  }
}

/** Reads a byte stream into one Buffer, failing as soon as it passes `limit`. */
export async function collect(stream: AsyncIterable<Uint8Array>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > limit) throw new TooLarge(limit);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/** `attachment; filename="…"; filename*=UTF-8''…` for any name a citizen's file may have. */
export const contentDisposition = (fileName: string) => `attachment; filename="${fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
