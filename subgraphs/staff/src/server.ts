import { createSubgraphHttpServer, type Logger, type RequestVerifier } from '@gerbang/common';
import type { StaffRegister } from './adapters/simpeg/registry';
import { AccessLog, createLoaders, type StaffContext } from './modules/context';
import { buildStaffSchema } from './schema';

export { SimpegClient, SIMPEG_SERVICE } from './adapters/simpeg/simpeg-client';
export type { CivilServant, StaffRegister } from './adapters/simpeg/registry';
export { buildStaffSchema };

export interface StaffServerOptions {
  register: StaffRegister;
  logger: Logger;
  verifier: RequestVerifier;
  /** The agency system's state, for the status document (never readiness: see common's http.ts). */
  status?: () => Promise<Record<string, unknown>> | Record<string, unknown>;
}

/** Builds the staff subgraph (no database of its own); starts nothing until `listen`. */
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
      register: options.register,
      loaders: createLoaders(options.register),
      audit: new AccessLog(logger, caller),
    }),
    ...(options.status ? { status: options.status } : {}),
  });
}
