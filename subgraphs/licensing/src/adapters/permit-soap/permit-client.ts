import { fileURLToPath } from 'node:url';
import * as soap from 'soap';
import { chunks, Upstream, UpstreamRejectedError, requestIdHeaders, type UpstreamOptions } from '@gerbang/common';
import type { NewPermitApplication, PermitApplicationRecord, PermitChange, PermitRegistry, PermitStatus, PermitType } from './registry';

/**
 * SIMPERDA's published contract (a copy of the WSDL the regency gave us; the system also serves it
 * at `<endpoint>?wsdl`). Read from disk so that starting the hub never depends on the system being
 * up; the endpoint is configured separately.
 */
export const PERMIT_WSDL_FILE = fileURLToPath(new URL('./permit.wsdl', import.meta.url));

/** SIMPERDA answers at most 50 application numbers per GetApplicationStatus. */
export const PERMIT_MAX_STATUS_BATCH = 50;
/** ListChanges pages hold at most 500 changes. */
const PERMIT_MAX_CHANGES_PAGE = 500;

const PERMIT_TYPES: ReadonlySet<string> = new Set<PermitType>(['REKLAME', 'PENELITIAN', 'PBG']);
const STATUSES: ReadonlySet<string> = new Set<PermitStatus>(['DITERIMA', 'VERIFIKASI', 'PROSES', 'SELESAI', 'DITOLAK']);
/** soap:Client faults that are the hub's own fault (credentials, contract), not the citizen's input. */
const OUR_SIDE_CLIENT_FAULTS: ReadonlySet<string> = new Set(['AUTHENTICATION_FAILED', 'UNKNOWN_OPERATION', 'SOAP_ACTION_MISMATCH']);

// ---- the shapes node-soap parses SIMPERDA's answers into (per the WSDL) ----
interface WireApplication {
  applicationNumber: string;
  nik: string;
  applicantName: string;
  permitType: string;
  description: string;
  location: string;
  status: string;
  submittedAt: Date | string;
  completedAt?: Date | string;
  officerNip?: string;
  notes?: string;
  updatedAt: Date | string;
}
interface WireChange {
  sequence: number | string;
  changedAt: Date | string;
  changeType: string;
  previousStatus?: string;
  application: WireApplication;
}
interface WireFault {
  faultcode?: unknown;
  faultstring?: unknown;
  detail?: { PermitFault?: { code?: string; field?: string } };
}

/** node-soap hands a repeated element over as an array, a single one as an object, none as undefined. */
const asList = <T>(value: T | T[] | undefined | null): T[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);

const text = (v: unknown): string =>
  typeof v === 'string' ? v : v && typeof v === 'object' && '$value' in v ? text((v as { $value: unknown }).$value) : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';

function toDate(value: Date | string | undefined, field: string): Date {
  const d = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(d.getTime())) throw new Error(`SIMPERDA answered an invalid ${field}`);
  return d;
}

function toApplication(w: WireApplication): PermitApplicationRecord {
  if (!PERMIT_TYPES.has(w.permitType)) throw new Error(`SIMPERDA answered an unknown permitType "${w.permitType}"`);
  if (!STATUSES.has(w.status)) throw new Error(`SIMPERDA answered an unknown status "${w.status}"`);
  return {
    number: w.applicationNumber,
    nik: w.nik,
    applicantName: w.applicantName,
    permitType: w.permitType as PermitType,
    description: w.description,
    location: w.location,
    status: w.status as PermitStatus,
    submittedAt: toDate(w.submittedAt, 'submittedAt'),
    completedAt: w.completedAt === undefined || w.completedAt === null ? null : toDate(w.completedAt, 'completedAt'),
    officerNip: w.officerNip || null,
    notes: w.notes ?? null,
    updatedAt: toDate(w.updatedAt, 'updatedAt'),
  };
}

type SoapOperation = 'SubmitApplication' | 'GetApplicationStatus' | 'ListApplicationsByNik' | 'ListChanges';

/**
 * SIMPERDA, the regency's regional permit system: SOAP 1.1 document/literal through the `soap`
 * package (envelopes built and parsed from the WSDL, WS-Security UsernameToken with a fresh
 * PasswordDigest nonce per call), behind timeout, retries and a breaker.
 *
 * Faults: soap:Client = the request was refused (typed UpstreamRejectedError → BAD_USER_INPUT /
 * NOT_FOUND, not counted against the breaker), except refusals of our credentials or of the
 * contract, which are the hub's fault; soap:Server, HTTP and transport errors → UPSTREAM_UNAVAILABLE.
 * Every operation is safe to repeat (SubmitApplication is deduplicated by clientReference).
 */
export class PermitSoapClient implements PermitRegistry {
  readonly upstream: Upstream;
  private client: Promise<soap.Client> | undefined;

  constructor(private readonly options: { endpoint: string; username: string; password: string; wsdlPath?: string } & Partial<Omit<UpstreamOptions, 'service'>>) {
    this.upstream = new Upstream({ service: 'SIMPERDA permits', ...options });
  }

  private soapClient(): Promise<soap.Client> {
    this.client ??= soap
      .createClientAsync(this.options.wsdlPath ?? PERMIT_WSDL_FILE, { endpoint: this.options.endpoint })
      .then((client) => {
        client.setSecurity(new soap.WSSecurity(this.options.username, this.options.password, { passwordType: 'PasswordDigest' }));
        return client;
      })
      .catch((err: unknown) => {
        this.client = undefined;
        throw err;
      });
    return this.client;
  }

  /**
   * One SOAP operation through the breaker; the attempt's AbortSignal is handed to the HTTP request,
   * and the request id being served (if any) goes along as an `x-request-id` HTTP header.
   */
  private invoke<T>(operation: SoapOperation, args: Record<string, unknown>, map: (result: any) => T): Promise<T> {
    const headers = requestIdHeaders();
    return this.upstream.call(
      async (signal) => {
        const client = await this.soapClient();
        const method = (client as unknown as Record<string, (a: unknown, o: unknown, h: Record<string, string>) => Promise<[unknown]>>)[`${operation}Async`]!;
        let result: unknown;
        try {
          [result] = await method.call(client, args, { signal }, headers);
        } catch (err) {
          throw this.mapError(err, signal);
        }
        return map(result ?? {});
      },
      { idempotent: true },
    );
  }

  private mapError(err: unknown, signal: AbortSignal): Error {
    // Aborted by the deadline: hand Upstream the TimeoutError so it reports "timed out".
    if (signal.aborted) return signal.reason instanceof Error ? signal.reason : new Error('timed out');
    const fault = (err as { root?: { Envelope?: { Body?: { Fault?: WireFault } } } })?.root?.Envelope?.Body?.Fault;
    if (fault) {
      const kind = text(fault.faultcode);
      const message = text(fault.faultstring) || 'SIMPERDA refused the request';
      const code = fault.detail?.PermitFault?.code;
      const field = fault.detail?.PermitFault?.field;
      if (/(^|:)Client$/.test(kind) && !(code && OUR_SIDE_CLIENT_FAULTS.has(code))) {
        const rejected = new UpstreamRejectedError(this.upstream.service, message, code);
        if (field) Object.assign(rejected.extensions, { field });
        return rejected;
      }
      return new Error(`SIMPERDA fault ${kind}${code ? ` ${code}` : ''}: ${message}`);
    }
    const status = (err as { response?: { status?: number } })?.response?.status;
    return new Error(status ? `SIMPERDA answered HTTP ${status} without a SOAP envelope` : (err as Error)?.message || 'SIMPERDA call failed');
  }

  async applications(numbers: readonly string[]): Promise<Map<string, PermitApplicationRecord>> {
    const out = new Map<string, PermitApplicationRecord>();
    for (const part of chunks([...new Set(numbers)], PERMIT_MAX_STATUS_BATCH)) {
      const found = await this.invoke('GetApplicationStatus', { applicationNumber: part }, (r: { application?: WireApplication | WireApplication[] }) => asList(r.application).map(toApplication));
      for (const a of found) out.set(a.number, a);
    }
    return out;
  }

  applicationsOf(nik: string): Promise<PermitApplicationRecord[]> {
    return this.invoke('ListApplicationsByNik', { nik }, (r: { application?: WireApplication | WireApplication[] }) => asList(r.application).map(toApplication));
  }

  changes(since: number, limit: number) {
    return this.invoke(
      'ListChanges',
      { sinceSequence: since, limit: Math.max(1, Math.min(limit, PERMIT_MAX_CHANGES_PAGE)) },
      (r: { change?: WireChange | WireChange[]; lastSequence?: number | string; hasMore?: boolean | string }) => ({
        items: asList(r.change).map((c): PermitChange => ({
          sequence: Number(c.sequence),
          changedAt: toDate(c.changedAt, 'changedAt'),
          application: toApplication(c.application),
        })),
        next: r.lastSequence === undefined ? since : Number(r.lastSequence),
        hasMore: r.hasMore === true || r.hasMore === 'true',
      }),
    );
  }

  submit(input: NewPermitApplication) {
    return this.invoke(
      'SubmitApplication',
      {
        nik: input.nik,
        applicantName: input.applicantName,
        permitType: input.permitType,
        description: input.description,
        location: input.location,
        clientReference: input.clientReference,
      },
      (r: { applicationNumber?: string; status?: string; submittedAt?: Date | string }) => {
        if (!r.applicationNumber || !r.status || !STATUSES.has(r.status)) throw new Error('SIMPERDA answered SubmitApplication without an application');
        return { number: r.applicationNumber, status: r.status as PermitStatus, submittedAt: toDate(r.submittedAt, 'submittedAt') };
      },
    );
  }
}
