export { createSiakSimulator, requestToWire, residentToWire, ROUTES, MAX_BATCH, DEFAULT_FEED_LIMIT, MAX_FEED_LIMIT } from './server.js';
export type { SiakSimulator, SiakSimulatorOptions } from './server.js';
export { SiakStore, SiakError } from './store.js';
export type { ChangePage, CreateRequestInput } from './store.js';
export { createSeed, seedCitizens, generateRequestsFor, DEMO_CITIZENS, OFFICERS, DOCUMENT_TYPES, REQUEST_STATUSES, FIRST_REQUEST_SERIAL, SEED_CITIZEN_COUNT } from './data.js';
export type { Citizen, DocumentRequest, DocumentType, NewRequest, RequestStatus, Religion, MaritalStatus, Officer, SiakSeed } from './data.js';
export { isValidNik, parseNik, makeNik, KECAMATAN } from './nik.js';
export type { NikParts, Sex } from './nik.js';
