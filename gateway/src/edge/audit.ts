import type { ApolloServerPlugin } from '@apollo/server';
import type { AccessLog, AccessLogEntry } from '@gerbang/common';
import type { GatewayContext } from '../context';
import type { PersonalSelection } from './access';

/**
 * The personal-data access log (UU PDP 27/2022: who read which personal fields, when; a breach
 * must be reported within 3×24 h, so the log must say). Every response that carries a personal
 * field (PERSONAL_FIELDS) appends one entry: subject, roles, client, operation, fields, number of
 * records, request id, time. The table is append-only: a trigger refuses UPDATE, DELETE and
 * TRUNCATE, and PUBLIC has no rights on it.
 *
 * Entries are written in small batches off the response path (flushed every `flushMs` or at
 * `batchSize`), so a read is never slowed by the log; `close()` flushes what is left. The response
 * has gone by then, so a failed write cannot refuse it: the entry goes to the error log instead
 * (fail open). The subgraphs' own entries, which name each record read by someone other than its
 * owner, are written before the value is served and refuse it when they cannot be (fail closed).
 */
// The fields are PERSONAL_FIELDS (config.ts). The log itself (the table, its migrations, the
// batched writer) is shared with the subgraphs that record their own reads of personal data:
// @gerbang/common's access-log.ts. Its admin route: access-log-route.ts.

/** Records in the response that carry at least one personal value, per parent object. */
export function countPersonalRecords(data: unknown, selections: PersonalSelection[]): number {
  let n = 0;
  for (const sel of selections) {
    let level: unknown[] = [data];
    for (const key of sel.path) {
      const next: unknown[] = [];
      for (const v of level) collect((v as Record<string, unknown> | null)?.[key], next);
      level = next;
    }
    for (const obj of level) {
      if (obj && typeof obj === 'object' && sel.keys.some((k) => (obj as Record<string, unknown>)[k] != null)) n++;
    }
  }
  return n;
}

function collect(v: unknown, into: unknown[]): void {
  if (Array.isArray(v)) for (const x of v) collect(x, into);
  else if (v !== null && v !== undefined) into.push(v);
}

/** Appends an entry for every response that returned personal fields. */
export function auditPlugin(log: AccessLog): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse(rc) {
          const access = rc.contextValue.access;
          if (!access?.personal.length || rc.response.body.kind !== 'single') return;
          const data = rc.response.body.singleResult.data;
          if (!data) return;
          const records = countPersonalRecords(data, access.personal);
          if (!records) return;
          const { caller, requestId, clientName } = rc.contextValue;
          const entry: AccessLogEntry = {
            at: new Date(),
            requestId,
            subject: caller.sub ?? null,
            roles: caller.roles,
            clientName: clientName ?? null,
            operationName: rc.operationName ?? null,
            fields: access.personalFields,
            records,
            source: 'gateway',
          };
          log.append(entry);
          rc.contextValue.logger.info({ audit: 'personal-data-read', fields: entry.fields, records, subject: entry.subject }, 'personal data read');
        },
      };
    },
  };
}
