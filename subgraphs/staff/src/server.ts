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
  /** Readiness probe of the agency system. */
  health?: () => Promise<Record<string, unknown>>;
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
    health: options.health,
  });
}
