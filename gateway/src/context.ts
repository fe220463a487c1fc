import type { Caller, Logger } from '@gerbang/common';

export interface GatewayContext {
  requestId: string;
  caller: Caller;
  /** The caller as signed into every subgraph call (encoded once per operation). */
  callerHeader: string;
  logger: Logger;
}
