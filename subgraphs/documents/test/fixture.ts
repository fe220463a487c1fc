import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createLogger, PostgresAccessLog, verifierFromSecret, type Caller } from '@gerbang/common';
import { subgraphCaller, TEST_INTERNAL_SECRET, testDatabaseUrl, testOrm, uniqueSchema } from '@gerbang/testing';
import { createDocumentsServer, entities, migrations, type DocumentsConfig } from '../src/server';

export const call = subgraphCaller('documents');
/** The first error's code of a subgraph answer. */
export const code = (res: { body: { errors?: { extensions?: Record<string, unknown> }[] } }) => res.body.errors?.[0]?.extensions?.code;

/** Minimal real files: the magic numbers file-type reads, and some content. */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from('IHDR'), Buffer.alloc(13, 1), Buffer.alloc(64, 7)]);
export const HTML = Buffer.from('<!doctype html><script>alert(1)</script>');
export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export const CREATE = `mutation Create($input: AttachmentUploadInput!) {
  createAttachmentUpload(input: $input) { attachment { id status agencyId contentType size } upload { url method headers { name value } expiresAt } }
}`;
export const COMPLETE = `mutation Complete($id: ID!) { completeAttachmentUpload(id: $id) { id status } }`;
export const ATTACH = `mutation Attach($ticketId: ID!, $ids: [ID!]!) { attachToTicket(ticketId: $ticketId, attachmentIds: $ids) { id ticket { id } } }`;
export const ONE = `query One($id: ID!) { attachment(id: $id) { id fileName download { url expiresAt } } }`;
export const MINE = `{ myAttachments { id status fileName ticket { id } } }`;
export const TICKET_FILES = `query T($reps: [_Any!]!) { _entities(representations: $reps) { ... on Ticket { id attachments { id fileName download { url } } } } }`;

export const DUKCAPIL_OFFICER = { sub: 'usr-petugas-dukcapil', roles: ['officer'], nip: '198703152010011002', agencyId: 'dispendukcapil' } as Caller;
export const DPMPTSP_OFFICER = { sub: 'usr-petugas-dpmptsp', roles: ['officer'], nip: '198905202012012003', agencyId: 'dpmptsp' } as Caller;

let keyCounter = 0;
export const input = (file: Buffer, overrides: Record<string, unknown> = {}) => ({
  purpose: 'DOCUMENT_REQUEST',
  kind: 'KK',
  fileName: 'kk-siti.pdf',
  contentType: 'application/pdf',
  size: file.length,
  sha256: sha256(file),
  idempotencyKey: `upload-${process.pid}-${++keyCounter}-${Date.now()}`,
  ...overrides,
});

/**
 * The documents subgraph on a fresh schema with its access log, on port 0, with the store the
 * config names (local: a temporary folder) and a clock tests can move.
 */
export async function documentsFixture(store: (dir: string) => DocumentsConfig['store']) {
  const logger = createLogger('documents-test', 'silent');
  const own = await testOrm({ schemaPrefix: 'documents', entities, migrations });
  const auditSchema = uniqueSchema('audit');
  const accessLog = await PostgresAccessLog.open({ url: testDatabaseUrl(), schema: auditSchema, logger });
  const dir = await mkdtemp(join(tmpdir(), 'gerbang-documents-'));
  const clock = { offsetMs: 0 };
  const config: DocumentsConfig = { store: store(dir), maxBytes: 64 * 1024, uploadTtlSeconds: 300, downloadTtlSeconds: 60 };
  const server = await createDocumentsServer({
    orm: own.orm,
    accessLog,
    logger,
    verifier: verifierFromSecret(TEST_INTERNAL_SECRET),
    config,
    schema: own.schema,
    now: () => new Date(Date.now() + clock.offsetMs),
  });
  const running = await server.listen(0);
  const db = new pg.Pool({ connectionString: testDatabaseUrl(), max: 1 });
  return {
    url: running.url,
    dir,
    clock,
    schema: own.schema,
    db,
    auditSchema,
    async close() {
      await running.close();
      await accessLog.close();
      await db.query(`drop schema if exists "${auditSchema}" cascade`);
      await db.end();
      await own.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Declares, uploads (PUT to the signed URL: relative ones against `origin`) and completes a file; returns its id. */
export async function upload(url: string, caller: Caller, file: Buffer, overrides: Record<string, unknown> = {}, origin = url) {
  const created = await call(url, CREATE, { caller, variables: { input: input(file, overrides) } });
  if (created.body.errors) throw new Error(JSON.stringify(created.body.errors));
  const { attachment, upload: target } = created.body.data.createAttachmentUpload;
  const put = await fetch(new URL(target.url, origin), { method: 'PUT', headers: Object.fromEntries(target.headers.map((h: any) => [h.name, h.value])), body: file });
  if (!put.ok) throw new Error(`PUT ${put.status}: ${await put.text()}`);
  const done = await call(url, COMPLETE, { caller, variables: { id: attachment.id } });
  if (done.body.errors) throw new Error(JSON.stringify(done.body.errors));
  return { id: attachment.id as string, uploadUrl: target.url as string };
}
