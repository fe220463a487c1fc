import type http from 'node:http';
import { createSimulator, sendJson, type Faults, type Simulator } from '@gerbang/simkit';
import * as soap from 'soap';
import { APPLICATION_STATUSES, type ApplicationStatus } from './data.js';
import { UsernameTokenVerifier } from './security.js';
import { PERMIT_OPERATIONS, PermitFault, applicationWire, createPermitServices, toSoapFault } from './service.js';
import { PermitRuleError, PermitStore } from './store.js';
import { formatWib } from './time.js';
import { PERMIT_NAMESPACE, PERMIT_SOAP_PATH, WSDL_DEFAULT_LOCATION, readPermitWsdl } from './wsdl.js';

export interface PermitSoapSimulatorOptions {
  /** WS-Security UsernameToken credentials the regency issued to the hub. */
  username: string;
  password: string;
  /**
   * The system's business clock: seed times are relative to it and new changes are stamped with it.
   * A Date freezes the clock at that instant; a function is read on every use. Default: real time.
   */
  now?: Date | (() => Date);
  faults?: Partial<Faults>;
}

export interface PermitSoapSimulator extends Simulator {
  readonly store: PermitStore;
  /** The SOAP endpoint, e.g. `http://127.0.0.1:4103/ws/permit` (valid once listening). */
  endpoint(): string;
  /** While false, every operation answers a soap:Server DATABASE_UNAVAILABLE fault (also `POST /__admin/database`). */
  setDatabaseAvailable(available: boolean): void;
}

class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const ADMIN_STATUS_ROUTE = /^\/__admin\/applications\/([^/]+)\/status$/;
const RULE_STATUS: Record<PermitRuleError['code'], number> = {
  NOT_FOUND: 404,
  INVALID_TRANSITION: 409,
  CLIENT_REFERENCE_CONFLICT: 409,
  INVALID_OFFICER: 400,
  INVALID_TIME: 400,
};

function parseJsonObject(body: Buffer): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body.toString('utf8') || '{}');
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Falls through to the refusal below.
  }
  throw new AdminError(400, 'INVALID_BODY', 'the body must be a JSON object');
}

/** Only host names and ports go into the served WSDL, never whatever a client puts in Host. */
const SAFE_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * node-soap answers a request it cannot even map onto the WSDL (e.g. an element no operation has) with a
 * bare-text HTTP 500 carrying a JavaScript error message. A SOAP client expects a fault envelope, and the
 * message leaks internals, so such answers are replaced by this fixed soap:Client fault.
 */
const UNDISPATCHABLE_FAULT =
  '<?xml version="1.0" encoding="utf-8"?>' +
  `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:tns="${PERMIT_NAMESPACE}">` +
  '<soap:Body><soap:Fault><faultcode>soap:Client</faultcode>' +
  '<faultstring>The request does not match any operation of PermitService</faultstring>' +
  '<detail><tns:PermitFault><tns:code>UNKNOWN_OPERATION</tns:code></tns:PermitFault></detail>' +
  '</soap:Fault></soap:Body></soap:Envelope>';

const OPERATIONS: ReadonlySet<string> = new Set(Object.values(PERMIT_OPERATIONS));

/** The operation a parsed envelope asks for: the body's first element, which a SOAPAction, if sent, must name too. */
function requestedOperation(envelope: unknown, soapAction: unknown): { ok: true } | { ok: false; code: string; message: string } {
  const body = envelope && typeof envelope === 'object' ? (envelope as { Body?: unknown }).Body : undefined;
  const element = body && typeof body === 'object' ? Object.keys(body).find((k) => k !== 'attributes') : undefined;
  if (!element || !OPERATIONS.has(element)) {
    return { ok: false, code: 'UNKNOWN_OPERATION', message: `PermitService has no operation ${element ?? '(empty body)'}` };
  }
  const action = typeof soapAction === 'string' ? soapAction.replace(/^"|"$/g, '') : '';
  if (action !== '' && action.slice(action.lastIndexOf('/') + 1) !== element) {
    return { ok: false, code: 'SOAP_ACTION_MISMATCH', message: `SOAPAction ${action} does not match the body element ${element}` };
  }
  return { ok: true };
}

/**
 * SIMPERDA, the regency's regional permit system: SOAP 1.1 over HTTP at `/ws/permit`, WS-Security
 * UsernameToken, plus a plain-JSON admin surface for demos and tests.
 *
 * node-soap runs "serverless" here (`soap.listen(null, …)` + `processRequest`) rather than attached to
 * the HTTP server, because attaching replaces the server's request listener and SOAP calls would then
 * bypass simkit's fault injection (latency, errorRate, down) and `/__sim` control routes.
 */
export function createPermitSoapSimulator(options: PermitSoapSimulatorOptions): PermitSoapSimulator {
  if (!options.username || !options.password) throw new Error('createPermitSoapSimulator: username and password are required');
  const { now } = options;
  const clock: () => Date = typeof now === 'function' ? now : now ? () => new Date(now.getTime()) : () => new Date();

  const store = new PermitStore(clock);
  const verifier = new UsernameTokenVerifier({ username: options.username, password: options.password });
  let databaseAvailable = true;
  const wsdlXml = readPermitWsdl();

  const serveWsdl = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const host = req.headers.host;
    const location = host && SAFE_HOST.test(host) ? `http://${host}${PERMIT_SOAP_PATH}` : WSDL_DEFAULT_LOCATION;
    const xml = wsdlXml.replace(WSDL_DEFAULT_LOCATION, location);
    res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8', 'content-length': Buffer.byteLength(xml) });
    res.end(xml);
  };

  const serveSoap = async (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => {
    const contentType = req.headers['content-type'] ?? '';
    if (!contentType.toLowerCase().startsWith('text/xml')) {
      res.writeHead(415, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('SOAP 1.1 requests must be sent as text/xml');
      return;
    }
    const server = await ready;
    const answer = await server.processRequest(body.toString('utf8'), {
      url: req.url,
      method: 'POST',
      headers: req.headers,
    });
    const xml = answer.body.trimStart().startsWith('<') ? answer.body : UNDISPATCHABLE_FAULT;
    res.writeHead(xml === answer.body ? answer.statusCode : 500, { 'content-type': 'text/xml; charset=utf-8', 'content-length': Buffer.byteLength(xml) });
    res.end(xml);
  };

  const changeStatus = (applicationNumber: string, body: Buffer) => {
    const input = parseJsonObject(body);
    const status = input.status;
    if (typeof status !== 'string' || !(APPLICATION_STATUSES as readonly string[]).includes(status)) {
      throw new AdminError(400, 'INVALID_BODY', `status must be one of ${APPLICATION_STATUSES.join(', ')}`);
    }
    for (const field of ['officerNip', 'notes', 'at'] as const) {
      if (input[field] !== undefined && typeof input[field] !== 'string') throw new AdminError(400, 'INVALID_BODY', `${field} must be a string`);
    }
    let at: Date | undefined;
    if (typeof input.at === 'string') {
      at = new Date(input.at);
      if (Number.isNaN(at.getTime())) throw new AdminError(400, 'INVALID_BODY', 'at must be an ISO-8601 date-time');
    }
    const change = store.changeStatus(decodeURIComponent(applicationNumber), {
      status: status as ApplicationStatus,
      officerNip: input.officerNip as string | undefined,
      notes: input.notes as string | undefined,
      at,
    });
    return {
      application: applicationWire(change.application),
      change: { sequence: change.sequence, changeType: change.changeType, previousStatus: change.previousStatus, changedAt: formatWib(change.changedAt) },
    };
  };

  const handler = async (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://simperda.invalid');
    const path = url.pathname.replace(/\/$/, '');

    if (path === PERMIT_SOAP_PATH) {
      if (req.method === 'GET' && url.search.toLowerCase().startsWith('?wsdl')) return serveWsdl(req, res);
      if (req.method === 'POST') return serveSoap(req, res, body);
      res.writeHead(405, { allow: 'GET, POST', 'content-type': 'text/plain; charset=utf-8' });
      res.end('POST a SOAP 1.1 envelope, or GET ?wsdl');
      return;
    }

    try {
      const adminStatus = ADMIN_STATUS_ROUTE.exec(path);
      if (adminStatus && req.method === 'POST') return sendJson(res, 200, changeStatus(adminStatus[1]!, body));
      if (path === '/__admin/database' && req.method === 'POST') {
        const { available } = parseJsonObject(body);
        if (typeof available !== 'boolean') throw new AdminError(400, 'INVALID_BODY', 'available must be a boolean');
        databaseAvailable = available;
        return sendJson(res, 200, { available });
      }
      if (path === '/__admin/database' && req.method === 'GET') return sendJson(res, 200, { available: databaseAvailable });
      return sendJson(res, 404, { error: 'NOT_FOUND', message: 'no such route' });
    } catch (err) {
      if (err instanceof AdminError) return sendJson(res, err.status, { error: err.code, message: err.message });
      if (err instanceof PermitRuleError) return sendJson(res, RULE_STATUS[err.code], { error: err.code, message: err.message });
      throw err;
    }
  };

  const sim = createSimulator({ name: 'permit-soap', handler, faults: options.faults });

  const ready = new Promise<soap.Server>((resolve, reject) => {
    const server = soap.listen(null, {
      path: PERMIT_SOAP_PATH,
      services: createPermitServices({ store, stats: sim.stats, databaseAvailable: () => databaseAvailable }),
      xml: wsdlXml,
      suppressStack: true,
      callback: (err?: Error | null) => (err ? reject(err) : resolve(server)),
    });
    // node-soap calls this hook with the parsed envelope before dispatching, so it is where requests are
    // refused. Its own refusal is a SOAP 1.2-shaped fault with HTTP 401, and a request for an operation
    // the WSDL lacks makes it answer a bare-text 500; throwing a fault object instead makes it answer a
    // proper SOAP 1.1 soap:Client fault in both cases.
    server.authenticate = (security: unknown, _done?: unknown, req?: { headers?: Record<string, unknown> }, envelope?: unknown) => {
      const check = verifier.verify(security);
      if (!check.ok) {
        sim.stats.record('!unauthorized');
        throw toSoapFault(new PermitFault('Client', 'AUTHENTICATION_FAILED', `Authentication failed: ${check.reason}`));
      }
      const operation = requestedOperation(envelope, req?.headers?.soapaction);
      if (!operation.ok) throw toSoapFault(new PermitFault('Client', operation.code, operation.message));
      return true;
    };
  });
  // A broken WSDL is reported on the first SOAP call; this keeps it from also being an unhandled rejection.
  ready.catch(() => undefined);

  return Object.assign(sim, {
    store,
    endpoint: () => `${sim.url()}${PERMIT_SOAP_PATH}`,
    setDatabaseAvailable(available: boolean) {
      databaseAvailable = available;
    },
  });
}
