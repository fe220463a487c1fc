import { fileURLToPath } from 'node:url';
import * as soap from 'soap';
import { z } from 'zod';
import { chunks, parseWire, Upstream, UpstreamRejectedError, requestIdHeaders, type UpstreamOptions } from '@gerbang/common';
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

const PERMIT_TYPES = ['REKLAME', 'PENELITIAN', 'PBG'] as const satisfies readonly PermitType[];
const STATUSES = ['DITERIMA', 'VERIFIKASI', 'PROSES', 'SELESAI', 'DITOLAK'] as const satisfies readonly PermitStatus[];
/** soap:Client faults that are the hub's own fault (credentials, contract), not the citizen's input. */
const OUR_SIDE_CLIENT_FAULTS: ReadonlySet<string> = new Set(['AUTHENTICATION_FAILED', 'UNKNOWN_OPERATION', 'SOAP_ACTION_MISMATCH']);

// ---- the objects node-soap parses SIMPERDA's answers into (per the WSDL), checked at this boundary ----
/** xs:dateTime: node-soap hands it over as a Date, or as the text when it could not read it. */
const dateTime = z.union([z.date(), z.string().transform((s) => new Date(s))]).pipe(z.date());
/** xs:long: a number, or its digits. */
const long = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);
/** xs:boolean: node-soap may leave it as its text. */
const boolean = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]);
/** node-soap hands over a repeated element as an array, a single one as an object, none as undefined. */
const repeated = <T extends z.ZodType>(item: T) => z.preprocess((v): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? (v as unknown[]) : [v]), z.array(item));

const WireApplication = z
  .object({
    applicationNumber: z.string(),
    nik: z.string(),
    applicantName: z.string(),
    permitType: z.enum(PERMIT_TYPES),
    description: z.string(),
    location: z.string(),
    status: z.enum(STATUSES),
    submittedAt: dateTime,
    completedAt: dateTime.nullish(),
    officerNip: z.string().nullish(),
    notes: z.string().nullish(),
    updatedAt: dateTime,
  })
  .transform((w): PermitApplicationRecord => ({
    number: w.applicationNumber,
    nik: w.nik,
    applicantName: w.applicantName,
    permitType: w.permitType,
    description: w.description,
    location: w.location,
    status: w.status,
    submittedAt: w.submittedAt,
    completedAt: w.completedAt ?? null,
    officerNip: w.officerNip || null,
    notes: w.notes ?? null,
    updatedAt: w.updatedAt,
  }));
const Applications = z.object({ application: repeated(WireApplication) });
const Changes = z.object({
  change: repeated(z.object({ sequence: long, changedAt: dateTime, application: WireApplication })),
  lastSequence: long.optional(),
  hasMore: boolean.optional(),
});
const Submitted = z.object({ applicationNumber: z.string().min(1), status: z.enum(STATUSES), submittedAt: dateTime });

/** A SOAP fault as node-soap reports it (the parsed envelope on the error's `root`). */
const SoapFault = z.object({
  root: z.object({
    Envelope: z.object({
      Body: z.object({
        Fault: z.object({
          faultcode: z.unknown(),
          faultstring: z.unknown(),
          detail: z
            .object({ PermitFault: z.object({ code: z.string().optional(), field: z.string().optional() }).optional() })
            .optional()
            .catch(undefined),
        }),
      }),
    }),
  }),
});
/** An HTTP answer without a SOAP envelope, as node-soap reports it. */
const HttpFailure = z.object({ response: z.object({ status: z.number() }) });

/** An element's text: node-soap gives a plain value, or `{ $value }` when the element has attributes. */
const text = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'object' && v !== null && '$value' in v ? text(v.$value) : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';

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
   * and the request id being served (if any) goes along as an `x-request-id` HTTP header. The parsed
   * answer is checked against `schema` inside the guarded call: one that breaks the WSDL's contract
   * is UPSTREAM_INVALID naming SIMPERDA and the first bad element, and counts as a failure.
   */
  private invoke<S extends z.ZodType>(operation: SoapOperation, args: Record<string, unknown>, schema: S): Promise<z.output<S>> {
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
        return parseWire(this.upstream.service, schema, result ?? {});
      },
      { idempotent: true },
    );
  }

  private mapError(err: unknown, signal: AbortSignal): Error {
    // Aborted by the deadline: hand Upstream the TimeoutError so it reports "timed out".
    if (signal.aborted) return signal.reason instanceof Error ? signal.reason : new Error('timed out');
    const soapFault = SoapFault.safeParse(err);
    if (soapFault.success) {
      const fault = soapFault.data.root.Envelope.Body.Fault;
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
    const http = HttpFailure.safeParse(err);
    if (http.success) return new Error(`SIMPERDA answered HTTP ${http.data.response.status} without a SOAP envelope`);
    return new Error((err instanceof Error && err.message) || 'SIMPERDA call failed');
  }

  async applications(numbers: readonly string[]): Promise<Map<string, PermitApplicationRecord>> {
    const out = new Map<string, PermitApplicationRecord>();
    for (const part of chunks([...new Set(numbers)], PERMIT_MAX_STATUS_BATCH)) {
      const found = await this.invoke('GetApplicationStatus', { applicationNumber: part }, Applications);
      for (const a of found.application) out.set(a.number, a);
    }
    return out;
  }

  async applicationsOf(nik: string): Promise<PermitApplicationRecord[]> {
    return (await this.invoke('ListApplicationsByNik', { nik }, Applications)).application;
  }

  async changes(since: number, limit: number) {
    const r = await this.invoke('ListChanges', { sinceSequence: since, limit: Math.max(1, Math.min(limit, PERMIT_MAX_CHANGES_PAGE)) }, Changes);
    return {
      items: r.change.map((c): PermitChange => ({ sequence: c.sequence, changedAt: c.changedAt, application: c.application })),
      next: r.lastSequence ?? since,
      hasMore: r.hasMore ?? false,
    };
  }

  async submit(input: NewPermitApplication) {
    const r = await this.invoke(
      'SubmitApplication',
      {
        nik: input.nik,
        applicantName: input.applicantName,
        permitType: input.permitType,
        description: input.description,
        location: input.location,
        clientReference: input.clientReference,
      },
      Submitted,
    );
    return { number: r.applicationNumber, status: r.status, submittedAt: r.submittedAt };
  }
}
