import type { ApolloServer } from '@apollo/server';
import { toHeaderMap, writeGraphQLResponse, type Logger } from '@gerbang/common';
import type { GatewayContext } from '../context';
import { callerOf, type EdgeStep } from './step';

/**
 * The last step: Apollo Server parses, validates, authorizes (@authenticated/@requiresScopes/@policy), plans and runs the
 * operation through the signed data sources; the answer is written in the media type asked for.
 */
export function executeStep(apollo: ApolloServer<GatewayContext>, logger: Logger): EdgeStep {
  return {
    name: 'execute',
    async run(ctx) {
      const { req, requestId, clientName } = ctx;
      const caller = callerOf(ctx);
      const callerHeader = ctx.callerHeader;
      if (callerHeader === undefined) throw new Error('no caller header: the client context step must run before execution');
      const result = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers: toHeaderMap(req.headers), search: ctx.url.search, body: ctx.body },
        context: async () => ({ requestId, caller, callerHeader, logger: logger.child({ requestId }), ...(clientName ? { clientName } : {}) }),
      });
      for (const hook of ctx.beforeWrite) hook(result);
      await writeGraphQLResponse(ctx.res, result, ctx.baseHeaders);
    },
  };
}
