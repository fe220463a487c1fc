import type { Caller, Logger } from '@gerbang/common';
import type { OperationAccess } from './edge/access';

export interface GatewayContext {
  requestId: string;
  caller: Caller;
  /** The caller as signed into every subgraph call (encoded once per operation). */
  callerHeader: string;
  logger: Logger;
  /** apollographql-client-name, when the client sent one. */
  clientName?: string;
  /** Set by the access plugin: the guarded and personal fields this operation touches. */
  access?: OperationAccess;
}
