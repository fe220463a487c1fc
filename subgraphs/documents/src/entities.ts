/** An attachment's row (migrations/Migration20261204210000.ts), as the subgraph's hand-written SQL returns it (service.ts). */
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

/** No entity schemas: the SQL is written by hand, so MikroORM serves the connection and migrations only. */
export const entities: never[] = [];
