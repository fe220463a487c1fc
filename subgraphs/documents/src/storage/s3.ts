import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3Settings } from '../config';
import { collect, contentDisposition, TooLarge, type DocumentStore, type ObjectSpec, type UploadTarget } from './store';

const secondsUntil = (d: Date) => Math.max(1, Math.ceil((d.getTime() - Date.now()) / 1000));

/**
 * An S3-compatible bucket (AWS S3, MinIO, Ceph, a cloud's object storage): uploads and downloads
 * go straight between the browser and the bucket on SigV4 presigned URLs; the subgraph reads the
 * object once to check it. The bucket needs a CORS rule allowing PUT and GET from the portal's
 * origin (README § Attachments).
 */
export class S3Store implements DocumentStore {
  readonly kind = 's3' as const;
  private readonly client: S3Client;

  constructor(private readonly settings: S3Settings) {
    this.client = new S3Client({
      region: settings.region,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      forcePathStyle: settings.forcePathStyle,
      credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
      // Plain requests: no CRC trailers (aws-chunked bodies) that S3-compatible servers may not take,
      // and no checksum the browser's PUT on a presigned URL could not send.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async uploadTarget(spec: ObjectSpec): Promise<UploadTarget> {
    const command = new PutObjectCommand({ Bucket: this.settings.bucket, Key: spec.key, ContentType: spec.contentType });
    const url = await getSignedUrl(this.client, command, { expiresIn: secondsUntil(spec.expires), signableHeaders: new Set(['content-type']) });
    return { url, method: 'PUT', headers: { 'content-type': spec.contentType } };
  }

  async downloadUrl(spec: ObjectSpec): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.settings.bucket,
      Key: spec.key,
      ResponseContentType: spec.contentType,
      ResponseContentDisposition: contentDisposition(spec.fileName),
    });
    return getSignedUrl(this.client, command, { expiresIn: secondsUntil(spec.expires) });
  }

  async read(key: string, limit: number): Promise<Buffer | null> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: key }));
      if (out.ContentLength !== undefined && out.ContentLength > limit) {
        (out.Body as { destroy?: () => void } | undefined)?.destroy?.();
        throw new TooLarge(limit);
      }
      return await collect(out.Body as AsyncIterable<Uint8Array>, limit);
    } catch (err) {
      if ((err as { name?: string }).name === 'NoSuchKey') return null;
      throw err;
    }
  }

  async write(key: string, body: Buffer, contentType: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.settings.bucket, Key: key, Body: body, ContentType: contentType, ContentLength: body.length }));
  }

  async remove(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: key }));
  }

  async ping(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.settings.bucket }));
  }

  close(): void {
    this.client.destroy();
  }
}
