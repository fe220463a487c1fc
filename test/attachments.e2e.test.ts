import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './support/stack';

/**
 * Attachments through the gateway, with the real ticket ledger: a citizen may attach files only to
 * their own request's ticket. The documents subgraph asks the ratings subgraph `ticket(id)` as the
 * caller; the ledger knows whose a ticket is only by a keyed hash of the NIK.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 240_000);
afterAll(async () => {
  if (stack as Stack | undefined) await stack.close();
});

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

const REQUEST = `mutation Request($input: RequestDocumentInput!) { requestDocument(input: $input) { id } }`;
const CREATE = `mutation Create($input: AttachmentUploadInput!) { createAttachmentUpload(input: $input) { attachment { id } upload { url headers { name value } } } }`;
const COMPLETE = `mutation Complete($id: ID!) { completeAttachmentUpload(id: $id) { id status } }`;
const ATTACH = `mutation Attach($ticketId: ID!, $ids: [ID!]!) { attachToTicket(ticketId: $ticketId, attachmentIds: $ids) { id ticket { id } } }`;

/** Declares, uploads (through the gateway's /files) and completes a PDF; returns its id. */
async function uploadAs(login: string, fileName: string): Promise<string> {
  const input = {
    purpose: 'DOCUMENT_REQUEST',
    kind: 'KK',
    fileName,
    contentType: 'application/pdf',
    size: PDF.length,
    sha256: createHash('sha256').update(PDF).digest('hex'),
    idempotencyKey: randomUUID(),
  };
  const created = await stack.graphql(CREATE, { login, variables: { input } });
  expect(created.body.errors).toBeUndefined();
  const { attachment, upload } = created.body.data.createAttachmentUpload;
  const put = await fetch(new URL(upload.url, stack.gatewayUrl), {
    method: 'PUT',
    headers: Object.fromEntries(upload.headers.map((h: { name: string; value: string }) => [h.name, h.value])),
    body: PDF,
  });
  expect(put.status).toBe(200);
  const done = await stack.graphql(COMPLETE, { login, variables: { id: attachment.id } });
  expect(done.body.data.completeAttachmentUpload.status).toBe('READY');
  return attachment.id;
}

describe("attaching files to a request's ticket, through the gateway", () => {
  it("refuses another citizen's file on warga.siti's ticket (NOT_FOUND), and links the owner's", async () => {
    const filed = await stack.graphql(REQUEST, { login: 'warga.siti', variables: { input: { type: 'KK', idempotencyKey: randomUUID() } } });
    expect(filed.body.errors).toBeUndefined();
    const ticketId: string = filed.body.data.requestDocument.id;
    await stack.syncTickets('population');

    const budis = await uploadAs('warga.budi', 'kk-budi.pdf');
    const refused = await stack.graphql(ATTACH, { login: 'warga.budi', variables: { ticketId, ids: [budis] } });
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'ticketId' });
    expect(refused.body.data ?? null).toBeNull();

    const sitis = await uploadAs('warga.siti', 'kk-siti.pdf');
    const linked = await stack.graphql(ATTACH, { login: 'warga.siti', variables: { ticketId, ids: [sitis] } });
    expect(linked.body.errors).toBeUndefined();
    expect(linked.body.data.attachToTicket).toEqual([{ id: sitis, ticket: { id: ticketId } }]);

    // Siti's ticket lists only her file.
    const mine = await stack.graphql(`{ me { tickets(first: 50) { id attachments { id } } } }`, { login: 'warga.siti' });
    const ticket = mine.body.data.me.tickets.find((t: { id: string }) => t.id === ticketId);
    expect(ticket.attachments).toEqual([{ id: sitis }]);
  });

  it('links to a request filed a moment ago, before any test-driven sync (the ledger is waited for)', async () => {
    const sitis = await uploadAs('warga.siti', 'surat.pdf');
    const filed = await stack.graphql(REQUEST, { login: 'warga.siti', variables: { input: { type: 'AKTA_LAHIR', idempotencyKey: randomUUID() } } });
    const ticketId: string = filed.body.data.requestDocument.id;
    // No syncTickets() here: the population subgraph publishes the new ticket on its own right after the filing.
    const linked = await stack.graphql(ATTACH, { login: 'warga.siti', variables: { ticketId, ids: [sitis] } });
    expect(linked.body.errors).toBeUndefined();
    expect(linked.body.data.attachToTicket[0].ticket.id).toBe(ticketId);
  });
});
