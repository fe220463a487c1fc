import { accessLogReadiness, createAgencySubgraphServer, ReadRecorder } from '@gerbang/common';
import type { AccessLog, AgencyServerOptions } from '@gerbang/common';
import type { StaffRegister } from './adapters/simpeg/registry';
import { createLoaders, type StaffContext } from './modules/context';
import { StaffService } from './modules/staff.service';
import { buildStaffSchema } from './schema';

export { SimpegClient, SIMPEG_SERVICE } from '@gerbang/bkpsdm-client';
export type { CivilServant, StaffRegister } from './adapters/simpeg/registry';
export { buildStaffSchema };

export interface StaffServerOptions extends AgencyServerOptions {
  register: StaffRegister;
  /** The append-only access log: reads of others' TPP bases and of agency rosters are recorded there. */
  accessLog: AccessLog;
}

/** Builds the staff subgraph (no tables of its own; the access log's database); starts nothing until `listen`. */
export async function createStaffServer(options: StaffServerOptions) {
  return createAgencySubgraphServer<StaffContext>(options, {
    name: 'staff',
    schema: await buildStaffSchema(),
    services: ({ requestId, caller, logger }) => ({
      staff: new StaffService({
        caller,
        logger,
        register: options.register,
        loaders: createLoaders(options.register),
        reads: new ReadRecorder(options.accessLog, { source: 'staff', requestId, caller }),
      }),
    }),
    ready: accessLogReadiness(options.accessLog),
  });
}
