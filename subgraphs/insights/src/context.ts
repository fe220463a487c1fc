import type { Caller, Logger } from '@gerbang/common';
import type { InsightsPolicy, InsightsService } from './cube/insights.service';

export interface InsightsContext {
  requestId: string;
  caller: Caller;
  logger: Logger;
  insights: InsightsService;
  policy: InsightsPolicy;
  dataAsOf: () => Promise<string | null>;
}
