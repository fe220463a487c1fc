import type { Caller, Logger } from '@gerbang/common';
import type { InsightsPolicy, InsightsService } from './cube/insights.service';
import type { AgencyInsightsService } from './cube/federated';

export interface InsightsContext {
  requestId: string;
  caller: Caller;
  logger: Logger;
  insights: InsightsService;
  /** Measures the agency subgraphs contribute (cube/federated.ts). */
  agencyInsights: AgencyInsightsService;
  policy: InsightsPolicy;
  dataAsOf: () => Promise<string | null>;
}
