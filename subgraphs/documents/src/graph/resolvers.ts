import { Arg, Ctx, Directive, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { badInput, mustExist, enumValue } from '@gerbang/common';
import type { DocumentsContext } from '../context';
import { mayRead, type AttachmentRow } from '../service';
import { Attachment, AttachmentPurpose, AttachmentKind, AttachmentStatus, AttachmentUpload, AttachmentUploadInput, HttpHeader, SignedUrl, Ticket, UploadTarget } from './types';

export const toAttachment = (r: AttachmentRow): Attachment =>
  Object.assign(new Attachment(), {
    id: r.id,
    purpose: enumValue(AttachmentPurpose, r.purpose, 'attachment purpose'),
    kind: enumValue(AttachmentKind, r.kind, 'attachment kind'),
    fileName: r.fileName,
    contentType: r.contentType,
    size: r.size,
    sha256: r.sha256,
    status: enumValue(AttachmentStatus, r.status, 'attachment status'),
    agencyId: r.agencyId,
    ticket: r.ticketId ? Object.assign(new Ticket(), { id: r.ticketId }) : null,
    createdAt: r.createdAt,
  });

/**
 * A read of someone else's file (an officer's, an admin's) is recorded in the access log before
 * the link is handed out; the citizen's own reads are not.
 */
async function recordRead(ctx: DocumentsContext, row: AttachmentRow): Promise<void> {
  if (ctx.caller.sub === row.ownerSub) return;
  const purpose = ctx.caller.roles.includes('admin') ? 'admin' : `officer of ${row.agencyId}`;
  await ctx.reads.read('Attachment.download', `attachment:${row.id}`, purpose);
}

@Resolver(() => Attachment)
export class AttachmentResolver {
  @Directive('@requiresScopes(scopes: [["role:citizen"]])')
  @Query(() => [Attachment], { nullable: true, description: "The signed-in citizen's attachments, newest first." })
  async myAttachments(@Arg('first', () => Int, { defaultValue: 50 }) first: number, @Ctx() ctx: DocumentsContext): Promise<Attachment[]> {
    if (first < 1 || first > 200) throw badInput('first must be 1–200.', 'first');
    return (await ctx.attachments.mine(ctx.caller, first)).map(toAttachment);
  }

  @Directive('@requiresScopes(scopes: [["role:citizen"], ["role:officer"], ["role:admin"]])')
  @Query(() => Attachment, { nullable: true, description: "One attachment: its owner's, the handling agency's officers' and admins' only (anyone else: NOT_FOUND, as for an unknown id)." })
  async attachment(@Arg('id', () => ID) id: string, @Ctx() ctx: DocumentsContext): Promise<Attachment | null> {
    const row = await ctx.attachments.byId(id);
    return toAttachment(mustExist(row && mayRead(ctx.caller, row) ? row : null, 'Attachment', 'id'));
  }

  @FieldResolver(() => SignedUrl, {
    nullable: true,
    description:
      "A short-lived signed URL to download the file (DOCUMENTS_DOWNLOAD_URL_TTL_SECONDS, 60 s by default); null while it is pending. Officers' and admins' downloads are recorded in the access log.",
  })
  async download(@Root() attachment: Attachment, @Ctx() ctx: DocumentsContext): Promise<SignedUrl | null> {
    // Re-read: the root may come from another subgraph's reference, and the check is on the row.
    const row = await ctx.attachments.byId(attachment.id);
    if (!row || !mayRead(ctx.caller, row)) return null;
    const signed = await ctx.attachments.downloadUrl(row);
    if (signed) await recordRead(ctx, row);
    return signed ? Object.assign(new SignedUrl(), signed) : null;
  }

  @Directive('@requiresScopes(scopes: [["role:citizen"]])')
  @Mutation(() => AttachmentUpload, {
    description:
      'Declare a file to attach (purpose, kind, name, type, size, SHA-256) and get a signed URL to PUT it to. Refused: a type other than PDF, JPEG, PNG (ATTACHMENT_TYPE_NOT_ALLOWED), over the size limit (ATTACHMENT_TOO_LARGE). A retry with the same idempotencyKey returns the same attachment.',
  })
  async createAttachmentUpload(@Arg('input', () => AttachmentUploadInput) input: AttachmentUploadInput, @Ctx() ctx: DocumentsContext): Promise<AttachmentUpload> {
    const { row, upload } = await ctx.attachments.createUpload(ctx.caller, input);
    return Object.assign(new AttachmentUpload(), {
      attachment: toAttachment(row),
      upload: upload
        ? Object.assign(new UploadTarget(), {
            url: upload.url,
            method: upload.method,
            headers: Object.entries(upload.headers).map(([name, value]) => Object.assign(new HttpHeader(), { name, value })),
            expiresAt: upload.expiresAt,
          })
        : null,
    });
  }

  @Directive('@requiresScopes(scopes: [["role:citizen"]])')
  @Mutation(() => Attachment, {
    description:
      'After the PUT: checks the bytes (size, SHA-256, real type by content) and makes the attachment READY. Refused: nothing uploaded (ATTACHMENT_NOT_UPLOADED), other bytes than declared (ATTACHMENT_MISMATCH), content of another type (ATTACHMENT_TYPE_NOT_ALLOWED). Safe to retry.',
  })
  async completeAttachmentUpload(@Arg('id', () => ID) id: string, @Ctx() ctx: DocumentsContext): Promise<Attachment> {
    return toAttachment(await ctx.attachments.complete(ctx.caller, id));
  }

  @Directive('@requiresScopes(scopes: [["role:citizen"]])')
  @Mutation(() => [Attachment], { description: "Attach READY attachments to the ticket of a request you filed at their agency (a document request's or permit application's id). Safe to retry." })
  async attachToTicket(@Arg('ticketId', () => ID) ticketId: string, @Arg('attachmentIds', () => [ID]) attachmentIds: string[], @Ctx() ctx: DocumentsContext): Promise<Attachment[]> {
    return (await ctx.attachments.link(ctx.caller, ticketId, attachmentIds)).map(toAttachment);
  }
}

@Resolver(() => Ticket)
export class TicketAttachmentsResolver {
  @Directive('@policy(policies: [["owner"], ["role:officer"], ["role:admin"]])')
  @FieldResolver(() => [Attachment], { description: "The files attached to this ticket that you may read: your own, or, for the handling agency's officers and admins, all." })
  async attachments(@Root() ticket: Ticket, @Ctx() ctx: DocumentsContext): Promise<Attachment[]> {
    const rows = await ctx.byTicket.load(ticket.id);
    return rows.filter((r) => mayRead(ctx.caller, r)).map(toAttachment);
  }
}
