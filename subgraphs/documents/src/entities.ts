import { EntitySchema } from '@mikro-orm/core';

/** An attachment's row (migrations/Migration20261204210000.ts). The subgraph's SQL is written by hand. */
export interface AttachmentRow {
  id: string;
  ownerSub: string;
  agencyId: string;
  purpose: string;
  kind: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  status: 'PENDING' | 'READY';
  ticketId: string | null;
  idempotencyKey: string;
  createdAt: Date;
  uploadedAt: Date | null;
  linkedAt: Date | null;
}

export const AttachmentSchema = new EntitySchema<AttachmentRow>({
  name: 'Attachment',
  tableName: 'attachment',
  properties: {
    id: { type: 'uuid', primary: true },
    ownerSub: { type: 'string', fieldName: 'owner_sub' },
    agencyId: { type: 'string', fieldName: 'agency_id' },
    purpose: { type: 'string' },
    kind: { type: 'string' },
    fileName: { type: 'string', fieldName: 'file_name' },
    contentType: { type: 'string', fieldName: 'content_type' },
    size: { type: 'integer' },
    sha256: { type: 'string' },
    status: { type: 'string' },
    ticketId: { type: 'string', fieldName: 'ticket_id', nullable: true },
    idempotencyKey: { type: 'string', fieldName: 'idempotency_key' },
    createdAt: { type: 'Date', fieldName: 'created_at' },
    uploadedAt: { type: 'Date', fieldName: 'uploaded_at', nullable: true },
    linkedAt: { type: 'Date', fieldName: 'linked_at', nullable: true },
  },
});

export const entities = [AttachmentSchema];
