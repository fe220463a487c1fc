import { getOperationAST, parse, type DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';

/**
 * Subgraph fetches the query planner builds repeat (one text per plan step), so their kind is
 * remembered by text rather than parsed on every call.
 */
const mutationByText = new LRUCache<string, boolean>({ max: 5_000 });

/**
 * Whether a subgraph fetch is a mutation, from its parsed operation: the planner's document when
 * @apollo/gateway hands it over, else the parsed text. A text that does not parse, or names no
 * operation of its document, counts as a mutation, so it is never shared between callers.
 */
export function isMutationFetch(query: string, operationName?: string | null, document?: DocumentNode): boolean {
  if (document) return getOperationAST(document, operationName)?.operation !== 'query';
  const key = `${operationName ?? ''}\u0000${query}`;
  const known = mutationByText.get(key);
  if (known !== undefined) return known;
  let mutation = true;
  try {
    mutation = getOperationAST(parse(query, { noLocation: true }), operationName)?.operation !== 'query';
  } catch {
    // Not parseable: the subgraph will say so; nothing to share meanwhile.
  }
  mutationByText.set(key, mutation);
  return mutation;
}
