/**
 * What the population subgraph needs from Dispendukcapil's registry, independent of how it is
 * reached. The SIAK web-service adapter implements it; tests may implement it in memory.
 */
export type DocumentType = 'KTP_EL' | 'KK' | 'AKTA_LAHIR';
export type RequestStatus = 'SUBMITTED' | 'VERIFIED' | 'IN_PROCESS' | 'COMPLETED' | 'REJECTED';

export interface Resident {
  nik: string;
  familyCardNumber: string;
  fullName: string;
  sex: 'M' | 'F';
  birthPlace: string;
  birthDate: string;
  address: string;
  village: string;
  kecamatan: string;
}

export interface DocumentRequestRecord {
  id: string;
  nik: string;
  type: DocumentType;
  status: RequestStatus;
  note: string | null;
  submittedAt: Date;
  completedAt: Date | null;
  officerNip: string | null;
  version: number;
  sequence: number;
}

export interface PopulationRegistry {
  residents(niks: readonly string[]): Promise<Map<string, Resident>>;
  requests(ids: readonly string[]): Promise<Map<string, DocumentRequestRecord>>;
  requestsOf(nik: string): Promise<DocumentRequestRecord[]>;
  changes(since: number, limit: number): Promise<{ items: DocumentRequestRecord[]; next: number; hasMore: boolean }>;
  createRequest(input: { nik: string; type: DocumentType; note: string | null; clientRef: string }): Promise<DocumentRequestRecord>;
}
