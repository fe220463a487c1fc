import type DataLoader from 'dataloader';
import type { Caller, Logger, ReadRecorder } from '@gerbang/common';
import type { AttachmentRow, AttachmentService } from './service';

export interface DocumentsContext {
  requestId: string;
  caller: Caller;
  logger: Logger;
  attachments: AttachmentService;
  byTicket: DataLoader<string, AttachmentRow[]>;
  reads: ReadRecorder;
}
