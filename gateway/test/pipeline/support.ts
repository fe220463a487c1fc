import http from 'node:http';
import { Socket } from 'node:net';
import { ANONYMOUS, type Caller } from '@gerbang/common';
import { EdgeRefusal } from '../../src/edge/refusal';
import { newEdgeContext, type EdgeContext, type EdgeStep } from '../../src/pipeline/step';

/** What a step wrote, in place of a socket. */
export class RecordedResponse {
  statusCode = 200;
  headersSent = false;
  headers: Record<string, unknown> = {};
  body = '';
  writeHead(status: number, headers: Record<string, unknown> = {}) {
    this.statusCode = status;
    Object.assign(this.headers, headers);
    this.headersSent = true;
    return this;
  }
  write(chunk: string) {
    this.body += chunk;
    return true;
  }
  end(chunk?: string) {
    if (chunk) this.body += chunk;
    return this;
  }
}

/** A request as the gateway's server hands it over: method, headers, and (POST) a body already sent. */
export function request(options: { method?: string; headers?: Record<string, string>; body?: string; search?: string } = {}): { ctx: EdgeContext; res: RecordedResponse } {
  const req = new http.IncomingMessage(new Socket());
  req.method = options.method ?? 'POST';
  req.headers = { 'content-type': 'application/json', ...options.headers };
  if (options.body !== undefined) req.push(options.body);
  req.push(null);
  const res = new RecordedResponse();
  const ctx = newEdgeContext({
    req,
    res: res as unknown as http.ServerResponse,
    url: new URL(`/graphql${options.search ?? ''}`, 'http://gateway.invalid'),
    requestId: 'req-1',
    baseHeaders: { 'x-request-id': 'req-1' },
    address: '203.0.113.7',
    clientName: options.headers?.['apollographql-client-name'],
  });
  return { ctx, res };
}

export const citizen: Caller = { sub: 'citizen-1', roles: ['citizen'] };
export const anonymous: Caller = ANONYMOUS;

/** Runs one step; `next` records that the request was passed on. */
export async function runStep(step: EdgeStep, ctx: EdgeContext): Promise<{ passed: boolean }> {
  let passed = false;
  await step.run(ctx, async () => {
    passed = true;
  });
  return { passed };
}

/** The refusal a step threw, for its status, code and extensions. */
export async function refusalOf(work: Promise<unknown>): Promise<EdgeRefusal> {
  try {
    await work;
  } catch (err) {
    if (err instanceof EdgeRefusal) return err;
    throw err;
  }
  throw new Error('expected a refusal, the step passed');
}
