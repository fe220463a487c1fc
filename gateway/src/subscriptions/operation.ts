import {
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  OperationTypeNode,
  print,
  validate,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
} from 'graphql';
import type { ChangeScope } from './changes';

const LIVE_FIELDS = ['myTicketUpdates', 'ticketUpdated', 'agencyTicketQueue'] as const;
type LiveField = (typeof LIVE_FIELDS)[number];
/** The variable carrying the ticket id of each event in the query derived from a subscription. */
export const TICKET_VARIABLE = 'gerbangLiveTicketId';

/** A validated subscription and the query that resolves each of its events through the supergraph. */
export interface PreparedSubscription {
  field: LiveField;
  /** The root field's response key (its alias, or its name). */
  responseKey: string;
  scope: ChangeScope;
  /** The `after` argument, if given. */
  after: string | null;
  operationName?: string;
  /**
   * `query <name>($gerbangLiveTicketId: ID!, …) { <responseKey>: ticket(id: $gerbangLiveTicketId) { <the subscription's selection> } }`
   * with the fragments it uses: planned and executed by the gateway like any query, so federated
   * fields come from their subgraphs, an agency down nulls only its view, and the authorization directives apply.
   */
  query: string;
  /** The subscription's variables the derived query still uses. */
  variables: Record<string, unknown>;
}

const error = (code: string, message: string, extensions: Record<string, unknown> = {}) => new GraphQLError(message, { extensions: { ...extensions, code } });

/**
 * Parses nothing (the transports parse), validates against the gateway's API schema, and derives
 * the per-event query. Returns the errors to refuse with, each with a stable code.
 */
export function prepareSubscription(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined | null,
  variables: Record<string, unknown> | undefined | null,
): PreparedSubscription | GraphQLError[] {
  const validation = validate(schema, document);
  if (validation.length) return validation.map((e) => new GraphQLError(e.message, { nodes: e.nodes ?? [], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation)
    return [
      error('OPERATION_RESOLUTION_FAILURE', operationName ? `The document holds no operation named "${operationName.slice(0, 100)}".` : 'Name the operation to run: the document holds more than one.'),
    ];
  if (operation.operation !== 'subscription') {
    return [error('BAD_REQUEST', 'Over WebSocket and SSE the gateway serves subscriptions only: send queries and mutations with POST or GET /graphql.', { operation: operation.operation })];
  }
  const [root] = operation.selectionSet.selections;
  if (operation.selectionSet.selections.length !== 1 || root?.kind !== Kind.FIELD) {
    return [error('BAD_REQUEST', 'Select one subscription field directly (no fragment at the root).')];
  }
  const field = root.name.value as LiveField;
  const subscriptionType = schema.getSubscriptionType();
  const fieldDef = subscriptionType?.getFields()[field];
  if (!fieldDef || !LIVE_FIELDS.includes(field)) return [error('BAD_REQUEST', `The gateway does not serve the subscription field "${field}".`)];
  if (root.directives?.length) return [error('BAD_REQUEST', 'Directives on the subscription field are not supported.')];

  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
  if (coerced.errors) return coerced.errors.map((e) => new GraphQLError(e.message, { extensions: { code: 'BAD_USER_INPUT' } }));
  const args = getArgumentValues(fieldDef, root, coerced.coerced) as { after?: string | null; id?: string; agencyId?: string };
  const after = args.after ?? null;
  if (after !== null && !/^\d{1,19}$/.test(after)) return [error('BAD_USER_INPUT', '`after` must be a `changeCursor` from an earlier event.', { field: 'after' })];
  const scope: ChangeScope =
    field === 'myTicketUpdates' ? { scope: 'mine' } : field === 'ticketUpdated' ? { scope: 'ticket', ticketId: String(args.id) } : { scope: 'agency', agencyId: String(args.agencyId) };

  const responseKey = root.alias?.value ?? field;
  const derivedField: FieldNode = {
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: responseKey },
    name: { kind: Kind.NAME, value: 'ticket' },
    arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'id' }, value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: TICKET_VARIABLE } } }],
    directives: [],
    ...(root.selectionSet ? { selectionSet: root.selectionSet } : {}),
  };
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const usedFragments = new Map<string, FragmentDefinitionNode>();
  const usedVariables = new Set<string>();
  const collect = (node: SelectionSetNode | FragmentDefinitionNode | FieldNode) =>
    visit(node, {
      Variable: (v) => void usedVariables.add(v.name.value),
      FragmentSpread: (s) => {
        const name = s.name.value;
        const fragment = fragments.get(name);
        if (fragment && !usedFragments.has(name)) {
          usedFragments.set(name, fragment);
          collect(fragment);
        }
      },
    });
  if (root.selectionSet) collect(root.selectionSet);
  const variableDefinitions: VariableDefinitionNode[] = [
    {
      kind: Kind.VARIABLE_DEFINITION,
      variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: TICKET_VARIABLE } },
      type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } },
      directives: [],
    },
    ...(operation.variableDefinitions ?? []).filter((d) => usedVariables.has(d.variable.name.value)),
  ];
  const derived: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: OperationTypeNode.QUERY,
    ...(operation.name ? { name: operation.name } : {}),
    variableDefinitions,
    directives: [],
    selectionSet: { kind: Kind.SELECTION_SET, selections: [derivedField] },
  };
  const kept: Record<string, unknown> = {};
  for (const name of usedVariables) if (variables && name in variables) kept[name] = variables[name];
  return {
    field,
    responseKey,
    scope,
    after,
    ...(operation.name ? { operationName: operation.name.value } : {}),
    query: print({ kind: Kind.DOCUMENT, definitions: [derived, ...usedFragments.values()] }),
    variables: kept,
  };
}
