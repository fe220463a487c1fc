import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { DEMO, testDatabaseUrl, ifStarted } from '@gerbang/testing';
import { ATTACH, call, code, COMPLETE, CREATE, documentsFixture, DPMPTSP_OFFICER, DUKCAPIL_OFFICER, HTML, input, MINE, ONE, PDF, PNG, TICKET_FILES, upload } from './fixture';

const HOUR = 3600_000;

let fx: Awaited<ReturnType<typeof documentsFixture>>;
beforeAll(async () => {
  fx = await documentsFixture((dir) => ({ kind: 'local', dir, secrets: ['test-documents-url-secret-0123'], publicUrl: '' }));
}, 120_000);
afterAll(async () => ifStarted(fx)?.close());

const putTo = (url: string, body: Buffer, type: string) => fetch(new URL(url, fx.url), { method: 'PUT', headers: { 'content-type': type }, body });

describe('an attachment, end to end on the local disk', () => {
  it('is declared, uploaded to its signed URL, checked, attached to the ticket, listed and downloaded', async () => {
    const { id, uploadUrl } = await upload(fx.url, DEMO.siti, PDF);
    expect(uploadUrl).toMatch(/^\/files\?/);
    const attached = await call(fx.url, ATTACH, { caller: DEMO.siti, variables: { ticketId: 'dispendukcapil:REQ-2026-000123', ids: [id] } });
    expect(attached.body.data.attachToTicket).toEqual([{ id, ticket: { id: 'dispendukcapil:REQ-2026-000123' } }]);
    // Linking again to the same ticket is a no-op (a retried request).
    expect((await call(fx.url, ATTACH, { caller: DEMO.siti, variables: { ticketId: 'dispendukcapil:REQ-2026-000123', ids: [id] } })).body.errors).toBeUndefined();

    const mine = await call(fx.url, MINE, { caller: DEMO.siti });
    expect(mine.body.data.myAttachments).toContainEqual({ id, status: 'READY', fileName: 'kk-siti.pdf', ticket: { id: 'dispendukcapil:REQ-2026-000123' } });

    const one = await call(fx.url, ONE, { caller: DEMO.siti, variables: { id } });
    const download = one.body.data.attachment.download;
    expect(new Date(download.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(61_000);
    const res = await fetch(new URL(download.url, fx.url));
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="kk-siti.pdf"/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');

    // The ticket shows it to its owner, with a download link.
    const ticket = await call(fx.url, TICKET_FILES, { caller: DEMO.siti, variables: { reps: [{ __typename: 'Ticket', id: 'dispendukcapil:REQ-2026-000123' }] } });
    expect(ticket.body.data._entities[0].attachments).toEqual([{ id, fileName: 'kk-siti.pdf', download: { url: expect.stringMatching(/^\/files\?/) } }]);
  });

  it('is retry-safe: the same idempotency key gives the same attachment, with no new upload once checked', async () => {
    const body = input(PNG, { kind: 'PHOTO', fileName: 'pas-foto.png', contentType: 'image/png' });
    const first = await call(fx.url, CREATE, { caller: DEMO.siti, variables: { input: body } });
    const again = await call(fx.url, CREATE, { caller: DEMO.siti, variables: { input: body } });
    const id = first.body.data.createAttachmentUpload.attachment.id;
    expect(again.body.data.createAttachmentUpload.attachment.id).toBe(id);
    const url = again.body.data.createAttachmentUpload.upload.url;
    // The upload twice (a lost answer), then completion twice.
    expect((await putTo(url, PNG, 'image/png')).status).toBe(200);
    expect((await putTo(url, PNG, 'image/png')).status).toBe(200);
    expect((await call(fx.url, COMPLETE, { caller: DEMO.siti, variables: { id } })).body.data.completeAttachmentUpload.status).toBe('READY');
    expect((await call(fx.url, COMPLETE, { caller: DEMO.siti, variables: { id } })).body.data.completeAttachmentUpload.status).toBe('READY');
    const third = await call(fx.url, CREATE, { caller: DEMO.siti, variables: { input: body } });
    expect(third.body.data.createAttachmentUpload).toMatchObject({ attachment: { id, status: 'READY' }, upload: null });
    // The same key for another file is a conflict, not a silent second attachment.
    const other = await call(fx.url, CREATE, { caller: DEMO.siti, variables: { input: { ...body, sha256: 'a'.repeat(64) } } });
    expect(code(other)).toBe('IDEMPOTENCY_CONFLICT');
    const { rows } = await fx.db.query(`select count(*)::int n from "${fx.schema}".attachment where idempotency_key = $1`, [body.idempotencyKey]);
    expect(rows[0].n).toBe(1);
  });
});

describe('type and size', () => {
  it('refuses a declared type other than PDF, JPEG or PNG, and a declared size over the limit', async () => {
    const html = await call(fx.url, CREATE, { caller: DEMO.siti, variables: { input: input(HTML, { contentType: 'text/html', fileName: 'x.html' }) } });
    expect(code(html)).toBe('ATTACHMENT_TYPE_NOT_ALLOWED');
    const big = await call(fx.url, CREATE, { caller: DEMO.siti, variables: { input: input(PDF, { size: 64 * 1024 + 1 }) } });
    expect(code(big)).toBe('ATTACHMENT_TOO_LARGE');
    expect(big.body.errors![0]!.extensions).toMatchObject({ size: 64 * 1024 + 1, maxBytes: 64 * 1024 });
    const bad = await call(fx.url, CREATE, { caller: DEMO.siti, variables: { input: input(PDF, { fileName: '../../etc/passwd' }) } });
    expect(bad.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'fileName' });
  });

  it('judges the type by the content: HTML declared as a PNG is refused, and removed', async () => {
    const created = await call(fx.url, CREATE, { caller: DEMO.siti, variables: { input: input(HTML, { contentType: 'image/png', fileName: 'foto.png', kind: 'PHOTO' }) } });
    const { attachment, upload } = created.body.data.createAttachmentUpload;
    expect((await putTo(upload.url, HTML, 'image/png')).status).toBe(200);
    const done = await call(fx.url, COMPLETE, { caller: DEMO.siti, variables: { id: attachment.id } });
    expect(done.body.errors![0]!.extensions).toMatchObject({ code: 'ATTACHMENT_TYPE_NOT_ALLOWED', declared: 'image/png', detected: null });
    // A PDF declared as a PNG: detected, and named.
    const pdfAsPng = await call(fx.url, CREATE, { caller: DEMO.siti, variables: { input: input(PDF, { contentType: 'image/png', fileName: 'scan.png' }) } });
    const p = pdfAsPng.body.data.createAttachmentUpload;
    await putTo(p.upload.url, PDF, 'image/png');
    const refused = await call(fx.url, COMPLETE, { caller: DEMO.siti, variables: { id: p.attachment.id } });
    expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'ATTACHMENT_TYPE_NOT_ALLOWED', declared: 'image/png', detected: 'application/pdf' });
    // Nothing was kept: completing again finds no upload.
    expect(code(await call(fx.url, COMPLETE, { caller: DEMO.siti, variables: { id: p.attachment.id } }))).toBe('ATTACHMENT_NOT_UPLOADED');
    expect((await call(fx.url, ONE, { caller: DEMO.siti, variables: { id: p.attachment.id } })).body.data.attachment.download).toBeNull();
  });

  it('refuses an upload larger than declared, other bytes than declared, and completion before any upload', async () => {
    const created = (await call(fx.url, CREATE, { caller: DEMO.siti, variables: { input: input(PDF) } })).body.data.createAttachmentUpload;
    expect(code(await call(fx.url, COMPLETE, { caller: DEMO.siti, variables: { id: created.attachment.id } }))).toBe('ATTACHMENT_NOT_UPLOADED');
    const tooBig = await putTo(created.upload.url, Buffer.concat([PDF, Buffer.from('more')]), 'application/pdf');
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as any).errors[0].extensions.code).toBe('ATTACHMENT_TOO_LARGE');
    const wrongType = await putTo(created.upload.url, PDF, 'image/png');
    expect(((await wrongType.json()) as any).errors[0].extensions).toMatchObject({ code: 'ATTACHMENT_MISMATCH', reason: 'content-type' });
    const other = Buffer.from(PDF);
    other[20] = 0x41;
    expect((await putTo(created.upload.url, other, 'application/pdf')).status).toBe(200);
    const done = await call(fx.url, COMPLETE, { caller: DEMO.siti, variables: { id: created.attachment.id } });
    expect(done.body.errors![0]!.extensions).toMatchObject({ code: 'ATTACHMENT_MISMATCH', reason: 'sha256' });
  });
});

describe('who may read a file', () => {
  let id: string;
  beforeAll(async () => {
    ({ id } = await upload(fx.url, DEMO.siti, PDF, { fileName: 'surat-pengantar.pdf', kind: 'LETTER' }));
    await call(fx.url, ATTACH, { caller: DEMO.siti, variables: { ticketId: 'dispendukcapil:REQ-2026-000777', ids: [id] } });
  });

  it('another citizen: not found, no link, nothing on the ticket, cannot attach it', async () => {
    const one = await call(fx.url, ONE, { caller: DEMO.budi, variables: { id } });
    expect(one.body.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    expect(one.body.data.attachment).toBeNull();
    const ticket = await call(fx.url, TICKET_FILES, { caller: DEMO.budi, variables: { reps: [{ __typename: 'Ticket', id: 'dispendukcapil:REQ-2026-000777' }] } });
    expect(ticket.body.data._entities[0].attachments).toEqual([]);
    expect(code(await call(fx.url, ATTACH, { caller: DEMO.budi, variables: { ticketId: 'dispendukcapil:REQ-2026-000999', ids: [id] } }))).toBe('NOT_FOUND');
    expect(code(await call(fx.url, COMPLETE, { caller: DEMO.budi, variables: { id } }))).toBe('NOT_FOUND');
  });

  it("another agency's officer: not found; the handling agency's officer and an admin read it, and the read is logged", async () => {
    const other = await call(fx.url, ONE, { caller: DPMPTSP_OFFICER, variables: { id } });
    expect(other.body.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    const ticket = await call(fx.url, TICKET_FILES, { caller: DPMPTSP_OFFICER, variables: { reps: [{ __typename: 'Ticket', id: 'dispendukcapil:REQ-2026-000777' }] } });
    expect(ticket.body.data._entities[0].attachments).toEqual([]);

    const officer = await call(fx.url, ONE, { caller: DUKCAPIL_OFFICER, variables: { id } });
    const res = await fetch(new URL(officer.body.data.attachment.download.url, fx.url));
    expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
    const admin = await call(fx.url, TICKET_FILES, { caller: DEMO.admin, variables: { reps: [{ __typename: 'Ticket', id: 'dispendukcapil:REQ-2026-000777' }] } });
    expect(admin.body.data._entities[0].attachments).toEqual([{ id, fileName: 'surat-pengantar.pdf', download: { url: expect.any(String) } }]);
    const { rows } = await fx.db.query(`select subject, purpose, record_refs from "${fx.auditSchema}".access_log where source = 'documents' order by id`);
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ subject: 'usr-petugas-dukcapil', purpose: 'officer of dispendukcapil', record_refs: [`attachment:${id}`] }),
        expect.objectContaining({ subject: 'usr-admin', purpose: 'admin', record_refs: [`attachment:${id}`] }),
      ]),
    );
    // The owner's own reads are not someone else's: not logged.
    expect(rows.filter((r) => r.subject === DEMO.siti.sub)).toEqual([]);
  });

  it("refuses linking to another agency's ticket, or to a second ticket", async () => {
    const permit = await call(fx.url, ATTACH, { caller: DEMO.siti, variables: { ticketId: 'dpmptsp:PRM-2026-00001', ids: [id] } });
    expect(permit.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ticketId' });
    const second = await call(fx.url, ATTACH, { caller: DEMO.siti, variables: { ticketId: 'dispendukcapil:REQ-2026-000778', ids: [id] } });
    expect(second.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'attachmentIds' });
  });

  it('anonymous callers and analysts are refused', async () => {
    expect(code(await call(fx.url, MINE, { caller: { roles: [] } }))).toBe('UNAUTHENTICATED');
    expect(code(await call(fx.url, ONE, { caller: DEMO.analyst, variables: { id } }))).toBe('NOT_FOUND');
  });
});

describe("the ticket must be the caller's (the ledger is asked, as the caller)", () => {
  const ticketOf = async (id: string) => (await fx.db.query(`select ticket_id from "${fx.schema}".attachment where id = $1`, [id])).rows[0].ticket_id;

  it("another citizen attaching their own file to Siti's ticket is refused as NOT_FOUND, as for an unknown ticket; nothing is linked", async () => {
    const { id } = await upload(fx.url, DEMO.budi, PDF, { fileName: 'kk-budi.pdf' });
    fx.ledger.asked.length = 0;
    const refused = await call(fx.url, ATTACH, { caller: DEMO.budi, variables: { ticketId: 'dispendukcapil:REQ-2026-000123', ids: [id] } });
    expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'ticketId' });
    expect(refused.body.errors![0]!.message).toBe('No such ticket of yours.');
    expect(refused.body.data).toBeNull();
    // The ledger was asked as Budi (his NIK in the signed envelope), not as anyone the client names.
    expect(fx.ledger.asked[0]).toEqual({ ticketId: 'dispendukcapil:REQ-2026-000123', nik: DEMO.budi.nik });
    expect(await ticketOf(id)).toBeNull();
    // An unknown ticket: the same answer.
    const unknown = await call(fx.url, ATTACH, { caller: DEMO.budi, variables: { ticketId: 'dispendukcapil:REQ-2026-999999', ids: [id] } });
    expect(unknown.body.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'ticketId' });
    // Siti's ticket shows nothing of Budi's, to Siti or to the agency's officer.
    for (const caller of [DEMO.siti, DUKCAPIL_OFFICER]) {
      const files = await call(fx.url, TICKET_FILES, { caller, variables: { reps: [{ __typename: 'Ticket', id: 'dispendukcapil:REQ-2026-000123' }] } });
      expect(files.body.data._entities[0].attachments.map((a: { id: string }) => a.id)).not.toContain(id);
    }
    // His own ticket works.
    fx.ledger.owners.set('dispendukcapil:REQ-2026-000500', DEMO.budi.nik!);
    const own = await call(fx.url, ATTACH, { caller: DEMO.budi, variables: { ticketId: 'dispendukcapil:REQ-2026-000500', ids: [id] } });
    expect(own.body.errors).toBeUndefined();
    expect(await ticketOf(id)).toBe('dispendukcapil:REQ-2026-000500');
  });

  it('waits a moment for a ticket filed a moment ago to reach the ledger', async () => {
    const { id } = await upload(fx.url, DEMO.siti, PDF);
    setTimeout(() => fx.ledger.owners.set('dispendukcapil:REQ-2026-000900', DEMO.siti.nik!), 100);
    const res = await call(fx.url, ATTACH, { caller: DEMO.siti, variables: { ticketId: 'dispendukcapil:REQ-2026-000900', ids: [id] } });
    expect(res.body.errors).toBeUndefined();
    expect(await ticketOf(id)).toBe('dispendukcapil:REQ-2026-000900');
  });

  it('with the ledger down: UPSTREAM_UNAVAILABLE naming it, nothing linked; once it is back, the link works', async () => {
    const { id } = await upload(fx.url, DEMO.siti, PDF);
    fx.ledger.down = true;
    try {
      const res = await call(fx.url, ATTACH, { caller: DEMO.siti, variables: { ticketId: 'dispendukcapil:REQ-2026-000123', ids: [id] } });
      expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', service: 'ratings (ticket ledger)' });
      expect(res.body.errors![0]!.message).toBe('ratings (ticket ledger) is not available right now. Try again later.');
      expect(await ticketOf(id)).toBeNull();
    } finally {
      fx.ledger.down = false;
    }
    const again = await call(fx.url, ATTACH, { caller: DEMO.siti, variables: { ticketId: 'dispendukcapil:REQ-2026-000123', ids: [id] } });
    expect(again.body.errors).toBeUndefined();
    expect(await ticketOf(id)).toBe('dispendukcapil:REQ-2026-000123');
  });
});

describe('abandoned uploads are swept', () => {
  const exists = async (id: string) => (await fx.db.query(`select 1 from "${fx.schema}".attachment where id = $1`, [id])).rowCount === 1;
  const onDisk = (key: string) =>
    stat(join(fx.dir, key)).then(
      () => true,
      () => false,
    );

  it('pending ones after their TTL with their upload, unlinked checked ones only after the longer TTL; linked ones stay', async () => {
    // Pending, with its bytes uploaded but never completed.
    const pending = (await call(fx.url, CREATE, { caller: DEMO.siti, variables: { input: input(PDF) } })).body.data.createAttachmentUpload;
    expect((await putTo(pending.upload.url, PDF, 'application/pdf')).status).toBe(200);
    const unlinked = await upload(fx.url, DEMO.siti, PNG, { kind: 'PHOTO', fileName: 'foto.png', contentType: 'image/png' });
    const linked = await upload(fx.url, DEMO.siti, PDF);
    expect((await call(fx.url, ATTACH, { caller: DEMO.siti, variables: { ticketId: 'dispendukcapil:REQ-2026-000123', ids: [linked.id] } })).body.errors).toBeUndefined();
    expect(await onDisk(`incoming/${pending.attachment.id}`)).toBe(true);
    expect(await onDisk(`files/${unlinked.id}`)).toBe(true);

    // Within the TTLs nothing goes.
    fx.clock.offsetMs = 23 * HOUR;
    try {
      await fx.sweepNow();
      expect(await exists(pending.attachment.id)).toBe(true);

      // A day on: the pending one goes, with its upload; the checked one stays.
      fx.clock.offsetMs = 25 * HOUR;
      const first = await fx.sweepNow();
      expect(first.pending).toBeGreaterThanOrEqual(1);
      expect(await exists(pending.attachment.id)).toBe(false);
      expect(await onDisk(`incoming/${pending.attachment.id}`)).toBe(false);
      expect(await exists(unlinked.id)).toBe(true);
      expect(code(await call(fx.url, COMPLETE, { caller: DEMO.siti, variables: { id: pending.attachment.id } }))).toBe('NOT_FOUND');

      // A week on: the checked but never attached one goes with its file; the attached one stays.
      fx.clock.offsetMs = 7 * 24 * HOUR + HOUR;
      const second = await fx.sweepNow();
      expect(second.unlinked).toBeGreaterThanOrEqual(1);
      expect(await exists(unlinked.id)).toBe(false);
      expect(await onDisk(`files/${unlinked.id}`)).toBe(false);
      expect(await exists(linked.id)).toBe(true);
      expect(await onDisk(`files/${linked.id}`)).toBe(true);
      expect((await call(fx.url, MINE, { caller: DEMO.siti })).body.data.myAttachments.map((a: { id: string }) => a.id)).toContain(linked.id);
    } finally {
      fx.clock.offsetMs = 0;
    }
  });

  it('counts a pending upload from its last upload URL: declaring it again keeps it', async () => {
    const body = input(PDF);
    const first = (await call(fx.url, CREATE, { caller: DEMO.siti, variables: { input: body } })).body.data.createAttachmentUpload;
    // As if declared two days ago, and declared again (a retry) now.
    await fx.db.query(`update "${fx.schema}".attachment set upload_issued_at = now() - interval '48 hours', created_at = now() - interval '48 hours' where id = $1`, [first.attachment.id]);
    const again = (await call(fx.url, CREATE, { caller: DEMO.siti, variables: { input: body } })).body.data.createAttachmentUpload;
    expect(again.attachment.id).toBe(first.attachment.id);
    await fx.sweepNow();
    expect(await exists(first.attachment.id)).toBe(true);
    // And the fresh URL still works.
    expect((await putTo(again.upload.url, PDF, 'application/pdf')).status).toBe(200);
    expect((await call(fx.url, COMPLETE, { caller: DEMO.siti, variables: { id: first.attachment.id } })).body.data.completeAttachmentUpload.status).toBe('READY');
  });

  it('two sweeps side by side (two replicas) remove each row once, and skip a row another one holds rather than wait on it', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await call(fx.url, CREATE, { caller: DEMO.siti, variables: { input: input(PDF) } })).body.data.createAttachmentUpload.attachment.id);
    await fx.db.query(`update "${fx.schema}".attachment set upload_issued_at = now() - interval '48 hours' where id = any($1::uuid[])`, [ids]);
    // A third replica's sweep holds the first row.
    const holder = new pg.Client({ connectionString: testDatabaseUrl() });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query(`select id from "${fx.schema}".attachment where id = $1 for update`, [ids[0]]);
      const ttl = { pendingTtlSeconds: 24 * 3600, unlinkedTtlSeconds: 7 * 24 * 3600, batchSize: 2 };
      const [a, b] = await Promise.all([fx.sweep(ttl), fx.sweep(ttl)]);
      expect(a.pending + b.pending).toBe(6);
      expect(await exists(ids[0]!)).toBe(true);
      for (const id of ids.slice(1)) expect(await exists(id)).toBe(false);
      await holder.query('rollback');
    } finally {
      await holder.end();
    }
    await fx.sweepNow();
    expect(await exists(ids[0]!)).toBe(false);
  });
});

describe('signed URLs', () => {
  it('refuse a forged or edited signature, the wrong method, and an expired link', async () => {
    const { id } = await upload(fx.url, DEMO.siti, PDF);
    const link = new URL((await call(fx.url, ONE, { caller: DEMO.siti, variables: { id } })).body.data.attachment.download.url, fx.url);
    expect((await fetch(link)).status).toBe(200);

    const forged = new URL(link);
    forged.searchParams.set('s', Buffer.alloc(32, 1).toString('base64url'));
    const f = await fetch(forged);
    expect(f.status).toBe(403);
    expect(((await f.json()) as any).errors[0].extensions.code).toBe('SIGNED_URL_INVALID');
    // The signature of one file does not open another, nor a longer expiry.
    const otherFile = new URL(link);
    otherFile.searchParams.set('k', `files/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`);
    expect(((await (await fetch(otherFile)).json()) as any).errors[0].extensions.code).toBe('SIGNED_URL_INVALID');
    const longer = new URL(link);
    longer.searchParams.set('e', String(Number(link.searchParams.get('e')) + 3600));
    expect(((await (await fetch(longer)).json()) as any).errors[0].extensions.code).toBe('SIGNED_URL_INVALID');
    // A download link is no upload link.
    const put = await fetch(link, { method: 'PUT', headers: { 'content-type': 'application/pdf' }, body: PDF });
    expect(((await put.json()) as any).errors[0].extensions.code).toBe('SIGNED_URL_INVALID');

    fx.clock.offsetMs = 61_000;
    try {
      const expired = await fetch(link);
      expect(expired.status).toBe(403);
      expect(((await expired.json()) as any).errors[0].extensions.code).toBe('SIGNED_URL_EXPIRED');
    } finally {
      fx.clock.offsetMs = 0;
    }
  });

  it('an upload link expires too', async () => {
    const created = (await call(fx.url, CREATE, { caller: DEMO.siti, variables: { input: input(PDF) } })).body.data.createAttachmentUpload;
    fx.clock.offsetMs = 301_000;
    try {
      const res = await putTo(created.upload.url, PDF, 'application/pdf');
      expect(res.status).toBe(403);
      expect(((await res.json()) as any).errors[0].extensions.code).toBe('SIGNED_URL_EXPIRED');
    } finally {
      fx.clock.offsetMs = 0;
    }
  });
});
