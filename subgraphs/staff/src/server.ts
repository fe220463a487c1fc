import { createSubgraphHttpServer, ReadRecorder, type AccessLog, type Logger, type RequestVerifier } from '@gerbang/common';
import type { StaffRegister } from './adapters/simpeg/registry';
import { createLoaders, type StaffContext } from './modules/context';
import { StaffService } from './modules/staff.service';
import { buildStaffSchema } from './schema';

export { SimpegClient, SIMPEG_SERVICE } from '@gerbang/bkpsdm-client';
export type { CivilServant, StaffRegister } from './adapters/simpeg/registry';
export { buildStaffSchema };

export interface StaffServerOptions {
  register: StaffRegister;
  logger: Logger;
  verifier: RequestVerifier;
  /** The append-only access log: reads of others' TPP bases and of agency rosters are recorded there. */
  accessLog: AccessLog;
  /** The agency system's state, for the status document (never readiness: see common's http.ts). */
  status?: () => Promise<Record<string, unknown>> | Record<string, unknown>;
}

/** Builds the staff subgraph (no tables of its own; the access log's database); starts nothing until `listen`. */
export async function createStaffServer(options: StaffServerOptions) {
  const schema = await buildStaffSchema();
  return createSubgraphHttpServer<StaffContext>({
    name: 'staff',
    schema,
    logger: options.logger,
    verifier: options.verifier,
    context: ({ requestId, caller, logger }) => ({
      requestId,
      caller,
      logger,
      staff: new StaffService({
        caller,
        logger,
        register: options.register,
        loaders: createLoaders(options.register),
        reads: new ReadRecorder(options.accessLog, { source: 'staff', requestId, caller }),
      }),
    }),
    // Readiness: the access log's database. A read it cannot record is refused, so without it
    // this subgraph serves no personal data at all (its agency system is status, not readiness).
    ready: { accessLog: () => options.accessLog.ping() },
    ...(options.status ? { status: options.status } : {}),
  });
}
