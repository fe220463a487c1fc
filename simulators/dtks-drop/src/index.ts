export { createDtksDropSimulator, DropFaultState, type DropFaults, type DtksDropOptions, type DtksDropSimulator } from './simulator';
export {
  writeBatch,
  writeFileAtomic,
  formatManifest,
  parseManifest,
  BATCH_HEADER,
  BATCH_FILE_PATTERN,
  type WriteBatchOptions,
  type BatchResult,
  type BadRows,
  type BadRowKind,
  type InjectedRow,
  type Manifest,
} from './batch';
export {
  readProposals,
  acknowledge,
  writeProposals,
  readAck,
  decideProposal,
  registerIndex,
  ackNameFor,
  OUTBOX_DIR,
  ACK_DIR,
  PROPOSAL_HEADER,
  ACK_HEADER,
  PROPOSAL_FILE_PATTERN,
  type ProposalRow,
  type ProposalFile,
  type NewProposal,
  type AckRow,
  type AckResult,
  type AckStatus,
  type Decide,
  type DecisionContext,
} from './proposals';
export { buildRegister, PROGRAM_CODES, PROGRAM_NAMES, MAX_AID_DECILE, WILAYAH, DEMO_HOUSEHOLDS, type Household, type Member, type ProgramCode, type AidStatus } from './register';
export { isValidNik, makeNik } from './nik';
