import { z } from 'zod';
import { secret, secretKeys } from '@gerbang/common';

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
  /** The ratings subgraph (the ticket ledger), asked whose a ticket is before files are attached to it. */
  RATINGS_URL: z.url().default('http://127.0.0.1:4003'),
  /** Deadline of each question to the ledger. */
  DOCUMENTS_LEDGER_TIMEOUT_MS: int(3_000, 100, 60_000),
  /** How long an unknown ticket is asked again (a request filed a moment ago may not be in the ledger yet). */
  DOCUMENTS_LEDGER_WAIT_MS: int(2_000, 0, 30_000),
  /** How often abandoned uploads are swept (0: never). */
  DOCUMENTS_SWEEP_INTERVAL_MS: int(10 * 60_000, 0, 24 * 3600_000),
  /** A pending attachment is abandoned this long after its last upload URL was handed out. */
  DOCUMENTS_PENDING_TTL_SECONDS: int(24 * 3600, 60, 365 * 24 * 3600),
  /** A checked attachment never attached to a request is abandoned this long after its upload. */
  DOCUMENTS_UNLINKED_TTL_SECONDS: int(7 * 24 * 3600, 60, 365 * 24 * 3600),
  /** Path-style URLs (`endpoint/bucket/key`), as MinIO and most S3-compatible servers want; `false` for virtual-hosted. */
  DOCUMENTS_S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
});

export type DocumentsEnv = z.infer<z.ZodObject<ReturnType<typeof documentsEnv>>> & { DATA_DIR: string; INTERNAL_SIGNING_SECRET: string };

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
  /** The ticket ledger (ratings subgraph), asked as the caller whether a ticket is theirs. */
  ledger: { ratingsUrl: string; secret: string; timeoutMs: number; waitMs: number };
  /** The sweep of abandoned uploads (intervalMs 0: only when called). */
  sweep: { intervalMs: number; pendingTtlSeconds: number; unlinkedTtlSeconds: number };
}

export function documentsConfigFromEnv(env: DocumentsEnv): DocumentsConfig {
  // An upload URL still valid must never point at a swept attachment, and a checked file outlives a pending one.
  if (env.DOCUMENTS_PENDING_TTL_SECONDS <= env.DOCUMENTS_UPLOAD_URL_TTL_SECONDS) {
    throw new Error('documents configuration: DOCUMENTS_PENDING_TTL_SECONDS must be longer than DOCUMENTS_UPLOAD_URL_TTL_SECONDS');
  }
  if (env.DOCUMENTS_UNLINKED_TTL_SECONDS < env.DOCUMENTS_PENDING_TTL_SECONDS) {
    throw new Error('documents configuration: DOCUMENTS_UNLINKED_TTL_SECONDS must not be shorter than DOCUMENTS_PENDING_TTL_SECONDS');
  }
  const common = {
    maxBytes: env.DOCUMENTS_MAX_BYTES,
    uploadTtlSeconds: env.DOCUMENTS_UPLOAD_URL_TTL_SECONDS,
    downloadTtlSeconds: env.DOCUMENTS_DOWNLOAD_URL_TTL_SECONDS,
    ledger: {
      ratingsUrl: env.RATINGS_URL,
      // The current key of the rotation list signs; the ledger accepts every key of its own list.
      secret: secretKeys(env.INTERNAL_SIGNING_SECRET)[0]!,
      timeoutMs: env.DOCUMENTS_LEDGER_TIMEOUT_MS,
      waitMs: env.DOCUMENTS_LEDGER_WAIT_MS,
    },
    sweep: { intervalMs: env.DOCUMENTS_SWEEP_INTERVAL_MS, pendingTtlSeconds: env.DOCUMENTS_PENDING_TTL_SECONDS, unlinkedTtlSeconds: env.DOCUMENTS_UNLINKED_TTL_SECONDS },
  };
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
