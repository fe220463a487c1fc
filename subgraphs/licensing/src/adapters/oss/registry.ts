/**
 * What the licensing subgraph needs from the national licensing system (OSS RBA), independent of
 * how it is reached. The OSS host-to-host adapter implements it; tests may implement it in memory.
 * Values are the hub's own (English enums, ISO dates); OSS's wire names stay in the adapter.
 */
export type KbliRisk = 'LOW' | 'MEDIUM_LOW' | 'MEDIUM_HIGH' | 'HIGH';
export type BusinessScale = 'MICRO' | 'SMALL' | 'MEDIUM' | 'LARGE';
export type LicenceKind = 'BUSINESS_LICENCE' | 'STANDARD_CERTIFICATE' | 'SUPPORTING_LICENCE';
export type LicenceStatus = 'ISSUED' | 'IN_PROCESS' | 'REJECTED' | 'EXPIRED';
export type LicenceAuthority = 'REGENCY' | 'PROVINCE' | 'NATIONAL';

export interface BusinessActivityRecord {
  /** KBLI 2020 code, 5 digits. */
  code: string;
  description: string;
  risk: KbliRisk;
}

/** What OSS returns for a business in any inquiry. */
export interface BusinessRecord {
  nib: string;
  name: string;
  /** YYYY-MM-DD */
  issuedOn: string;
  /** NIB status as OSS reports it, e.g. AKTIF. */
  status: string;
  scale: BusinessScale;
  activities: BusinessActivityRecord[];
}

/** The full NIB record (inquiry by NIB). */
export interface BusinessDetailsRecord extends BusinessRecord {
  address: string;
  /** NIKs of the people responsible for the business. */
  responsibleNiks: string[];
}

export interface LicenceRecord {
  id: string;
  nib: string;
  kind: LicenceKind;
  name: string;
  number: string | null;
  kbli: string | null;
  issuer: string;
  authority: LicenceAuthority;
  status: LicenceStatus;
  /** YYYY-MM-DD */
  appliedOn: string;
  issuedOn: string | null;
  validUntil: string | null;
  note: string | null;
}

export interface BusinessRegistry {
  /** The businesses a person is responsible for (by NIK), in one call. */
  businessesOf(nik: string): Promise<BusinessRecord[]>;
  /** Full records by NIB; unknown NIBs are absent from the map. */
  businesses(nibs: readonly string[]): Promise<Map<string, BusinessDetailsRecord>>;
  /** Licences per NIB; unknown NIBs are absent, known NIBs without licences map to []. */
  licences(nibs: readonly string[]): Promise<Map<string, LicenceRecord[]>>;
}

/** Licences OSS issued in a month, per KBLI and the business's kecamatan (OSS's own name for it). */
export interface IssuedLicenceCount {
  /** YYYY-MM */
  month: string;
  kbli: string;
  kecamatan: string;
  count: number;
}

/** OSS's statistics for a connected region: aggregates only, no NIB or name. */
export interface LicenceStatistics {
  /** Licences issued between two days (YYYY-MM-DD, inclusive), in one call. */
  issuedLicenceCounts(from: string, to: string): Promise<IssuedLicenceCount[]>;
}
