/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** An application for a regional permit at DPMPTSP. The applicant is the signed-in citizen. */
export type ApplyForPermitInput = {
  /** What the permit is for (10 to 1,000 characters). */
  description: string;
  /** Chosen by the client once per application; a retry with the same key files nothing new. */
  idempotencyKey: string;
  /** Where: address or area (5 to 300 characters). */
  location: string;
  permitType: PermitType;
};

/** What the scan shows: a family card (KK), an identity card (KTP), a letter, a photo, something else. */
export type AttachmentKind =
  | 'KK'
  | 'KTP'
  | 'LETTER'
  | 'OTHER'
  | 'PHOTO';

/** What a file is attached to; it decides the agency whose officers may read it (DOCUMENT_REQUEST: dispendukcapil, PERMIT_APPLICATION: dpmptsp, AID_PROPOSAL: dinsos). */
export type AttachmentPurpose =
  | 'AID_PROPOSAL'
  | 'DOCUMENT_REQUEST'
  | 'PERMIT_APPLICATION';

/** PENDING until the upload has arrived and passed the checks (size, checksum, real type); then READY. */
export type AttachmentStatus =
  | 'PENDING'
  | 'READY';

export type AttachmentUploadInput = {
  /** The declared type; the content must be of this type. */
  contentType: string;
  fileName: string;
  /** 8–100 of A-Za-z0-9._:-, made once per file: a retry returns the same attachment. */
  idempotencyKey: string;
  kind: AttachmentKind;
  purpose: AttachmentPurpose;
  /** SHA-256 of the file, hex: the upload must match it. */
  sha256: string;
  /** Bytes; at most DOCUMENTS_MAX_BYTES (5 MiB by default). */
  size: number;
};

/** A request for a queue number at a Puskesmas polyclinic. */
export type BookClinicQueueInput = {
  /** BPJS (JKN) card number, 13 digits; leave out for a visit not covered by JKN. */
  bpjsNumber?: string | null | undefined;
  /** Puskesmas code, from `clinics`. */
  clinicCode: string;
  /** Visit day, YYYY-MM-DD: today up to 7 days ahead (Asia/Jakarta). */
  date: string;
  /** Chosen by the client once per booking; a retry with the same key takes no second number. */
  idempotencyKey: string;
  /** Polyclinic code at that Puskesmas, from `clinics` (e.g. UMUM). */
  poliCode: string;
};

/** A clinic queue booking's status in the Puskesmas queue system. */
export type ClinicBookingStatus =
  /** Queue number taken (DIBOOKING). */
  | 'BOOKED'
  /** The patient has been called (DIPANGGIL). */
  | 'CALLED'
  /** Cancelled or not attended (BATAL). */
  | 'CANCELLED'
  /** The visit is over (SELESAI). */
  | 'COMPLETED'
  /** The patient is being served (DILAYANI). */
  | 'IN_SERVICE';

/** A request's status in SIAK. */
export type DocumentRequestStatus =
  | 'COMPLETED'
  | 'IN_PROCESS'
  | 'REJECTED'
  | 'SUBMITTED'
  | 'VERIFIED';

/** Population documents Dispendukcapil issues. */
export type DocumentType =
  | 'AKTA_LAHIR'
  | 'KK'
  | 'KTP_EL';

/** Why a rating is held for review. */
export type FraudRule =
  | 'BURST'
  | 'DEVICE_SPREAD'
  | 'IP_SPREAD'
  | 'OFFICER_DEVIATION'
  /** BKPSDM's staff register could not be asked, when the rating was given, whether the rater works at the ticket's agency. Decided by the register check (reviewer system:register) once the register answers: ACCEPTED, or REJECTED with OWN_AGENCY; left open with a note in details after 7 days without an answer (policy). */
  | 'REGISTER_UNCHECKED';

/** How a ticket came in (UNKNOWN: tickets the feed published without it). */
export type InsightChannel =
  | 'APP'
  | 'COUNTER'
  | 'PORTAL'
  | 'UNKNOWN';

export type InsightComparison =
  | 'PREVIOUS_PERIOD'
  | 'PREVIOUS_YEAR';

/** What to split by. */
export type InsightDimension =
  | 'AGENCY'
  | 'CHANNEL'
  | 'DAY'
  | 'KECAMATAN'
  | 'MONTH'
  | 'POSITION_CLASS'
  | 'SERVICE'
  | 'WEEK';

export type InsightFilterInput = {
  agencyId?: string | number | null | undefined;
  channel?: InsightChannel | null | undefined;
  /** Kecamatan code 1–14 (the NIK’s 5th–6th digits); 0: unknown. */
  kecamatan?: number | null | undefined;
  positionClass?: PositionClass | null | undefined;
  serviceId?: string | number | null | undefined;
};

/** What to count or compute (README, "Insights": definitions). */
export type InsightMeasure =
  | 'APPEALS'
  | 'AVERAGE_STARS'
  | 'BACKLOG'
  | 'CITIZENS_RATING'
  | 'CITIZENS_SERVED'
  | 'COMPLETED_WITHIN_SLA_PERCENT'
  | 'IKM'
  | 'IKM_U1'
  | 'IKM_U2'
  | 'IKM_U3'
  | 'IKM_U4'
  | 'IKM_U5'
  | 'IKM_U6'
  | 'IKM_U7'
  | 'IKM_U8'
  | 'IKM_U9'
  | 'OFFICERS'
  | 'OFFICERS_BELOW_4_STARS'
  | 'RATINGS'
  | 'RATING_FLAGS'
  | 'TICKETS_COMPLETED'
  | 'TICKETS_OPENED'
  | 'TURNAROUND_MEDIAN_DAYS'
  | 'TURNAROUND_P90_DAYS';

/** A question to the cube. Filters take one value each; periods are whole months. */
export type InsightQuestionInput = {
  /** Also answer the same question for the previous period (as long, just before) or the same months a year before. */
  compare?: InsightComparison | null | undefined;
  dimensions?: Array<InsightDimension>;
  filter?: InsightFilterInput | null | undefined;
  /** First month, YYYY-MM (Asia/Jakarta). */
  from: string;
  limit?: number;
  measures: Array<InsightMeasure>;
  sort?: Array<InsightSortInput> | null | undefined;
  /** Last month, YYYY-MM, inclusive. */
  to: string;
};

export type InsightSortInput = {
  descending?: boolean;
  dimension?: InsightDimension | null | undefined;
  measure?: InsightMeasure | null | undefined;
};

/** A permit application's status in SIMPERDA. */
export type PermitApplicationStatus =
  /** Selesai: the permit was issued. */
  | 'COMPLETED'
  /** Proses: being assessed. */
  | 'PROCESSING'
  /** Diterima: filed, not yet looked at. */
  | 'RECEIVED'
  /** Ditolak: refused (see notes). */
  | 'REJECTED'
  /** Verifikasi: the documents are being checked. */
  | 'VERIFYING';

/** Regional permits DPMPTSP issues through SIMPERDA. */
export type PermitType =
  /** Persetujuan Bangunan Gedung: building approval. */
  | 'PBG'
  /** Izin penelitian: research permit. */
  | 'PENELITIAN'
  /** Izin reklame: billboards, signs and banners. */
  | 'REKLAME';

/** Civil-service job family of the officer who served the ticket. */
export type PositionClass =
  | 'FUNGSIONAL_AHLI'
  | 'FUNGSIONAL_TERAMPIL'
  | 'PELAKSANA'
  | 'UNKNOWN';

export type RateServiceInput = {
  /** Optional; trimmed, limited in length (policy: 1000 characters). */
  comment?: string | null | undefined;
  /** A retry with the same key returns the first result and stores nothing new. */
  idempotencyKey?: string | null | undefined;
  /** Optional: exactly nine answers, each 1–4. */
  skm?: Array<number> | null | undefined;
  /** 1–5. */
  stars: number;
  ticketId: string | number;
};

/** ACCEPT: the rating is genuine and counts; REJECT: it never counts. */
export type RatingFlagDecision =
  | 'ACCEPT'
  | 'REJECT';

export type RatingFlagStatus =
  | 'ACCEPTED'
  | 'OPEN'
  | 'REJECTED';

/** VALID counts; FLAGGED waits for review (left out of figures); REJECTED never counts. */
export type RatingStatus =
  | 'FLAGGED'
  | 'REJECTED'
  | 'VALID';

/** A request for a population document, filed at Dispendukcapil. */
export type RequestDocumentInput = {
  /** Chosen by the client once per request; a retry with the same key files nothing new. */
  idempotencyKey: string;
  /** What the request is for (at most 500 characters). */
  note?: string | null | undefined;
  type: DocumentType;
};

/** Where a service ticket stands in its agency system. */
export type TicketStatus =
  | 'CANCELLED'
  | 'COMPLETED'
  | 'IN_PROGRESS'
  | 'REJECTED'
  | 'SUBMITTED';

export type TppAppealOutcome =
  | 'REJECTED'
  | 'UPHELD';

export type TppAppealStatus =
  | 'OPEN'
  | 'REJECTED'
  | 'UPHELD';

/** Whose ratings set the factor: the officer's own, the unit's mean (officer below the minimum), or none (factor 1). */
export type TppBasis =
  | 'NOT_ENOUGH_RATINGS'
  | 'OWN_RATINGS'
  | 'UNIT_AVERAGE';

export type AgencyDetailQueryVariables = Exact<{
  id: string | number;
  year: number;
}>;


export type AgencyDetailQuery = { agency: { __typename: 'Agency', id: string, name: string, abbreviation: string, address: string, phone: string | null, website: string | null, services: Array<{ __typename: 'Service', id: string, name: string, description: string, requirements: Array<string>, slaDays: number, fee: number }>, officers: Array<{ __typename: 'Officer', id: string, name: string, position: string, rating: { __typename: 'RatingSummary', average: number | null, count: number } }>, rating: { __typename: 'RatingSummary', average: number | null, count: number, distribution: Array<{ __typename: 'StarCount', stars: number, count: number }> }, satisfaction: { __typename: 'Satisfaction', year: number, respondents: number, population: number, requiredSample: number, index: number | null, category: string | null, provisional: boolean, elements: Array<{ __typename: 'SatisfactionElement', element: string, value: number | null }> } } | null };

export type AgencyOptionsQueryVariables = Exact<{ [key: string]: never; }>;


export type AgencyOptionsQuery = { agencies: Array<{ __typename: 'Agency', id: string, name: string, abbreviation: string }> };

export type ApplyPermitMutationVariables = Exact<{
  input: ApplyForPermitInput;
}>;


export type ApplyPermitMutation = { applyForPermit: { __typename: 'PermitApplication', id: string, number: string, permitType: PermitType, status: PermitApplicationStatus, description: string, location: string, submittedAt: string } };

export type AttachToTicketMutationVariables = Exact<{
  ticketId: string | number;
  attachmentIds: Array<string | number> | string | number;
}>;


export type AttachToTicketMutation = { attachToTicket: Array<{ __typename: 'Attachment', id: string, ticket: { __typename: 'Ticket', id: string } | null }> };

export type AttachmentDownloadQueryVariables = Exact<{
  id: string | number;
}>;


export type AttachmentDownloadQuery = { attachment: { __typename: 'Attachment', id: string, download: { __typename: 'SignedUrl', url: string, expiresAt: string } | null } | null };

export type BookClinicMutationVariables = Exact<{
  input: BookClinicQueueInput;
}>;


export type BookClinicMutation = { bookClinicQueue: { __typename: 'ClinicBooking', id: string, bookingCode: string, queueNumber: string, status: ClinicBookingStatus, clinicName: string, poliName: string, date: string, estimatedServiceAt: string | null } };

export type CheckTaxBillQueryVariables = Exact<{
  nop: string;
  year: number;
}>;


export type CheckTaxBillQuery = { taxBill: { __typename: 'TaxBill', nop: string, year: number, amount: number, dueDate: string, paid: boolean, paidAt: string | null, penalty: number, taxpayerName: string } | null };

export type ClinicsQueryVariables = Exact<{
  date?: string | null | undefined;
}>;


export type ClinicsQuery = { clinics: Array<{ __typename: 'Clinic', code: string, name: string, kecamatan: string, address: string, polyclinics: Array<{ __typename: 'ClinicPolyclinic', code: string, name: string, dailyQuota: number, date: string, remainingQuota: number | null }> }> | null };

export type CompleteAttachmentUploadMutationVariables = Exact<{
  id: string | number;
}>;


export type CompleteAttachmentUploadMutation = { completeAttachmentUpload: { __typename: 'Attachment', id: string, fileName: string, kind: AttachmentKind, status: AttachmentStatus, contentType: string, size: number } };

export type CreateAttachmentUploadMutationVariables = Exact<{
  input: AttachmentUploadInput;
}>;


export type CreateAttachmentUploadMutation = { createAttachmentUpload: { __typename: 'AttachmentUpload', attachment: { __typename: 'Attachment', id: string, fileName: string, kind: AttachmentKind, status: AttachmentStatus, contentType: string, size: number }, upload: { __typename: 'UploadTarget', url: string, method: string, expiresAt: string, headers: Array<{ __typename: 'HttpHeader', name: string, value: string }> } | null } };

export type FinalizeTppMonthMutationVariables = Exact<{
  agencyId: string | number;
  month: string;
}>;


export type FinalizeTppMonthMutation = { finalizeTppReport: { __typename: 'TppReport', agencyId: string, month: string, finalized: boolean, finalizedAt: string | null, contentHash: string | null } };

export type HrTppReportQueryVariables = Exact<{
  agencyId: string | number;
  month: string;
}>;


export type HrTppReportQuery = { tppReport: { __typename: 'TppReport', agencyId: string, month: string, finalized: boolean, finalizedAt: string | null, contentHash: string | null, ratingWindowClosesAt: string, rows: Array<{ __typename: 'TppRow', ratings: number, average: number | null, factor: number, base: number | null, payout: number | null, basis: TppBasis, officer: { __typename: 'Officer', id: string, name: string, position: string } }> } | null };

export type InsightsDashboardQueryVariables = Exact<{
  question: InsightQuestionInput;
}>;


export type InsightsDashboardQuery = { insights: { __typename: 'InsightAnswer', suppressedCells: number, cost: number, budgetRemaining: number, dataAsOf: string | null, rows: Array<{ __typename: 'InsightRow', month: string | null, agency: { __typename: 'Agency', id: string, name: string, abbreviation: string } | null, cells: Array<{ __typename: 'InsightCell', measure: InsightMeasure, value: number | null, suppressed: boolean }> }>, measures: Array<{ __typename: 'InsightMeasureInfo', measure: InsightMeasure, unit: string, definition: string, minimumCellSize: number }> }, insightsBudget: { __typename: 'InsightBudget', limit: number, used: number, remaining: number, questions: number, resetsAt: string } };

export type ModerationQueueQueryVariables = Exact<{ [key: string]: never; }>;


export type ModerationQueueQuery = { ratingFlags: Array<{ __typename: 'RatingFlag', id: string, rule: FraudRule, details: string, status: RatingFlagStatus, createdAt: string, rating: { __typename: 'ReviewedRating', id: string, stars: number, comment: string | null, commentHidden: boolean, period: string, status: RatingStatus, createdAt: string, agency: { __typename: 'Agency', id: string, name: string }, service: { __typename: 'Service', id: string, name: string }, officer: { __typename: 'Officer', id: string, name: string } | null } }> };

export type MyAttachmentsQueryVariables = Exact<{ [key: string]: never; }>;


export type MyAttachmentsQuery = { myAttachments: Array<{ __typename: 'Attachment', id: string, fileName: string, kind: AttachmentKind, purpose: AttachmentPurpose, status: AttachmentStatus, contentType: string, size: number, createdAt: string, ticket: { __typename: 'Ticket', id: string } | null }> | null };

export type MyServicesQueryVariables = Exact<{ [key: string]: never; }>;


export type MyServicesQuery = { me: { __typename: 'Citizen', id: string, name: string | null, tickets: Array<{ __typename: 'Ticket', id: string, status: TicketStatus, changeCursor: string, submittedAt: string, completedAt: string | null, canRate: boolean, agency: { __typename: 'Agency', id: string, name: string, abbreviation: string }, service: { __typename: 'Service', id: string, name: string } | null, officer: { __typename: 'Officer', id: string, name: string } | null, myRating: { __typename: 'Rating', id: string, stars: number, comment: string | null, skm: Array<number> | null } | null }> } | null, myDocumentRequests: Array<{ __typename: 'DocumentRequest', id: string, number: string, type: DocumentType, status: DocumentRequestStatus, submittedAt: string, completedAt: string | null }> | null, myPermitApplications: Array<{ __typename: 'PermitApplication', id: string, number: string, permitType: PermitType, status: PermitApplicationStatus, description: string, location: string, submittedAt: string, completedAt: string | null }> | null, myClinicBookings: Array<{ __typename: 'ClinicBooking', id: string, bookingCode: string, queueNumber: string, status: ClinicBookingStatus, clinicName: string, poliName: string, date: string, estimatedServiceAt: string | null }> | null, myTaxObjects: Array<{ __typename: 'TaxObject', nop: string, address: string, village: string | null, bills: Array<{ __typename: 'TaxBill', year: number, amount: number, dueDate: string, paid: boolean, penalty: number }> }> | null };

export type MyTicketUpdatesSubscriptionVariables = Exact<{
  after?: string | null | undefined;
}>;


export type MyTicketUpdatesSubscription = { myTicketUpdates: { __typename: 'Ticket', id: string, status: TicketStatus, changeCursor: string, submittedAt: string, completedAt: string | null, canRate: boolean, agency: { __typename: 'Agency', id: string, name: string, abbreviation: string }, service: { __typename: 'Service', id: string, name: string } | null, officer: { __typename: 'Officer', id: string, name: string } | null, myRating: { __typename: 'Rating', id: string, stars: number, comment: string | null, skm: Array<number> | null } | null } };

export type OfficerHomeQueryVariables = Exact<{
  id: string | number;
  agencyId: string | number;
  month: string;
}>;


export type OfficerHomeQuery = { officer: { __typename: 'Officer', id: string, name: string, position: string, agency: { __typename: 'Agency', id: string, name: string }, rating: { __typename: 'RatingSummary', average: number | null, count: number, distribution: Array<{ __typename: 'StarCount', stars: number, count: number }> } } | null, tppReport: { __typename: 'TppReport', month: string, finalized: boolean, rows: Array<{ __typename: 'TppRow', ratings: number, average: number | null, factor: number, base: number | null, payout: number | null, basis: TppBasis, officer: { __typename: 'Officer', id: string, name: string } }> } | null };

export type RateTicketMutationVariables = Exact<{
  input: RateServiceInput;
}>;


export type RateTicketMutation = { rateService: { __typename: 'Rating', id: string, stars: number, comment: string | null, skm: Array<number> | null, ticket: { __typename: 'Ticket', id: string, canRate: boolean, myRating: { __typename: 'Rating', id: string, stars: number, comment: string | null, skm: Array<number> | null } | null } } };

export type RequestDocumentMutationVariables = Exact<{
  input: RequestDocumentInput;
}>;


export type RequestDocumentMutation = { requestDocument: { __typename: 'DocumentRequest', id: string, number: string, type: DocumentType, status: DocumentRequestStatus, submittedAt: string } };

export type ResolveAppealMutationVariables = Exact<{
  id: string | number;
  outcome: TppAppealOutcome;
  note: string;
}>;


export type ResolveAppealMutation = { resolveTppAppeal: { __typename: 'TppAppeal', id: string, status: TppAppealStatus, resolvedAt: string | null, resolutionNote: string | null } };

export type ReviewFlagMutationVariables = Exact<{
  id: string | number;
  decision: RatingFlagDecision;
  note: string;
}>;


export type ReviewFlagMutation = { reviewRatingFlag: { __typename: 'RatingFlag', id: string, status: RatingFlagStatus, reviewedAt: string | null, reviewNote: string | null } };

export type SearchAgenciesQueryVariables = Exact<{
  q: string;
}>;


export type SearchAgenciesQuery = { agencies: Array<{ __typename: 'Agency', id: string, name: string, abbreviation: string, rating: { __typename: 'RatingSummary', average: number | null, count: number } }> };

export type TppAppealsQueryVariables = Exact<{
  status?: TppAppealStatus | null | undefined;
}>;


export type TppAppealsQuery = { tppAppeals: Array<{ __typename: 'TppAppeal', id: string, agencyId: string, month: string, reason: string, status: TppAppealStatus, filedAt: string, resolvedAt: string | null, resolutionNote: string | null, officer: { __typename: 'Officer', id: string, name: string } }> };


export const AgencyDetailDocument = {"__meta__":{"hash":"1192c5c08e36057a886af1920cb02a58669bf4f90e424880b0289951f76700a3"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AgencyDetail"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"year"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"agency"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"abbreviation"}},{"kind":"Field","name":{"kind":"Name","value":"address"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"website"}},{"kind":"Field","name":{"kind":"Name","value":"services"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"requirements"}},{"kind":"Field","name":{"kind":"Name","value":"slaDays"}},{"kind":"Field","name":{"kind":"Name","value":"fee"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"officers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"position"}},{"kind":"Field","name":{"kind":"Name","value":"rating"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"average"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"rating"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"average"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"distribution"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stars"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"satisfaction"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"year"},"value":{"kind":"Variable","name":{"kind":"Name","value":"year"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"year"}},{"kind":"Field","name":{"kind":"Name","value":"respondents"}},{"kind":"Field","name":{"kind":"Name","value":"population"}},{"kind":"Field","name":{"kind":"Name","value":"requiredSample"}},{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"provisional"}},{"kind":"Field","name":{"kind":"Name","value":"elements"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"element"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}}]}}]} as unknown as DocumentNode<AgencyDetailQuery, AgencyDetailQueryVariables>;
export const AgencyOptionsDocument = {"__meta__":{"hash":"080745f6e65982fdae3d0753ce96f141dc39a1a7450682cb47271f30af6adcc3"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AgencyOptions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"agencies"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"30"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"abbreviation"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}}]}}]} as unknown as DocumentNode<AgencyOptionsQuery, AgencyOptionsQueryVariables>;
export const ApplyPermitDocument = {"__meta__":{"hash":"4deb8c2f19cfe4007b736a8aefb1ca39f73e465ad41db7f1743a1e724c5e9dc3"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ApplyPermit"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ApplyForPermitInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"applyForPermit"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"permitType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"location"}},{"kind":"Field","name":{"kind":"Name","value":"submittedAt"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}}]}}]} as unknown as DocumentNode<ApplyPermitMutation, ApplyPermitMutationVariables>;
export const AttachToTicketDocument = {"__meta__":{"hash":"a61f83b32019b0fd123c4b3cdd0356cda41b8f32572bf0eeb9dc1f04cb741b1f"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AttachToTicket"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ticketId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"attachmentIds"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"attachToTicket"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ticketId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ticketId"}}},{"kind":"Argument","name":{"kind":"Name","value":"attachmentIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"attachmentIds"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"ticket"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}}]}}]} as unknown as DocumentNode<AttachToTicketMutation, AttachToTicketMutationVariables>;
export const AttachmentDownloadDocument = {"__meta__":{"hash":"dce92fb77624519c73164a7ec95eddf5c0006465f055d0b095a5300d9954378c"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AttachmentDownload"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"attachment"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"download"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}}]}}]} as unknown as DocumentNode<AttachmentDownloadQuery, AttachmentDownloadQueryVariables>;
export const BookClinicDocument = {"__meta__":{"hash":"6c0de8f3f5077035e6aa6d6420abc7e5588d1d7c2671707ec816fb615abc5290"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"BookClinic"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"BookClinicQueueInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bookClinicQueue"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"bookingCode"}},{"kind":"Field","name":{"kind":"Name","value":"queueNumber"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"clinicName"}},{"kind":"Field","name":{"kind":"Name","value":"poliName"}},{"kind":"Field","name":{"kind":"Name","value":"date"}},{"kind":"Field","name":{"kind":"Name","value":"estimatedServiceAt"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}}]}}]} as unknown as DocumentNode<BookClinicMutation, BookClinicMutationVariables>;
export const CheckTaxBillDocument = {"__meta__":{"hash":"94cf296095c224ee1df55c85c39282d11c4167817f01cf1b20a441b7ddd3a859"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CheckTaxBill"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"nop"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"year"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"taxBill"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"nop"},"value":{"kind":"Variable","name":{"kind":"Name","value":"nop"}}},{"kind":"Argument","name":{"kind":"Name","value":"year"},"value":{"kind":"Variable","name":{"kind":"Name","value":"year"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nop"}},{"kind":"Field","name":{"kind":"Name","value":"year"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"dueDate"}},{"kind":"Field","name":{"kind":"Name","value":"paid"}},{"kind":"Field","name":{"kind":"Name","value":"paidAt"}},{"kind":"Field","name":{"kind":"Name","value":"penalty"}},{"kind":"Field","name":{"kind":"Name","value":"taxpayerName"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}}]}}]} as unknown as DocumentNode<CheckTaxBillQuery, CheckTaxBillQueryVariables>;
export const ClinicsDocument = {"__meta__":{"hash":"e3d719bb7680ecf1175b73e452ebb00d16981d9ac69d5fc83719baf4c3602af9"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Clinics"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"date"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clinics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"date"},"value":{"kind":"Variable","name":{"kind":"Name","value":"date"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kecamatan"}},{"kind":"Field","name":{"kind":"Name","value":"address"}},{"kind":"Field","name":{"kind":"Name","value":"polyclinics"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"dailyQuota"}},{"kind":"Field","name":{"kind":"Name","value":"date"}},{"kind":"Field","name":{"kind":"Name","value":"remainingQuota"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}}]}}]} as unknown as DocumentNode<ClinicsQuery, ClinicsQueryVariables>;
export const CompleteAttachmentUploadDocument = {"__meta__":{"hash":"e1e42b65ef11c8f5f18147d16da8f1eb80b3336f20ddec68db921036fceddf07"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CompleteAttachmentUpload"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"completeAttachmentUpload"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"contentType"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}}]}}]} as unknown as DocumentNode<CompleteAttachmentUploadMutation, CompleteAttachmentUploadMutationVariables>;
export const CreateAttachmentUploadDocument = {"__meta__":{"hash":"e9299e62daf65b357560807ba553bb90222b7f2d51a3e334e78e424cadd95949"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateAttachmentUpload"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AttachmentUploadInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createAttachmentUpload"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"attachment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"contentType"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"upload"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"method"}},{"kind":"Field","name":{"kind":"Name","value":"headers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}}]}}]} as unknown as DocumentNode<CreateAttachmentUploadMutation, CreateAttachmentUploadMutationVariables>;
export const FinalizeTppMonthDocument = {"__meta__":{"hash":"88b70ec508a3aa376ae42762d4ae6f66bcf445b7c66f78713893347e788d8a52"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"FinalizeTppMonth"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"agencyId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"month"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"finalizeTppReport"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"agencyId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"agencyId"}}},{"kind":"Argument","name":{"kind":"Name","value":"month"},"value":{"kind":"Variable","name":{"kind":"Name","value":"month"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"agencyId"}},{"kind":"Field","name":{"kind":"Name","value":"month"}},{"kind":"Field","name":{"kind":"Name","value":"finalized"}},{"kind":"Field","name":{"kind":"Name","value":"finalizedAt"}},{"kind":"Field","name":{"kind":"Name","value":"contentHash"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}}]}}]} as unknown as DocumentNode<FinalizeTppMonthMutation, FinalizeTppMonthMutationVariables>;
export const HrTppReportDocument = {"__meta__":{"hash":"507df6c22249be15817d3f8557c732da451ef7297eab322c3772e9cd9752a5d7"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"HrTppReport"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"agencyId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"month"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tppReport"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"agencyId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"agencyId"}}},{"kind":"Argument","name":{"kind":"Name","value":"month"},"value":{"kind":"Variable","name":{"kind":"Name","value":"month"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"agencyId"}},{"kind":"Field","name":{"kind":"Name","value":"month"}},{"kind":"Field","name":{"kind":"Name","value":"finalized"}},{"kind":"Field","name":{"kind":"Name","value":"finalizedAt"}},{"kind":"Field","name":{"kind":"Name","value":"contentHash"}},{"kind":"Field","name":{"kind":"Name","value":"ratingWindowClosesAt"}},{"kind":"Field","name":{"kind":"Name","value":"rows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"officer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"position"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"ratings"}},{"kind":"Field","name":{"kind":"Name","value":"average"}},{"kind":"Field","name":{"kind":"Name","value":"factor"}},{"kind":"Field","name":{"kind":"Name","value":"base"}},{"kind":"Field","name":{"kind":"Name","value":"payout"}},{"kind":"Field","name":{"kind":"Name","value":"basis"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}}]}}]} as unknown as DocumentNode<HrTppReportQuery, HrTppReportQueryVariables>;
export const InsightsDashboardDocument = {"__meta__":{"hash":"2824cbfeab5bb2f91c340921ea7ff71c8f1f28b6f11e333cfa2749c5111c36ba"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"InsightsDashboard"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"question"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"InsightQuestionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"insights"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"question"},"value":{"kind":"Variable","name":{"kind":"Name","value":"question"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"agency"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"abbreviation"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"month"}},{"kind":"Field","name":{"kind":"Name","value":"cells"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"measure"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"suppressed"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"measures"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"measure"}},{"kind":"Field","name":{"kind":"Name","value":"unit"}},{"kind":"Field","name":{"kind":"Name","value":"definition"}},{"kind":"Field","name":{"kind":"Name","value":"minimumCellSize"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"suppressedCells"}},{"kind":"Field","name":{"kind":"Name","value":"cost"}},{"kind":"Field","name":{"kind":"Name","value":"budgetRemaining"}},{"kind":"Field","name":{"kind":"Name","value":"dataAsOf"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"insightsBudget"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"limit"}},{"kind":"Field","name":{"kind":"Name","value":"used"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}},{"kind":"Field","name":{"kind":"Name","value":"questions"}},{"kind":"Field","name":{"kind":"Name","value":"resetsAt"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}}]}}]} as unknown as DocumentNode<InsightsDashboardQuery, InsightsDashboardQueryVariables>;
export const ModerationQueueDocument = {"__meta__":{"hash":"b931b1333bd18a3ceb2c3d352cb22a8f2b4fe63b834e3bcab2f75f38112b31a0"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ModerationQueue"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ratingFlags"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}},{"kind":"Argument","name":{"kind":"Name","value":"status"},"value":{"kind":"EnumValue","value":"OPEN"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"rule"}},{"kind":"Field","name":{"kind":"Name","value":"details"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"rating"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"stars"}},{"kind":"Field","name":{"kind":"Name","value":"comment"}},{"kind":"Field","name":{"kind":"Name","value":"commentHidden"}},{"kind":"Field","name":{"kind":"Name","value":"period"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"agency"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"service"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"officer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}}]}}]} as unknown as DocumentNode<ModerationQueueQuery, ModerationQueueQueryVariables>;
export const MyAttachmentsDocument = {"__meta__":{"hash":"2c73a710fe90e948fdff1af3b4d650c884c8abeab9f408e878228eadc533e78a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MyAttachments"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"myAttachments"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"purpose"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"contentType"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"ticket"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}}]}}]} as unknown as DocumentNode<MyAttachmentsQuery, MyAttachmentsQueryVariables>;
export const MyServicesDocument = {"__meta__":{"hash":"48373e7dc3ea073d64ed1a6bed9bb1ab627aaef3109b712f1bf09797ff8d5c69"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MyServices"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"tickets"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"30"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"changeCursor"}},{"kind":"Field","name":{"kind":"Name","value":"submittedAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"agency"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"abbreviation"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"service"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"officer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"myRating"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"stars"}},{"kind":"Field","name":{"kind":"Name","value":"comment"}},{"kind":"Field","name":{"kind":"Name","value":"skm"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"canRate"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"myDocumentRequests"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"submittedAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"myPermitApplications"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"permitType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"location"}},{"kind":"Field","name":{"kind":"Name","value":"submittedAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"myClinicBookings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"bookingCode"}},{"kind":"Field","name":{"kind":"Name","value":"queueNumber"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"clinicName"}},{"kind":"Field","name":{"kind":"Name","value":"poliName"}},{"kind":"Field","name":{"kind":"Name","value":"date"}},{"kind":"Field","name":{"kind":"Name","value":"estimatedServiceAt"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"myTaxObjects"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nop"}},{"kind":"Field","name":{"kind":"Name","value":"address"}},{"kind":"Field","name":{"kind":"Name","value":"village"}},{"kind":"Field","name":{"kind":"Name","value":"bills"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"year"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"dueDate"}},{"kind":"Field","name":{"kind":"Name","value":"paid"}},{"kind":"Field","name":{"kind":"Name","value":"penalty"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}}]}}]} as unknown as DocumentNode<MyServicesQuery, MyServicesQueryVariables>;
export const MyTicketUpdatesDocument = {"__meta__":{"hash":"7fa7c87c4b357d9f8f47a6622866adce41e3d002c6e9eca0f9ebaa2c2dee5fbb"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"MyTicketUpdates"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"myTicketUpdates"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"changeCursor"}},{"kind":"Field","name":{"kind":"Name","value":"submittedAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"agency"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"abbreviation"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"service"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"officer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"myRating"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"stars"}},{"kind":"Field","name":{"kind":"Name","value":"comment"}},{"kind":"Field","name":{"kind":"Name","value":"skm"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"canRate"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}}]}}]} as unknown as DocumentNode<MyTicketUpdatesSubscription, MyTicketUpdatesSubscriptionVariables>;
export const OfficerHomeDocument = {"__meta__":{"hash":"be8a021634ca5484362fa2b0ec41a22bb4a61a239e40375c7d61d31ba5cbcb68"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"OfficerHome"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"agencyId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"month"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"officer"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"position"}},{"kind":"Field","name":{"kind":"Name","value":"agency"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"rating"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"average"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"distribution"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stars"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"tppReport"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"agencyId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"agencyId"}}},{"kind":"Argument","name":{"kind":"Name","value":"month"},"value":{"kind":"Variable","name":{"kind":"Name","value":"month"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"month"}},{"kind":"Field","name":{"kind":"Name","value":"finalized"}},{"kind":"Field","name":{"kind":"Name","value":"rows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"officer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"ratings"}},{"kind":"Field","name":{"kind":"Name","value":"average"}},{"kind":"Field","name":{"kind":"Name","value":"factor"}},{"kind":"Field","name":{"kind":"Name","value":"base"}},{"kind":"Field","name":{"kind":"Name","value":"payout"}},{"kind":"Field","name":{"kind":"Name","value":"basis"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}}]}}]} as unknown as DocumentNode<OfficerHomeQuery, OfficerHomeQueryVariables>;
export const RateTicketDocument = {"__meta__":{"hash":"04e1bdca0d319bb246db0ce3b158bb02a450516b3f8aa9b2d3b6e314bbdb21f3"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RateTicket"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RateServiceInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rateService"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"stars"}},{"kind":"Field","name":{"kind":"Name","value":"comment"}},{"kind":"Field","name":{"kind":"Name","value":"skm"}},{"kind":"Field","name":{"kind":"Name","value":"ticket"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"canRate"}},{"kind":"Field","name":{"kind":"Name","value":"myRating"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"stars"}},{"kind":"Field","name":{"kind":"Name","value":"comment"}},{"kind":"Field","name":{"kind":"Name","value":"skm"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}}]}}]} as unknown as DocumentNode<RateTicketMutation, RateTicketMutationVariables>;
export const RequestDocumentDocument = {"__meta__":{"hash":"87d319270e4cae52e79b205a477f4628fa303b4a86e5e951826dfcfacc261150"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RequestDocument"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RequestDocumentInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestDocument"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"submittedAt"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}}]}}]} as unknown as DocumentNode<RequestDocumentMutation, RequestDocumentMutationVariables>;
export const ResolveAppealDocument = {"__meta__":{"hash":"b4f7c19acd54271ab25d7fb7b0ed688c02d37f9424ce75472db2dbd2ac55810d"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ResolveAppeal"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"outcome"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"TppAppealOutcome"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"note"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"resolveTppAppeal"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"outcome"},"value":{"kind":"Variable","name":{"kind":"Name","value":"outcome"}}},{"kind":"Argument","name":{"kind":"Name","value":"note"},"value":{"kind":"Variable","name":{"kind":"Name","value":"note"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"resolvedAt"}},{"kind":"Field","name":{"kind":"Name","value":"resolutionNote"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}}]}}]} as unknown as DocumentNode<ResolveAppealMutation, ResolveAppealMutationVariables>;
export const ReviewFlagDocument = {"__meta__":{"hash":"f440b411d13c483d46b185ffe24df98686b6acf78a57623086fb6694e33bd25d"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ReviewFlag"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"decision"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RatingFlagDecision"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"note"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reviewRatingFlag"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"decision"},"value":{"kind":"Variable","name":{"kind":"Name","value":"decision"}}},{"kind":"Argument","name":{"kind":"Name","value":"note"},"value":{"kind":"Variable","name":{"kind":"Name","value":"note"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"reviewedAt"}},{"kind":"Field","name":{"kind":"Name","value":"reviewNote"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}}]}}]} as unknown as DocumentNode<ReviewFlagMutation, ReviewFlagMutationVariables>;
export const SearchAgenciesDocument = {"__meta__":{"hash":"61cd05208fbaa7e76c11d7c662d4304b79d208593153437bb69897a3fe9d53c4"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SearchAgencies"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"q"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"agencies"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"search"},"value":{"kind":"Variable","name":{"kind":"Name","value":"q"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"8"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"abbreviation"}},{"kind":"Field","name":{"kind":"Name","value":"rating"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"average"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}}]}}]} as unknown as DocumentNode<SearchAgenciesQuery, SearchAgenciesQueryVariables>;
export const TppAppealsDocument = {"__meta__":{"hash":"a877d17c5ce383bdd065ba5b263f1213aaf2965eebfb69b2506e6eac3c34e50c"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TppAppeals"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"status"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"TppAppealStatus"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tppAppeals"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}},{"kind":"Argument","name":{"kind":"Name","value":"status"},"value":{"kind":"Variable","name":{"kind":"Name","value":"status"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"agencyId"}},{"kind":"Field","name":{"kind":"Name","value":"month"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"filedAt"}},{"kind":"Field","name":{"kind":"Name","value":"resolvedAt"}},{"kind":"Field","name":{"kind":"Name","value":"resolutionNote"}},{"kind":"Field","name":{"kind":"Name","value":"officer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}}]}}]} as unknown as DocumentNode<TppAppealsQuery, TppAppealsQueryVariables>;