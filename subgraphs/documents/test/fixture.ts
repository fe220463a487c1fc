import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createLogger, PostgresAccessLog, RequestVerifier, verifierFromSecret, type Caller } from '@gerbang/common';
import { DEMO, subgraphCaller, TEST_INTERNAL_SECRET, testDatabaseUrl, testOrm, uniqueSchema } from '@gerbang/testing';
import { createDocumentsServer, migrations, type DocumentsConfig } from '../src/server';

export const call = subgraphCaller('documents');
/** The first error's code of a subgraph answer. */
export const code = (res: { body: { errors?: { extensions?: Record<string, unknown> }[] } }) => res.body.errors?.[0]?.extensions?.code;

/** Minimal real files: the magic numbers file-type reads, and some content. */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from('IHDR'), Buffer.alloc(13, 1), Buffer.alloc(64, 7)]);
export const HTML = Buffer.from('<!doctype html><script>alert(1)</script>');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

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
 * A stand-in for the ratings subgraph's `ticket(id)` over HTTP: it checks the gateway envelope
 * (signed for the audience `ratings`, with the test secret) and answers as the ledger does: the
 * ticket to its owner (by the caller's NIK), NOT_FOUND with a null ticket to anyone else and for an
 * unknown id. `down` answers 503; `asked` records each question (ticket id, caller's NIK).
 */
class FakeLedger {
  /** ticket id → the owner's NIK. Siti's demo tickets, as the tests name them. */
  readonly owners = new Map<string, string>();
  readonly asked: { ticketId: string; nik: string | undefined }[] = [];
  down = false;
  private readonly verifier = new RequestVerifier({ secrets: [TEST_INTERNAL_SECRET] });
  private readonly server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const answer = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      if (this.down) return answer(503, { errors: [{ message: 'down' }] });
      this.verifier.verify(req.headers, body, 'ratings').then(
        (caller) => {
          const ticketId = (JSON.parse(body) as { variables: { id: string } }).variables.id;
          this.asked.push({ ticketId, nik: caller.nik });
          if (caller.nik && this.owners.get(ticketId) === caller.nik) return answer(200, { data: { ticket: { id: ticketId } } });
          answer(200, { data: { ticket: null }, errors: [{ message: 'No such ticket of yours.', path: ['ticket'], extensions: { code: 'NOT_FOUND', field: 'id' } }] });
        },
        (err: unknown) => answer(401, { errors: [{ message: (err as Error).message, extensions: { code: 'UNAUTHENTICATED' } }] }),
      );
    });
  });

  constructor(owners: Record<string, string> = {}) {
    for (const [t, nik] of Object.entries(owners)) this.owners.set(t, nik);
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Siti's tickets the tests attach to. */
const SITI_TICKETS = ['dispendukcapil:REQ-2026-000123', 'dispendukcapil:REQ-2026-000777', 'dispendukcapil:REQ-2026-000778', 'dpmptsp:PRM-2026-00001'];

/**
 * The documents subgraph on a fresh schema with its access log, on port 0, with the store the
 * config names (local: a temporary folder) and a clock tests can move.
 */
export async function documentsFixture(store: (dir: string) => DocumentsConfig['store']) {
  const logger = createLogger('documents-test', 'silent');
  const own = await testOrm({ schemaPrefix: 'documents', migrations });
  const auditSchema = uniqueSchema('audit');
  const accessLog = await PostgresAccessLog.open({ url: testDatabaseUrl(), schema: auditSchema, logger });
  const dir = await mkdtemp(join(tmpdir(), 'gerbang-documents-'));
  const clock = { offsetMs: 0 };
  const ledger = new FakeLedger(Object.fromEntries(SITI_TICKETS.map((t) => [t, DEMO.siti.nik!])));
  const ratingsUrl = await ledger.listen();
  const config: DocumentsConfig = {
    store: store(dir),
    maxBytes: 64 * 1024,
    uploadTtlSeconds: 300,
    downloadTtlSeconds: 60,
    ledger: { ratingsUrl, secret: TEST_INTERNAL_SECRET, timeoutMs: 2_000, waitMs: 300 },
    // The sweep runs when a test calls it (sweepNow), at the test's clock.
    sweep: { intervalMs: 0, pendingTtlSeconds: 24 * 3600, unlinkedTtlSeconds: 7 * 24 * 3600 },
  };
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
    ledger,
    sweepNow: () => server.sweepNow(),
    /** One sweep as another replica would run it, beside any other. */
    sweep: (ttl: Parameters<typeof server.attachments.sweep>[0]) => server.attachments.sweep(ttl),
    schema: own.schema,
    db,
    auditSchema,
    async close() {
      await running.close();
      await ledger.close();
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
