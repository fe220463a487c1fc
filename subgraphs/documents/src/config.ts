import { z } from 'zod';
import { secret } from '@gerbang/common';

const int = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

/** Environment of the documents subgraph, on top of every subgraph's (PORT, DATABASE_URL, DATA_DIR, …). */
export const documentsEnv = (env: NodeJS.ProcessEnv = process.env) => ({
  /** `local` (files under DOCUMENTS_DIR) or `s3` (an S3-compatible bucket: DOCUMENTS_S3_*). */
  DOCUMENTS_STORE: z.enum(['local', 's3']).default('local'),
  /** Local store: the folder (default DATA_DIR/documents). */
  DOCUMENTS_DIR: z.string().optional(),
  /** Local store: HMAC key of the signed upload/download URLs (comma-separated: current first, then older ones). */
  DOCUMENTS_URL_SECRET: secret('dev-documents-url-secret-change-me', env, { list: true }),
  /** Local store: the origin clients reach `/files` at; empty: URLs relative to the gateway's origin (the portal's). */
  DOCUMENTS_PUBLIC_URL: z.url().optional(),
  DOCUMENTS_MAX_BYTES: int(5 * 1024 * 1024, 1024, 50 * 1024 * 1024),
  DOCUMENTS_UPLOAD_URL_TTL_SECONDS: int(300, 10, 3600),
  DOCUMENTS_DOWNLOAD_URL_TTL_SECONDS: int(60, 10, 3600),
  DOCUMENTS_S3_ENDPOINT: z.url().optional(),
  DOCUMENTS_S3_REGION: z.string().default('us-east-1'),
  DOCUMENTS_S3_BUCKET: z.string().optional(),
  DOCUMENTS_S3_ACCESS_KEY_ID: z.string().optional(),
  DOCUMENTS_S3_SECRET_ACCESS_KEY: z.string().optional(),
  /** Path-style URLs (`endpoint/bucket/key`), as MinIO and most S3-compatible servers want; `false` for virtual-hosted. */
  DOCUMENTS_S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
});

export type DocumentsEnv = z.infer<z.ZodObject<ReturnType<typeof documentsEnv>>> & { DATA_DIR: string };

export interface S3Settings {
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

export interface DocumentsConfig {
  store: { kind: 'local'; dir: string; secrets: string[]; publicUrl: string } | ({ kind: 's3' } & S3Settings);
  maxBytes: number;
  uploadTtlSeconds: number;
  downloadTtlSeconds: number;
}

export function documentsConfigFromEnv(env: DocumentsEnv): DocumentsConfig {
  const common = { maxBytes: env.DOCUMENTS_MAX_BYTES, uploadTtlSeconds: env.DOCUMENTS_UPLOAD_URL_TTL_SECONDS, downloadTtlSeconds: env.DOCUMENTS_DOWNLOAD_URL_TTL_SECONDS };
  if (env.DOCUMENTS_STORE === 's3') {
    const missing = (['DOCUMENTS_S3_BUCKET', 'DOCUMENTS_S3_ACCESS_KEY_ID', 'DOCUMENTS_S3_SECRET_ACCESS_KEY'] as const).filter((k) => !env[k]);
    if (missing.length) throw new Error(`documents configuration: DOCUMENTS_STORE=s3 needs ${missing.join(', ')}`);
    return {
      ...common,
      store: {
        kind: 's3',
        ...(env.DOCUMENTS_S3_ENDPOINT ? { endpoint: env.DOCUMENTS_S3_ENDPOINT } : {}),
        region: env.DOCUMENTS_S3_REGION,
        bucket: env.DOCUMENTS_S3_BUCKET!,
        accessKeyId: env.DOCUMENTS_S3_ACCESS_KEY_ID!,
        secretAccessKey: env.DOCUMENTS_S3_SECRET_ACCESS_KEY!,
        forcePathStyle: env.DOCUMENTS_S3_FORCE_PATH_STYLE,
      },
    };
  }
  return {
    ...common,
    store: {
      kind: 'local',
      dir: env.DOCUMENTS_DIR ?? `${env.DATA_DIR}/documents`,
      secrets: env.DOCUMENTS_URL_SECRET.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      publicUrl: (env.DOCUMENTS_PUBLIC_URL ?? '').replace(/\/$/, ''),
    },
  };
}
