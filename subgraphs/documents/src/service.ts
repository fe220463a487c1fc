import { createHash, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { badInput, ErrorCode, GerbangError, hasRole, notFound, requireCitizen, requireIdempotencyKey, type Caller } from '@gerbang/common';
import { isAllowedType, normaliseType, sniffType, ALLOWED_TYPES } from './sniff';
import { TooLarge, type DocumentStore, type UploadTarget } from './storage/store';
import { checkOwnTicket, type TicketOwnership } from './tickets';

/**
 * What an attachment is for decides the agency that handles it, and so whose officers may read it.
 * Any filing that takes documents gets a purpose here.
 */
export const PURPOSE_AGENCY = {
  DOCUMENT_REQUEST: 'dispendukcapil',
  PERMIT_APPLICATION: 'dpmptsp',
  AID_PROPOSAL: 'dinsos',
} as const;
type Purpose = keyof typeof PURPOSE_AGENCY;

/** An attachment's row (migrations/Migration20261204210000.ts), as the SQL below returns it. */
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

export const KINDS = ['KK', 'KTP', 'LETTER', 'PHOTO', 'OTHER'] as const;
type Kind = (typeof KINDS)[number];

export interface UploadRequest {
  purpose: Purpose;
  kind: Kind;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  idempotencyKey: string;
}

export interface DocumentsPolicy {
  maxBytes: number;
  uploadTtlSeconds: number;
  downloadTtlSeconds: number;
}

/** Where an attachment's bytes are: `incoming/` until checked, then `files/` (never written by a client). */
const incomingKey = (id: string) => `incoming/${id}`;
const fileKey = (id: string) => `files/${id}`;

const COLUMNS = `id, owner_sub as "ownerSub", agency_id as "agencyId", purpose, kind, file_name as "fileName", content_type as "contentType", size,
  sha256, status, ticket_id as "ticketId", idempotency_key as "idempotencyKey", created_at as "createdAt", uploaded_at as "uploadedAt", linked_at as "linkedAt"`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TICKET_ID = /^([a-z][a-z0-9-]{1,40}):[A-Za-z0-9._:-]{1,100}$/;
// Control characters and path separators: a file name is shown and sent back, never used as a path.
// eslint-disable-next-line no-control-regex
const BAD_NAME = /[\u0000-\u001f\u007f/\\]/;

const attachmentError = (code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) => new GerbangError(code, message, extensions);

/** Who may read an attachment: the citizen who uploaded it, the handling agency's officers, admins. */
export function mayRead(caller: Caller, row: Pick<AttachmentRow, 'ownerSub' | 'agencyId'>): boolean {
  if (caller.sub && caller.sub === row.ownerSub) return true;
  if (hasRole(caller, 'officer') && caller.agencyId === row.agencyId) return true;
  return hasRole(caller, 'admin');
}

export class AttachmentService {
  constructor(
    private readonly db: pg.Pool,
    private readonly schema: string,
    readonly store: DocumentStore,
    readonly policy: DocumentsPolicy,
    /** Whose a ticket is: the ticket ledger, asked as the caller. */
    private readonly tickets: TicketOwnership,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get table() {
    return `"${this.schema}".attachment`;
  }

  private expiresIn(seconds: number): Date {
    return new Date(this.now().getTime() + seconds * 1000);
  }

  /**
   * Checks what the citizen declares (type, size, checksum, name), records the attachment and
   * returns where to upload it. The same idempotency key returns the same attachment (and a fresh
   * URL, or none when its bytes are already in); the key with other content is IDEMPOTENCY_CONFLICT.
   */
  async createUpload(caller: Caller, input: UploadRequest): Promise<{ row: AttachmentRow; upload: (UploadTarget & { expiresAt: Date }) | null }> {
    const citizen = requireCitizen(caller, 'attach files');
    requireIdempotencyKey(input.idempotencyKey);
    const fileName = input.fileName.trim();
    if (!fileName || fileName.length > 200 || BAD_NAME.test(fileName)) throw badInput('fileName must be 1–200 characters, without slashes or control characters.', 'fileName');
    const contentType = normaliseType(input.contentType);
    if (!isAllowedType(contentType)) {
      throw attachmentError(ErrorCode.ATTACHMENT_TYPE_NOT_ALLOWED, 'Only PDF, JPEG and PNG files can be attached.', { declared: contentType, allowed: ALLOWED_TYPES });
    }
    if (!Number.isSafeInteger(input.size) || input.size < 1) throw badInput('size must be the file size in bytes.', 'size');
    if (input.size > this.policy.maxBytes) {
      throw attachmentError(ErrorCode.ATTACHMENT_TOO_LARGE, 'The file is too large.', { size: input.size, maxBytes: this.policy.maxBytes });
    }
    const sha256 = input.sha256.toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw badInput('sha256 must be the SHA-256 of the file, 64 hex digits.', 'sha256');
    const agencyId = PURPOSE_AGENCY[input.purpose];
    const declared = { ...input, fileName, contentType, sha256, agencyId };
    // Twice at most: a pending attachment the sweeper removes (or a completion changes) between two statements is declared afresh.
    const result = (await this.declare(citizen.sub, declared)) ?? (await this.declare(citizen.sub, declared));
    if (!result) throw new Error('attachment declaration raced twice with the sweeper');
    return result;
  }

  private async declare(ownerSub: string, input: UploadRequest & { agencyId: string }): Promise<{ row: AttachmentRow; upload: (UploadTarget & { expiresAt: Date }) | null } | undefined> {
    const { agencyId, fileName, contentType, sha256 } = input;
    const inserted = await this.db.query<AttachmentRow>(
      `insert into ${this.table} (id, owner_sub, agency_id, purpose, kind, file_name, content_type, size, sha256, idempotency_key)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       on conflict (owner_sub, idempotency_key) do nothing
       returning ${COLUMNS}`,
      [randomUUID(), ownerSub, agencyId, input.purpose, input.kind, fileName, contentType, input.size, sha256, input.idempotencyKey],
    );
    let row = inserted.rows[0];
    if (!row) {
      row = (await this.db.query<AttachmentRow>(`select ${COLUMNS} from ${this.table} where owner_sub = $1 and idempotency_key = $2`, [ownerSub, input.idempotencyKey])).rows[0];
      if (!row) return undefined;
      const same = row.purpose === input.purpose && row.kind === input.kind && row.fileName === fileName && row.contentType === contentType && row.size === input.size && row.sha256 === sha256;
      if (!same) throw attachmentError(ErrorCode.IDEMPOTENCY_CONFLICT, 'This idempotency key was used for another file.', { field: 'idempotencyKey' });
      if (row.status === 'READY') return { row, upload: null };
      // A fresh upload URL: the sweeper counts a pending attachment's age from the last one handed out.
      const touched = await this.db.query(`update ${this.table} set upload_issued_at = now() where id = $1 and status = 'PENDING'`, [row.id]);
      if (!touched.rowCount) return undefined;
    }
    const expiresAt = this.expiresIn(this.policy.uploadTtlSeconds);
    const target = await this.store.uploadTarget({ key: incomingKey(row.id), contentType, size: row.size, fileName: row.fileName, expires: expiresAt });
    return { row, upload: { ...target, expiresAt } };
  }

  /** The caller's own attachment (NOT_FOUND alike for an unknown id and another's). */
  private async own(caller: Caller, id: string, field = 'id'): Promise<AttachmentRow> {
    const citizen = requireCitizen(caller, 'attach files');
    const row = UUID.test(id) ? (await this.db.query<AttachmentRow>(`select ${COLUMNS} from ${this.table} where id = $1 and owner_sub = $2`, [id, citizen.sub])).rows[0] : undefined;
    if (!row) throw notFound('No such attachment of yours', field);
    return row;
  }

  /**
   * After the upload: reads what arrived, checks its size, checksum and real type (the bytes, not
   * the declared type), and only then moves it where downloads come from. A failed check removes
   * the upload and leaves the attachment pending (upload again, or start over with a new key).
   * Retrying a completed one returns it.
   */
  async complete(caller: Caller, id: string): Promise<AttachmentRow> {
    const row = await this.own(caller, id);
    if (row.status === 'READY') return row;
    const incoming = incomingKey(row.id);
    let bytes: Buffer | null;
    try {
      bytes = await this.store.read(incoming, this.policy.maxBytes);
    } catch (err) {
      if (!(err instanceof TooLarge)) throw err;
      await this.store.remove(incoming);
      throw attachmentError(ErrorCode.ATTACHMENT_TOO_LARGE, 'The file is too large.', { maxBytes: this.policy.maxBytes });
    }
    if (!bytes) throw attachmentError(ErrorCode.ATTACHMENT_NOT_UPLOADED, 'The file has not been uploaded yet.', { id: row.id });
    const refuse = async (code: ErrorCode, message: string, extensions: Record<string, unknown>) => {
      await this.store.remove(incoming);
      return attachmentError(code, message, extensions);
    };
    if (bytes.length !== row.size) throw await refuse(ErrorCode.ATTACHMENT_MISMATCH, 'The uploaded file is not the one declared.', { reason: 'size', declared: row.size, received: bytes.length });
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 !== row.sha256) throw await refuse(ErrorCode.ATTACHMENT_MISMATCH, 'The uploaded file is not the one declared.', { reason: 'sha256' });
    const detected = await sniffType(bytes);
    if (detected !== row.contentType) {
      throw await refuse(ErrorCode.ATTACHMENT_TYPE_NOT_ALLOWED, 'The file is not what its type says: only PDF, JPEG and PNG files can be attached.', {
        declared: row.contentType,
        detected: detected ?? null,
      });
    }
    await this.store.write(fileKey(row.id), bytes, row.contentType);
    const { rows } = await this.db.query<AttachmentRow>(`update ${this.table} set status = 'READY', uploaded_at = coalesce(uploaded_at, now()) where id = $1 returning ${COLUMNS}`, [row.id]);
    await this.store.remove(incoming);
    if (!rows[0]) {
      // Swept meanwhile as abandoned: its bytes go too.
      await this.store.remove(fileKey(row.id));
      throw notFound('No such attachment of yours', 'id');
    }
    return rows[0];
  }

  /**
   * Links the caller's checked attachments to the ticket of the request they filed. A file serves
   * one request: linking it again to the same ticket is a no-op, to another is refused. The ticket
   * must be the caller's: the ledger is asked (as the caller) before anything is written, and says
   * NOT_FOUND alike for another citizen's ticket and an unknown one; a ledger that cannot answer
   * is UPSTREAM_UNAVAILABLE and nothing is linked.
   */
  async link(caller: Caller, ticketId: string, ids: readonly string[]): Promise<AttachmentRow[]> {
    const citizen = requireCitizen(caller, 'attach files');
    const m = TICKET_ID.exec(ticketId);
    if (!m) throw badInput('ticketId is not a ticket id.', 'ticketId');
    if (ids.length < 1 || ids.length > 20) throw badInput('attachmentIds must name 1–20 attachments.', 'attachmentIds');
    const rows = [];
    for (const id of ids) rows.push(await this.own(caller, id, 'attachmentIds'));
    for (const row of rows) {
      if (row.status !== 'READY') throw attachmentError(ErrorCode.ATTACHMENT_NOT_UPLOADED, 'The file has not been uploaded yet.', { id: row.id });
      if (row.agencyId !== m[1]) throw badInput(`Attachment ${row.id} is for ${row.agencyId}, not this ticket's agency.`, 'ticketId');
      if (row.ticketId && row.ticketId !== ticketId) throw badInput(`Attachment ${row.id} is already attached to another request.`, 'attachmentIds');
    }
    await checkOwnTicket(this.tickets, caller, ticketId);
    const { rows: linked } = await this.db.query<AttachmentRow>(
      `update ${this.table} set ticket_id = $1, linked_at = coalesce(linked_at, now())
       where owner_sub = $2 and id = any($3::uuid[]) and (ticket_id is null or ticket_id = $1)
       returning ${COLUMNS}`,
      [ticketId, citizen.sub, rows.map((r) => r.id)],
    );
    if (linked.length !== rows.length) throw badInput('An attachment was attached to another request meanwhile.', 'attachmentIds');
    return linked.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
  }

  async mine(caller: Caller, first: number): Promise<AttachmentRow[]> {
    const citizen = requireCitizen(caller, 'have attachments');
    const { rows } = await this.db.query<AttachmentRow>(`select ${COLUMNS} from ${this.table} where owner_sub = $1 order by created_at desc, id limit $2`, [citizen.sub, first]);
    return rows;
  }

  async byId(id: string): Promise<AttachmentRow | undefined> {
    if (!UUID.test(id)) return undefined;
    return (await this.db.query<AttachmentRow>(`select ${COLUMNS} from ${this.table} where id = $1`, [id])).rows[0];
  }

  /** Every ticket's attachments, in one query. */
  async byTickets(ticketIds: readonly string[]): Promise<AttachmentRow[][]> {
    const { rows } = await this.db.query<AttachmentRow>(`select ${COLUMNS} from ${this.table} where ticket_id = any($1::text[]) order by created_at, id`, [ticketIds]);
    return ticketIds.map((t) => rows.filter((r) => r.ticketId === t));
  }

  /** A short-lived URL to download a checked attachment (null while it is pending). */
  async downloadUrl(row: AttachmentRow): Promise<{ url: string; expiresAt: Date } | null> {
    if (row.status !== 'READY') return null;
    const expiresAt = this.expiresIn(this.policy.downloadTtlSeconds);
    const url = await this.store.downloadUrl({ key: fileKey(row.id), contentType: row.contentType, size: row.size, fileName: row.fileName, expires: expiresAt });
    return { url, expiresAt };
  }

  /**
   * Removes abandoned uploads: pending attachments whose last upload URL was handed out more than
   * `pendingTtlSeconds` ago, and checked ones never attached to a request, `unlinkedTtlSeconds`
   * after their upload. Batch by batch, each in a transaction: the rows are locked with
   * `FOR UPDATE SKIP LOCKED` (several replicas sweep side by side without waiting on, or doubling,
   * each other's work), their bytes removed from the store, then the rows deleted. A store that
   * fails rolls the batch back, so a row is never gone while its bytes stay; a completion or a link
   * racing the sweep waits on the lock and then finds no row. Returns how many were removed.
   */
  async sweep(ttl: { pendingTtlSeconds: number; unlinkedTtlSeconds: number; batchSize?: number }): Promise<{ pending: number; unlinked: number }> {
    const now = this.now().getTime();
    const pendingBefore = new Date(now - ttl.pendingTtlSeconds * 1000);
    const unlinkedBefore = new Date(now - ttl.unlinkedTtlSeconds * 1000);
    const batchSize = ttl.batchSize ?? 100;
    const removed = { pending: 0, unlinked: 0 };
    for (;;) {
      const client = await this.db.connect();
      let batch: { id: string; status: AttachmentRow['status'] }[];
      try {
        await client.query('begin');
        ({ rows: batch } = await client.query<{ id: string; status: AttachmentRow['status'] }>(
          `select id, status from ${this.table}
           where ticket_id is null and ((status = 'PENDING' and upload_issued_at < $1) or (status = 'READY' and uploaded_at < $2))
           order by created_at, id limit $3
           for update skip locked`,
          [pendingBefore, unlinkedBefore, batchSize],
        ));
        for (const { id } of batch) {
          await this.store.remove(incomingKey(id));
          await this.store.remove(fileKey(id));
        }
        if (batch.length) await client.query(`delete from ${this.table} where id = any($1::uuid[])`, [batch.map((r) => r.id)]);
        await client.query('commit');
      } catch (err) {
        await client.query('rollback').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
      for (const r of batch) removed[r.status === 'PENDING' ? 'pending' : 'unlinked']++;
      if (batch.length < batchSize) return removed;
    }
  }

  ping(): Promise<unknown> {
    return this.db.query('select 1');
  }
}
