/** The simulated staff register: officers by NIP and by NIK and, for paging, by agency in NIP order. */
import { AGENCIES, type CivilServant } from './data.js';

export class BkpsdmStore {
  private readonly byNip = new Map<string, CivilServant>();
  private readonly byNikIndex = new Map<string, CivilServant>();
  private readonly byAgency = new Map<string, CivilServant[]>();

  constructor(officers: readonly CivilServant[]) {
    // The six agencies exist even before anyone is placed there, so an empty one is not "unknown".
    for (const id of AGENCIES) this.byAgency.set(id, []);
    for (const o of officers) {
      if (this.byNip.has(o.nip)) throw new Error(`duplicate NIP in the register: ${o.nip}`);
      if (this.byNikIndex.has(o.nik)) throw new Error(`duplicate NIK in the register (NIP ${o.nip})`);
      this.byNip.set(o.nip, { ...o });
      this.byNikIndex.set(o.nik, this.byNip.get(o.nip)!);
      const list = this.byAgency.get(o.agencyId) ?? [];
      list.push(this.byNip.get(o.nip)!);
      this.byAgency.set(o.agencyId, list);
    }
    // NIP order is stable whatever the insertion order, so paging never skips or repeats anyone.
    for (const list of this.byAgency.values()) list.sort((a, b) => (a.nip < b.nip ? -1 : a.nip > b.nip ? 1 : 0));
  }

  size(): number {
    return this.byNip.size;
  }

  agencies(): string[] {
    return [...this.byAgency.keys()];
  }

  officer(nip: string): CivilServant | undefined {
    const o = this.byNip.get(nip);
    return o && { ...o };
  }

  /** Found officers in the order asked (duplicates once), and the NIPs not in the register. */
  byNips(nips: readonly string[]): { found: CivilServant[]; notFound: string[] } {
    const found: CivilServant[] = [];
    const notFound: string[] = [];
    for (const nip of new Set(nips)) {
      const o = this.byNip.get(nip);
      if (o) found.push({ ...o });
      else notFound.push(nip);
    }
    return { found, notFound };
  }

  /** Found officers by NIK in the order asked (duplicates once), and the NIKs not in the register. */
  byNiks(niks: readonly string[]): { found: CivilServant[]; notFound: string[] } {
    const found: CivilServant[] = [];
    const notFound: string[] = [];
    for (const nik of new Set(niks)) {
      const o = this.byNikIndex.get(nik);
      if (o) found.push({ ...o });
      else notFound.push(nik);
    }
    return { found, notFound };
  }

  /** A page of an agency's officers; `undefined` when the agency is not in the register at all. */
  listByAgency(agencyId: string, offset: number, limit: number): { items: CivilServant[]; total: number } | undefined {
    const list = this.byAgency.get(agencyId);
    if (!list) return undefined;
    return { items: list.slice(offset, offset + limit).map((o) => ({ ...o })), total: list.length };
  }
}
