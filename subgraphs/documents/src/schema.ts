import 'reflect-metadata';
import { buildFederatedSchema, DateTimeScalar, referenceId } from '@gerbang/common';
import type { DocumentsContext } from './context';
import { AttachmentResolver, TicketAttachmentsResolver, toAttachment } from './graph/resolvers';
import { Ticket } from './graph/types';
import { mayRead } from './service';

export function buildDocumentsSchema() {
  return buildFederatedSchema({
    resolvers: [AttachmentResolver, TicketAttachmentsResolver],
    orphanedTypes: [Ticket],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    referenceResolvers: {
      Ticket: { __resolveReference: (ref: { id: unknown }) => ({ id: referenceId(ref) }) },
      // Only to someone who may read it: no other subgraph can use a reference to look a file up.
      Attachment: {
        __resolveReference: async (ref: { id: unknown }, ctx: DocumentsContext) => {
          const row = await ctx.attachments.byId(referenceId(ref));
          return row && mayRead(ctx.caller, row) ? toAttachment(row) : null;
        },
      },
    },
  });
}
