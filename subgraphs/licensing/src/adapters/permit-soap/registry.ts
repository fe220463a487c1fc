/**
 * What the licensing subgraph needs from the regency's regional permit system (SIMPERDA),
 * independent of how it is reached. The SOAP adapter implements it; tests may implement it in memory.
 */
export type PermitType = 'REKLAME' | 'PENELITIAN' | 'PBG';
/** SIMPERDA's own statuses: received, verification, processing, completed, rejected. */
export type PermitStatus = 'DITERIMA' | 'VERIFIKASI' | 'PROSES' | 'SELESAI' | 'DITOLAK';

export interface PermitApplicationRecord {
  /** SIMPERDA's application number, e.g. PRM-2026-00415. */
  number: string;
  nik: string;
  applicantName: string;
  permitType: PermitType;
  description: string;
  location: string;
  status: PermitStatus;
  submittedAt: Date;
  completedAt: Date | null;
  officerNip: string | null;
  notes: string | null;
  updatedAt: Date;
}

export interface PermitChange {
  /** Position in SIMPERDA's change feed: 1, 2, 3, … without gaps. */
  sequence: number;
  changedAt: Date;
  /** The application as it stood right after the change. */
  application: PermitApplicationRecord;
}

export interface NewPermitApplication {
  nik: string;
  applicantName: string;
  permitType: PermitType;
  description: string;
  location: string;
  /** The system deduplicates by it: a retry with the same reference files nothing new. */
  clientReference: string;
}

export interface PermitRegistry {
  /** Applications by number; unknown numbers are absent from the map. */
  applications(numbers: readonly string[]): Promise<Map<string, PermitApplicationRecord>>;
  /** A person's applications, newest first. */
  applicationsOf(nik: string): Promise<PermitApplicationRecord[]>;
  /** The change feed after `since` (exclusive), oldest first, with the cursor to continue from. */
  changes(since: number, limit: number): Promise<{ items: PermitChange[]; next: number; hasMore: boolean }>;
  /** Files an application; returns its number, status and submission time as the system answered. */
  submit(input: NewPermitApplication): Promise<{ number: string; status: PermitStatus; submittedAt: Date }>;
}
