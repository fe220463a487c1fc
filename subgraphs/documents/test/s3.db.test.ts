import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Simulator } from '@gerbang/sim-s3';
import { DEMO, ifStarted } from '@gerbang/testing';
import { call, code, COMPLETE, CREATE, documentsFixture, input, ONE, PDF, PNG, upload } from './fixture';

const KEY_ID = 'gerbang-test';
const SECRET = 'test-s3-secret-access-key-0123456789';
const BUCKET = 'gerbang-documents';

// The S3 driver over the wire: @aws-sdk/client-s3 and its presigner against an S3-compatible
// server that checks every SigV4 signature (simulators/s3), on port 0.
const clock = { offsetMs: 0 };
const sim = createS3Simulator({ credentials: { [KEY_ID]: SECRET }, buckets: [BUCKET], now: () => new Date(Date.now() + clock.offsetMs) });
let fx: Awaited<ReturnType<typeof documentsFixture>>;
let endpoint: string;
beforeAll(async () => {
  endpoint = await sim.listen(0);
  fx = await documentsFixture(() => ({ kind: 's3', endpoint, region: 'us-east-1', bucket: BUCKET, accessKeyId: KEY_ID, secretAccessKey: SECRET, forcePathStyle: true }));
}, 120_000);
afterAll(async () => {
  await ifStarted(fx)?.close();
  await sim.close();
});

describe('the S3 store', () => {
  it('uploads on a presigned PUT, checks the object, keeps it under files/ and serves it on a presigned GET', async () => {
    const { id, uploadUrl } = await upload(fx.url, DEMO.siti, PDF);
    const u = new URL(uploadUrl);
    expect(u.origin).toBe(endpoint);
    expect(u.pathname).toBe(`/${BUCKET}/incoming/${id}`);
    expect(u.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    // Checked, moved, and the upload removed.
    expect([...sim.objects.keys()].filter((k) => k.endsWith(id))).toEqual([`${BUCKET}/files/${id}`]);
    expect(sim.objects.get(`${BUCKET}/files/${id}`)!.body.equals(PDF)).toBe(true);

    const link = (await call(fx.url, ONE, { caller: DEMO.siti, variables: { id } })).body.data.attachment.download.url;
    const res = await fetch(link);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="kk-siti.pdf"/);
  });

  it('judges the type by the content there too, and deletes the refused upload', async () => {
    const created = (await call(fx.url, CREATE, { caller: DEMO.siti, variables: { input: input(PNG, { contentType: 'image/jpeg', fileName: 'foto.jpg', kind: 'PHOTO' }) } })).body.data
      .createAttachmentUpload;
    const put = await fetch(created.upload.url, { method: 'PUT', headers: { 'content-type': 'image/jpeg' }, body: PNG });
    expect(put.status).toBe(200);
    const done = await call(fx.url, COMPLETE, { caller: DEMO.siti, variables: { id: created.attachment.id } });
    expect(done.body.errors![0]!.extensions).toMatchObject({ code: 'ATTACHMENT_TYPE_NOT_ALLOWED', declared: 'image/jpeg', detected: 'image/png' });
    expect([...sim.objects.keys()].some((k) => k.endsWith(created.attachment.id))).toBe(false);
  });

  it('the server refuses a forged signature, a changed content-type and an expired presigned URL', async () => {
    const created = (await call(fx.url, CREATE, { caller: DEMO.siti, variables: { input: input(PDF) } })).body.data.createAttachmentUpload;
    const forged = new URL(created.upload.url);
    const sig = forged.searchParams.get('X-Amz-Signature')!;
    forged.searchParams.set('X-Amz-Signature', `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`);
    const f = await fetch(forged, { method: 'PUT', headers: { 'content-type': 'application/pdf' }, body: PDF });
    expect(f.status).toBe(403);
    expect(await f.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    // content-type is signed: HTML cannot be slipped in under the PDF's URL.
    const html = await fetch(created.upload.url, { method: 'PUT', headers: { 'content-type': 'text/html' }, body: PDF });
    expect(html.status).toBe(403);
    // Another key under the same signature.
    const otherKey = new URL(created.upload.url.replace('/incoming/', '/files/'));
    expect((await fetch(otherKey, { method: 'PUT', headers: { 'content-type': 'application/pdf' }, body: PDF })).status).toBe(403);
    clock.offsetMs = 301_000;
    try {
      const expired = await fetch(created.upload.url, { method: 'PUT', headers: { 'content-type': 'application/pdf' }, body: PDF });
      expect(expired.status).toBe(403);
      expect(await expired.text()).toContain('Request has expired');
    } finally {
      clock.offsetMs = 0;
    }
    expect(code(await call(fx.url, COMPLETE, { caller: DEMO.siti, variables: { id: created.attachment.id } }))).toBe('ATTACHMENT_NOT_UPLOADED');
  });

  it('sweeps abandoned uploads from the bucket: a pending one with its upload, an unlinked checked one with its file', async () => {
    const created = (await call(fx.url, CREATE, { caller: DEMO.siti, variables: { input: input(PDF) } })).body.data.createAttachmentUpload;
    expect((await fetch(created.upload.url, { method: 'PUT', headers: { 'content-type': 'application/pdf' }, body: PDF })).status).toBe(200);
    const { id } = await upload(fx.url, DEMO.siti, PNG, { kind: 'PHOTO', fileName: 'foto.png', contentType: 'image/png' });
    const keys = () => [...sim.objects.keys()].filter((k) => k.endsWith(created.attachment.id) || k.endsWith(id));
    expect(keys().sort()).toEqual([`${BUCKET}/files/${id}`, `${BUCKET}/incoming/${created.attachment.id}`]);
    fx.clock.offsetMs = 8 * 24 * 3600_000;
    try {
      const removed = await fx.sweepNow();
      expect(removed.pending).toBeGreaterThanOrEqual(1);
      expect(removed.unlinked).toBeGreaterThanOrEqual(1);
    } finally {
      fx.clock.offsetMs = 0;
    }
    expect(keys()).toEqual([]);
    expect(code(await call(fx.url, ONE, { caller: DEMO.siti, variables: { id } }))).toBe('NOT_FOUND');
  });
});
