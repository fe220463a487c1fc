export { createBkpsdmSimulator, officerToWire, employmentToWire, RpcError, RPC_ERRORS, ROUTES, MAX_NIPS_PER_CALL, MAX_NIKS_PER_CALL, MAX_PAGE, DEFAULT_PAGE, MAX_BATCH_CALLS } from './server.js';
export type { BkpsdmSimulator, BkpsdmSimulatorOptions } from './server.js';
export { BkpsdmStore } from './store.js';
export { seedOfficers, generateOfficers, AGENCIES, DEMO_OFFICER_NIPS, DEMO_OFFICER_NIKS, TPP_BY_JOB_CLASS } from './data.js';
export type { CivilServant, EmploymentType } from './data.js';
export { isValidNip, parseNip, makeNip } from './nip.js';
export type { NipParts, Sex } from './nip.js';
