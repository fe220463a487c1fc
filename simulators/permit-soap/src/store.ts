import { DPMPTSP_OFFICERS, FIRST_SERIAL_OF_SEEDED_YEAR, SEED_APPLICATIONS, type ApplicationStatus, type PermitType, type SeedApplication } from './data.js';
import { wibDayTime, wibYear } from './time.js';

export interface PermitApplication {
  applicationNumber: string;
  nik: string;
  applicantName: string;
  permitType: PermitType;
  description: string;
  location: string;
  status: ApplicationStatus;
  submittedAt: Date;
  completedAt: Date | null;
  officerNip: string | null;
  notes: string | null;
  updatedAt: Date;
  /** The submitting system's idempotency key; null for applications filed at the service desk. */
  clientReference: string | null;
}

export type ChangeType = 'CREATED' | 'STATUS_CHANGED';

export interface ApplicationChange {
  sequence: number;
  changedAt: Date;
  changeType: ChangeType;
  previousStatus: ApplicationStatus | null;
  /** The application as it stood right after the change. */
  application: PermitApplication;
}

export interface NewApplication {
  nik: string;
  applicantName: string;
  permitType: PermitType;
  description: string;
  location: string;
  clientReference: string;
}

export interface StatusChange {
  status: ApplicationStatus;
  officerNip?: string;
  notes?: string;
  /** When the change happened; defaults to the clock. Lets a demo place a completion inside a rating window. */
  at?: Date;
}

/** A rule of the permit system was broken; `code` is stable and shown to callers. */
export class PermitRuleError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'INVALID_TRANSITION' | 'CLIENT_REFERENCE_CONFLICT' | 'INVALID_OFFICER' | 'INVALID_TIME',
    message: string,
  ) {
    super(message);
    this.name = 'PermitRuleError';
  }
}

const FINAL: ReadonlySet<ApplicationStatus> = new Set(['SELESAI', 'DITOLAK']);
const RANK: Record<ApplicationStatus, number> = { DITERIMA: 0, VERIFIKASI: 1, PROSES: 2, SELESAI: 3, DITOLAK: 3 };
const OFFICER_NIPS: ReadonlySet<string> = new Set(DPMPTSP_OFFICERS.map((o) => o.nip));

const copy = (a: PermitApplication): PermitApplication => ({ ...a });

/**
 * SIMPERDA's data: applications, their idempotency keys and an append-only change feed. Every write
 * appends to the feed with the next sequence number, so a consumer that remembers the last sequence it
 * saw never misses or double-reads a change.
 */
export class PermitStore {
  private readonly applications = new Map<string, PermitApplication>();
  private readonly byClientReference = new Map<string, string>();
  private readonly feed: ApplicationChange[] = [];
  private readonly lastSerialByYear = new Map<number, number>();

  constructor(
    private readonly clock: () => Date,
    seed: readonly SeedApplication[] = SEED_APPLICATIONS,
  ) {
    this.loadSeed(seed);
  }

  submit(input: NewApplication): { application: PermitApplication; replayed: boolean } {
    const existingNumber = this.byClientReference.get(input.clientReference);
    if (existingNumber) {
      const existing = this.applications.get(existingNumber)!;
      const same =
        existing.nik === input.nik &&
        existing.applicantName === input.applicantName &&
        existing.permitType === input.permitType &&
        existing.description === input.description &&
        existing.location === input.location;
      // Same key, different request: answering with the first application would hide the caller's bug.
      if (!same) throw new PermitRuleError('CLIENT_REFERENCE_CONFLICT', `clientReference ${input.clientReference} was already used for another application`);
      return { application: copy(existing), replayed: true };
    }
    const application = this.create({ ...input, at: this.clock() });
    return { application: copy(application), replayed: false };
  }

  get(applicationNumber: string): PermitApplication | undefined {
    const a = this.applications.get(applicationNumber);
    return a && copy(a);
  }

  listByNik(nik: string): PermitApplication[] {
    return [...this.applications.values()]
      .filter((a) => a.nik === nik)
      .sort((x, y) => y.submittedAt.getTime() - x.submittedAt.getTime())
      .map(copy);
  }

  changesSince(sinceSequence: number, limit: number): { changes: ApplicationChange[]; lastSequence: number; hasMore: boolean } {
    // Sequences are 1..n without gaps, so the feed index of sequence s is s - 1.
    const start = Math.min(sinceSequence, this.feed.length);
    const changes = this.feed.slice(start, start + limit).map((c) => ({ ...c, application: copy(c.application) }));
    const lastSequence = changes.length > 0 ? changes[changes.length - 1]!.sequence : sinceSequence;
    return { changes, lastSequence, hasMore: start + limit < this.feed.length };
  }

  latestSequence(): number {
    return this.feed.length;
  }

  /** Moves an application forward (the officers' side of the system, reached through the admin route). */
  changeStatus(applicationNumber: string, change: StatusChange): ApplicationChange {
    const application = this.applications.get(applicationNumber);
    if (!application) throw new PermitRuleError('NOT_FOUND', `application ${applicationNumber} does not exist`);
    if (FINAL.has(application.status)) {
      throw new PermitRuleError('INVALID_TRANSITION', `application ${applicationNumber} is already ${application.status}`);
    }
    if (RANK[change.status] <= RANK[application.status]) {
      throw new PermitRuleError('INVALID_TRANSITION', `cannot move from ${application.status} to ${change.status}`);
    }
    if (change.officerNip !== undefined && !OFFICER_NIPS.has(change.officerNip)) {
      throw new PermitRuleError('INVALID_OFFICER', `${change.officerNip} is not a DPMPTSP permit officer`);
    }
    const now = this.clock();
    const at = change.at ?? now;
    if (at.getTime() < application.updatedAt.getTime() || at.getTime() > now.getTime()) {
      throw new PermitRuleError('INVALID_TIME', 'the change must lie between the last change of the application and now');
    }
    return this.apply(application, change.status, at, change.officerNip ?? application.officerNip ?? this.leastBusyOfficer(), change.notes ?? null);
  }

  private create(input: Omit<NewApplication, 'clientReference'> & { clientReference?: string; at: Date }): PermitApplication {
    const application: PermitApplication = {
      applicationNumber: this.nextNumber(input.at),
      nik: input.nik,
      applicantName: input.applicantName,
      permitType: input.permitType,
      description: input.description,
      location: input.location,
      status: 'DITERIMA',
      submittedAt: input.at,
      completedAt: null,
      officerNip: null,
      notes: null,
      updatedAt: input.at,
      clientReference: input.clientReference ?? null,
    };
    this.applications.set(application.applicationNumber, application);
    if (input.clientReference) this.byClientReference.set(input.clientReference, application.applicationNumber);
    this.append('CREATED', null, application, input.at);
    return application;
  }

  private apply(application: PermitApplication, status: ApplicationStatus, at: Date, officerNip: string, notes: string | null): ApplicationChange {
    const previous = application.status;
    application.status = status;
    application.officerNip = officerNip;
    // Notes belong to the step they were written for; a later step without notes clears them.
    application.notes = notes;
    application.updatedAt = at;
    if (FINAL.has(status)) application.completedAt = at;
    return this.append('STATUS_CHANGED', previous, application, at);
  }

  private append(changeType: ChangeType, previousStatus: ApplicationStatus | null, application: PermitApplication, at: Date): ApplicationChange {
    const change: ApplicationChange = { sequence: this.feed.length + 1, changedAt: at, changeType, previousStatus, application: copy(application) };
    this.feed.push(change);
    return { ...change, application: copy(change.application) };
  }

  /** `PRM-<year>-<serial>`, the serial restarting every calendar year (WIB). */
  private nextNumber(at: Date): string {
    const year = wibYear(at);
    const last = this.lastSerialByYear.get(year) ?? (this.lastSerialByYear.size === 0 ? FIRST_SERIAL_OF_SEEDED_YEAR - 1 : 0);
    const serial = last + 1;
    this.lastSerialByYear.set(year, serial);
    return `PRM-${year}-${String(serial).padStart(5, '0')}`;
  }

  /** The desk hands new work to whoever has the fewest open applications (ties: the first officer). */
  private leastBusyOfficer(): string {
    const load = new Map<string, number>(DPMPTSP_OFFICERS.map((o) => [o.nip, 0]));
    for (const a of this.applications.values()) {
      if (a.officerNip && !FINAL.has(a.status)) load.set(a.officerNip, (load.get(a.officerNip) ?? 0) + 1);
    }
    return [...load.entries()].sort((x, y) => x[1] - y[1])[0]![0];
  }

  /** Replays the seed's history in time order, so numbers and feed sequences follow the calendar. */
  private loadSeed(seed: readonly SeedApplication[]): void {
    const now = this.clock();
    type Event = { at: Date; seedIndex: number; step: number };
    const events: Event[] = [];
    seed.forEach((s, seedIndex) => {
      events.push({ at: wibDayTime(now, s.submitted[0], s.submitted[1]), seedIndex, step: -1 });
      s.steps.forEach((st, step) => events.push({ at: wibDayTime(now, st.at[0], st.at[1]), seedIndex, step }));
    });
    events.sort((x, y) => x.at.getTime() - y.at.getTime() || x.seedIndex - y.seedIndex || x.step - y.step);

    const created = new Map<number, PermitApplication>();
    for (const event of events) {
      const s = seed[event.seedIndex]!;
      if (event.step === -1) {
        created.set(event.seedIndex, this.create({ ...s, at: event.at }));
        continue;
      }
      const step = s.steps[event.step]!;
      const application = created.get(event.seedIndex);
      if (!application) throw new Error(`seed ${event.seedIndex}: a step precedes the submission`);
      if (!s.officerNip) throw new Error(`seed ${event.seedIndex}: steps need an officer`);
      this.apply(application, step.status, event.at, s.officerNip, step.notes ?? null);
    }
  }
}
