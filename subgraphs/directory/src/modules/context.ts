import type { Caller, Logger } from '@gerbang/common';
import type { Loaders } from './loaders';
import type { DirectoryService } from './directory.service';

export interface DirectoryContext {
  requestId: string;
  caller: Caller;
  logger: Logger;
  directory: DirectoryService;
  loaders: Loaders;
}
