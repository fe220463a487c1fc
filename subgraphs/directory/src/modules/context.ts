import type { RequestInfo } from '@gerbang/common';
import type { Loaders } from './loaders';
import type { DirectoryService } from './directory.service';

/** The request's own (id, caller, logger) and the subgraph's services for it. */
export interface DirectoryContext extends RequestInfo {
  directory: DirectoryService;
  loaders: Loaders;
}
