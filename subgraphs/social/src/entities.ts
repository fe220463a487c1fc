import { EntitySchema, type Opt } from '@mikro-orm/core';

/**
 * Database rows (the API types in modules/ are separate on purpose); the tables are created by
 * migrations/. MikroORM reads and writes two of them through these schemas, on the request's
 * forked EntityManager (modules/store.ts): a person's eligibility record by NIK, and an entry of the
 * access log. Everything else (the register's ingestion in bulk, proposals with their sequences,
 * locks and export join) is schema-qualified SQL through the same EntityManager.
 */
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
  /** bigserial and `default now()`: PostgreSQL fills them in. */
  id: Opt<string>;
  readAt: Opt<Date>;
  readerSub: string;
  readerNip: string | null;
  readerRoles: string[];
  readerAgency: string | null;
  nikMasked: string;
  nikHash: string;
  purpose: string;
  found: boolean;
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

export const entities = [EligibilityEntity, AccessLogEntity];
