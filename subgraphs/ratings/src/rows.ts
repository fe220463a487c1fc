/**
 * What the ratings subgraph's hand-written SQL returns (the tables: migrations/), where more than one
 * module shares it. The API types are separate (modules/<feature>/types.ts).
 */
export type RatingStatus = 'VALID' | 'FLAGGED' | 'REJECTED';

export interface RatingRow {
  id: string;
  ticketId: string;
  citizenRef: string;
  idempotencyKey: string | null;
  requestHash: string;
  agencyId: string;
  serviceId: string;
  officerId: string | null;
  stars: number;
  comment: string | null;
  commentHidden: boolean;
  skm: number[] | null;
  period: string;
  completedAt: Date;
  createdAt: Date;
  deviceRef: string | null;
  ipRef: string | null;
  status: RatingStatus;
}

export type FlagStatus = 'OPEN' | 'ACCEPTED' | 'REJECTED';

export type AppealStatus = 'OPEN' | 'UPHELD' | 'REJECTED';
