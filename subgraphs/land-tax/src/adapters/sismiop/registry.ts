/**
 * What the land-tax subgraph needs from BPKPD's PBB-P2 records, independent of how they are reached.
 * The SISMIOP adapter implements it by reading the legacy database directly (read-only); tests may
 * implement it in memory. Every method is a read: the hub never writes to SISMIOP.
 *
 * NOPs are passed and returned as their 18 digits (see src/nop.ts); amounts are whole rupiah.
 */

export interface TaxObjectRecord {
  /** 18 digits. */
  nop: string;
  /** NIK of the current taxpayer (SUBJEK_PAJAK_ID, padding removed). */
  ownerNik: string;
  street: string;
  blockNo: string | null;
  rt: string | null;
  rw: string | null;
  village: string | null;
  kecamatan: string | null;
  /** m² */
  landArea: number;
  /** m² */
  buildingArea: number;
}

export interface TaxPaymentRecord {
  /** 1, 2, … per bill (PEMBAYARAN_SPPT_KE). */
  sequence: number;
  /** YYYY-MM-DD, the day the bank took the payment. */
  paidOn: string;
  /** When SISMIOP recorded it. */
  recordedAt: Date;
  /** Everything paid, surcharge included. */
  amount: number;
  penalty: number;
  /** The bank or counter (TEMPAT_PEMBAYARAN). */
  place: string | null;
}

export interface TaxBillRecord {
  /** 18 digits. */
  nop: string;
  year: number;
  /** The name printed on that year's SPPT. */
  taxpayerName: string;
  /** NIK of the object's current taxpayer (DAT_OBJEK_PAJAK), who may see the bill unmasked. */
  ownerNik: string;
  /** PBB_YG_HARUS_DIBAYAR_SPPT */
  amount: number;
  /** YYYY-MM-DD */
  dueDate: string;
  /** YYYY-MM-DD */
  issuedOn: string;
  paid: boolean;
  /** Oldest first. */
  payments: TaxPaymentRecord[];
}

/** A bill look-up: one tax year of a NOP, or every year SISMIOP has for it (`year: null`). */
export interface BillQuery {
  nop: string;
  year: number | null;
}

export type ServiceType = 'PENDAFTARAN' | 'MUTASI' | 'PEMBETULAN' | 'PEMBATALAN' | 'SALINAN' | 'KEBERATAN' | 'PENGURANGAN';
export type ServiceStatus = 'DITERIMA' | 'DIPROSES' | 'SELESAI' | 'DITOLAK';

/** A service request at the tax office counter (PST_PERMOHONAN): these are BPKPD's tickets. */
export interface ServiceRequestRecord {
  /** NO_PELAYANAN, e.g. 2026.0001.014 */
  number: string;
  /** Null for a code the hub does not know. */
  type: ServiceType | null;
  typeCode: string;
  /** 18 digits. */
  nop: string;
  taxYear: number;
  applicantNik: string;
  note: string | null;
  /** Null for a code the hub does not know. */
  status: ServiceStatus | null;
  statusCode: string;
  receivedAt: Date;
  /** YYYY-MM-DD */
  expectedBy: string | null;
  completedAt: Date | null;
  officerNip: string | null;
  /** UPDATE_SEQ: grows with every change of the row. */
  updateSeq: number;
  updatedAt: Date;
}

export interface TaxRegistry {
  /** Tax objects per taxpayer NIK, in NOP order. */
  taxObjectsOf(niks: readonly string[]): Promise<Map<string, TaxObjectRecord[]>>;
  /** Bills for each query, in the order asked, each newest year first. */
  bills(queries: readonly BillQuery[]): Promise<TaxBillRecord[][]>;
  /** Service requests by NO_PELAYANAN. */
  serviceRequests(numbers: readonly string[]): Promise<Map<string, ServiceRequestRecord>>;
  /** Requests changed after `since` (UPDATE_SEQ), oldest change first. */
  changes(since: number, limit: number): Promise<{ items: ServiceRequestRecord[]; next: number; hasMore: boolean }>;
}

/** PBB assessed for the SPPTs of a tax year in a kecamatan. */
export interface PbbAssessment {
  kecamatan: string;
  year: string;
  /** SPPTs (tax objects) assessed. */
  objects: number;
  /** Rupiah assessed (PBB_YG_HARUS_DIBAYAR_SPPT). */
  assessed: number;
}

/** PBB paid in a month toward a tax year's SPPTs of a kecamatan (principal: fines excluded). */
export interface PbbPayment {
  kecamatan: string;
  year: string;
  /** YYYY-MM of the payment day. */
  month: string;
  paid: number;
}

/** SISMIOP's aggregates for BPKPD's collection reports: sums only, no NOP or name. */
export interface TaxStatistics {
  /** Assessments and payments of the tax years `fromYear`–`toYear`, in one statement. */
  collection(fromYear: string, toYear: string): Promise<{ assessments: PbbAssessment[]; payments: PbbPayment[] }>;
}
