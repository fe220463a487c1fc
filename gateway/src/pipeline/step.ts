import type http from 'node:http';
import type { HTTPGraphQLResponse } from '@apollo/server';
import type { Caller } from '@gerbang/common';
import type { Analysis } from '../edge/analysis';
import { BatchRefusal, EdgeRefusal } from '../edge/refusal';
import type { EdgeOperation } from '../edge/request';

/** One GraphQL operation of the request, and what the steps have learnt about it. */
interface PipelineOperation {
  readonly op: EdgeOperation;
  /** The analysis step's figures of its text (absent when it has no text). */
  analysis?: Analysis;
  /** The operation that runs: the one named, or the document's only one. */
  name?: string | undefined;
  /** In a batch: why a step refused this operation (the later steps skip it; `batchRefusals` answers). */
  refusal?: EdgeRefusal;
}

/**
 * What one GraphQL request carries through the edge pipeline. The router fills the first block;
 * each step fills what it owns (identity: `caller`; body: `body`, `operations`, `batch`; analysis:
 * `operations[].analysis`; operation: `mutation`; client context: `callerHeader`).
 */
export interface EdgeContext {
  readonly req: http.IncomingMessage;
  readonly res: http.ServerResponse;
  readonly url: URL;
  readonly requestId: string;
  /** Headers every answer carries (request id, CORS). */
  readonly baseHeaders: Record<string, string>;
  /** The client's address (TRUST_PROXY applied). */
  readonly address: string;
  /** apollographql-client-name, when the client sent one. */
  readonly clientName: string | undefined;
  /** The operation's label on metrics and the request log: 'anonymous' until the operation step names it. */
  operationLabel: string;
  caller?: Caller;
  body?: unknown;
  operations: PipelineOperation[];
  batch: boolean;
  mutation: boolean;
  /** The caller as signed into every subgraph call. */
  callerHeader?: string;
  /** Run on Apollo Server's response before it is written (the response cache marks and stores it). */
  readonly beforeWrite: ((result: HTTPGraphQLResponse) => void)[];
}

/**
 * The one contract of the edge: a named step that refuses by throwing an EdgeRefusal, answers by
 * writing the response and not calling `next`, or passes the request on with `next()` (and may
 * act once the rest has run: admission releases its slot, the response cache hands the answer on).
 */
export interface EdgeStep {
  readonly name: string;
  run(ctx: EdgeContext, next: () => Promise<void>): Promise<void>;
}

/** A step that only checks or fills in, then passes the request on. */
export function check(name: string, fn: (ctx: EdgeContext) => void | Promise<void>): EdgeStep {
  return {
    name,
    async run(ctx, next) {
      await fn(ctx);
      return next();
    },
  };
}

/**
 * The steps in order, as one handler. A step may call `next` at most once. An entry that is
 * `false` or `undefined` is a step turned off by configuration (no rate limits, no admission).
 */
export function composeSteps(list: readonly (EdgeStep | false | undefined)[]): ((ctx: EdgeContext) => Promise<void>) & { steps: readonly EdgeStep[] } {
  const steps = list.filter((s): s is EdgeStep => !!s);
  const dispatch = (ctx: EdgeContext, i: number): Promise<void> => {
    const step = steps[i];
    return step ? step.run(ctx, () => dispatch(ctx, i + 1)) : Promise.resolve();
  };
  return Object.assign((ctx: EdgeContext) => dispatch(ctx, 0), { steps });
}

export function newEdgeContext(fields: Pick<EdgeContext, 'req' | 'res' | 'url' | 'requestId' | 'baseHeaders' | 'address' | 'clientName'>): EdgeContext {
  return { ...fields, operationLabel: 'anonymous', operations: [], batch: false, mutation: false, beforeWrite: [] };
}

/**
 * Runs a per-operation check on each operation not refused yet, in the order they were sent. A
 * single operation's refusal is the request's at once. In a batch, an operation's refusal is kept
 * on it and the others are still judged, so that the `batchRefusals` step can answer with every
 * refused operation in order, whichever step refused it (not the first step to find some fault).
 */
export async function forEachOperation(ctx: EdgeContext, fn: (entry: PipelineOperation) => void | Promise<void>): Promise<void> {
  for (const entry of ctx.operations) {
    if (entry.refusal) continue;
    try {
      await fn(entry);
    } catch (err) {
      if (!ctx.batch || !(err instanceof EdgeRefusal)) throw err;
      entry.refusal = err;
    }
  }
}

/**
 * After the per-operation steps: a batch with any refused operation is refused as a whole (nothing
 * in it runs), with one error per refused operation in batch order, each naming its `batchIndex`.
 */
export const batchRefusals = check('batch refusals', (ctx) => {
  const refused = ctx.operations.flatMap((entry, index) => (entry.refusal ? [{ index, refusal: entry.refusal }] : []));
  if (refused.length) throw new BatchRefusal(refused);
});

/** The caller the identity step established; a pipeline without that step is a programming error. */
export function callerOf(ctx: EdgeContext): Caller {
  if (!ctx.caller) throw new Error('no caller: the identity step must run before this one');
  return ctx.caller;
}
