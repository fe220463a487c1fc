import type DataLoader from 'dataloader';
import type { ReadRecorder, RequestInfo } from '@gerbang/common';
import type { AttachmentRow, AttachmentService } from './service';

/** The request's own (id, caller, logger) and the subgraph's services for it. */
export interface DocumentsContext extends RequestInfo {
  attachments: AttachmentService;
  byTicket: DataLoader<string, AttachmentRow[]>;
  reads: ReadRecorder;
}
