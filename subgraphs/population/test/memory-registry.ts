import type { DocumentRequestRecord, PopulationRegistry, Resident } from '../src/adapters/siak/registry';

/** SIAK in memory, for the service's unit tests: what was filed, and with which client reference. */
export class MemoryPopulationRegistry implements PopulationRegistry {
  readonly requestsById = new Map<string, DocumentRequestRecord>();
  readonly clientRefs: string[] = [];
  private next = 1;

  constructor(private readonly people: Resident[]) {}

  async residents(niks: readonly string[]) {
    return new Map(this.people.filter((p) => niks.includes(p.nik)).map((p) => [p.nik, p]));
  }
  async requests(ids: readonly string[]) {
    return new Map([...this.requestsById].filter(([id]) => ids.includes(id)));
  }
  async requestsOf(nik: string) {
    return [...this.requestsById.values()].filter((r) => r.nik === nik);
  }
  async changes() {
    return { items: [...this.requestsById.values()], next: this.next, hasMore: false };
  }
  async createRequest(input: { nik: string; type: DocumentRequestRecord['type']; note: string | null; clientRef: string }) {
    this.clientRefs.push(input.clientRef);
    const id = `REQ-${this.next++}`;
    const record: DocumentRequestRecord = {
      id,
      nik: input.nik,
      type: input.type,
      status: 'SUBMITTED',
      note: input.note,
      submittedAt: new Date(0),
      completedAt: null,
      officerNip: null,
      version: 1,
      sequence: this.next,
    };
    this.requestsById.set(id, record);
    return record;
  }
}
