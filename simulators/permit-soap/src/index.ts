export { createPermitSoapSimulator, type PermitSoapSimulator, type PermitSoapSimulatorOptions } from './server.js';
export { DEFAULT_CHANGES_LIMIT, MAX_CHANGES_LIMIT, MAX_STATUS_BATCH, PERMIT_OPERATIONS, PermitFault } from './service.js';
export { PermitRuleError, PermitStore, type ApplicationChange, type ChangeType, type NewApplication, type PermitApplication, type StatusChange } from './store.js';
export {
  APPLICATION_STATUSES,
  DPMPTSP_OFFICERS,
  NIK_BUDI,
  NIK_SITI,
  NIP_FAJAR,
  NIP_YUNI,
  PERMIT_TYPES,
  SEED_APPLICATIONS,
  type ApplicationStatus,
  type PermitType,
  type SeedApplication,
} from './data.js';
export { PERMIT_NAMESPACE, PERMIT_PORT_NAME, PERMIT_SERVICE_NAME, PERMIT_SOAP_PATH, PERMIT_WSDL_PATH, readPermitWsdl } from './wsdl.js';
export { UsernameTokenVerifier, type Credentials } from './security.js';
export { isPlausibleNik } from './nik.js';
export { formatWib } from './time.js';
