import { EntitySchema } from '@mikro-orm/core';

/**
 * Database rows (the API types in modules/ are separate on purpose). The subgraph reads and
 * writes them with schema-qualified SQL through the EntityManager's connection (see store.ts);
 * these schemas document the tables for MikroORM. The tables are created by migrations/.
 */
export interface IngestedFileRow {
  id: string;
  name: string;
  sha256: string;
  revision: number;
  status: 'APPLIED' | 'QUARANTINED';
  problem: string | null;
  reason: string | null;
  manifestSha256: string | null;
  periode: string | null;
  rowsTotal: number;
  rowsValid: number;
  rowsApplied: number;
  rowsQuarantined: number;
  ingestedAt: Date;
}

export interface QuarantinedRowRow {
  id: string;
  fileId: string;
  line: number;
  raw: string;
  reason: string;
  kinds: string[];
}

export interface EligibilityRow {
  nik: string;
  householdId: string;
  name: string;
  decile: number;
  programmes: string[];
  status: 'AKTIF' | 'DITANGGUHKAN' | 'TIDAK_MENERIMA';
  periode: string;
  kecamatan: string;
  village: string;
  sourceFileId: string;
  updatedAt: Date;
}

export interface AccessLogRow {
  id: string;
  readAt: Date;
  readerSub: string;
  readerNip: string | null;
  readerRoles: string[];
  readerAgency: string | null;
  nikMasked: string;
  nikHash: string;
  purpose: string;
  found: boolean;
}

export interface ProposalExportRow {
  name: string;
  rows: number;
  createdAt: Date;
  writtenAt: Date | null;
  ackedAt: Date | null;
}

export type ProposalStatus = 'SUBMITTED' | 'COMPLETED' | 'REJECTED';

export interface ProposalRow {
  id: string;
  nik: string;
  householdId: string | null;
  name: string;
  programme: string;
  reason: string;
  clientRef: string;
  status: ProposalStatus;
  submittedAt: Date;
  exportName: string | null;
  decisionNote: string | null;
  decidedAt: Date | null;
  officerNip: string | null;
  changeSeq: number;
}

export const IngestedFileEntity = new EntitySchema<IngestedFileRow>({
  name: 'IngestedFileRow',
  tableName: 'ingested_file',
  properties: {
    id: { type: 'bigint', primary: true },
    name: { type: 'string' },
    sha256: { type: 'string' },
    revision: { type: 'integer' },
    status: { type: 'string' },
    problem: { type: 'string', nullable: true },
    reason: { type: 'text', nullable: true },
    manifestSha256: { type: 'string', fieldName: 'manifest_sha256', nullable: true },
    periode: { type: 'string', nullable: true },
    rowsTotal: { type: 'integer', fieldName: 'rows_total' },
    rowsValid: { type: 'integer', fieldName: 'rows_valid' },
    rowsApplied: { type: 'integer', fieldName: 'rows_applied' },
    rowsQuarantined: { type: 'integer', fieldName: 'rows_quarantined' },
    ingestedAt: { type: 'datetime', fieldName: 'ingested_at' },
  },
});

export const QuarantinedRowEntity = new EntitySchema<QuarantinedRowRow>({
  name: 'QuarantinedRowRow',
  tableName: 'quarantined_row',
  properties: {
    id: { type: 'bigint', primary: true },
    fileId: { type: 'bigint', fieldName: 'file_id' },
    line: { type: 'integer' },
    raw: { type: 'text' },
    reason: { type: 'text' },
    kinds: { type: 'string[]', columnType: 'text[]' },
  },
});

export const EligibilityEntity = new EntitySchema<EligibilityRow>({
  name: 'EligibilityRow',
  tableName: 'aid_eligibility',
  properties: {
    nik: { type: 'string', primary: true },
    householdId: { type: 'string', fieldName: 'household_id' },
    name: { type: 'string' },
    decile: { type: 'smallint' },
    programmes: { type: 'string[]', columnType: 'text[]' },
    status: { type: 'string' },
    periode: { type: 'string' },
    kecamatan: { type: 'string' },
    village: { type: 'string' },
    sourceFileId: { type: 'bigint', fieldName: 'source_file_id' },
    updatedAt: { type: 'datetime', fieldName: 'updated_at' },
  },
});

export const AccessLogEntity = new EntitySchema<AccessLogRow>({
  name: 'AccessLogRow',
  tableName: 'eligibility_access_log',
  properties: {
    id: { type: 'bigint', primary: true },
    readAt: { type: 'datetime', fieldName: 'read_at' },
    readerSub: { type: 'string', fieldName: 'reader_sub' },
    readerNip: { type: 'string', fieldName: 'reader_nip', nullable: true },
    readerRoles: { type: 'string[]', columnType: 'text[]', fieldName: 'reader_roles' },
    readerAgency: { type: 'string', fieldName: 'reader_agency', nullable: true },
    nikMasked: { type: 'string', fieldName: 'nik_masked' },
    nikHash: { type: 'string', fieldName: 'nik_hash' },
    purpose: { type: 'text' },
    found: { type: 'boolean' },
  },
});

export const ProposalExportEntity = new EntitySchema<ProposalExportRow>({
  name: 'ProposalExportRow',
  tableName: 'proposal_export',
  properties: {
    name: { type: 'string', primary: true },
    rows: { type: 'integer' },
    createdAt: { type: 'datetime', fieldName: 'created_at' },
    writtenAt: { type: 'datetime', fieldName: 'written_at', nullable: true },
    ackedAt: { type: 'datetime', fieldName: 'acked_at', nullable: true },
  },
});

export const ProposalEntity = new EntitySchema<ProposalRow>({
  name: 'ProposalRow',
  tableName: 'aid_proposal',
  properties: {
    id: { type: 'string', primary: true },
    nik: { type: 'string' },
    householdId: { type: 'string', fieldName: 'household_id', nullable: true },
    name: { type: 'string' },
    programme: { type: 'string' },
    reason: { type: 'text' },
    clientRef: { type: 'string', fieldName: 'client_ref' },
    status: { type: 'string' },
    submittedAt: { type: 'datetime', fieldName: 'submitted_at' },
    exportName: { type: 'string', fieldName: 'export_name', nullable: true },
    decisionNote: { type: 'text', fieldName: 'decision_note', nullable: true },
    decidedAt: { type: 'datetime', fieldName: 'decided_at', nullable: true },
    officerNip: { type: 'string', fieldName: 'officer_nip', nullable: true },
    changeSeq: { type: 'bigint', fieldName: 'change_seq' },
  },
});

export const entities = [IngestedFileEntity, QuarantinedRowEntity, EligibilityEntity, AccessLogEntity, ProposalExportEntity, ProposalEntity];
