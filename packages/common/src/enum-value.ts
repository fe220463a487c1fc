/**
 * A string from storage or an agency's system as a member of a GraphQL enum (a TypeScript string
 * enum registered with type-graphql), checked: a value the enum does not have is a bug or a changed
 * upstream, reported as such (and masked for clients) rather than passed on for serialisation to fail.
 */
export function enumValue<E extends Record<string, string>>(values: E, value: string, what: string): E[keyof E] {
  if (!Object.values<string>(values).includes(value)) throw new Error(`${what}: unknown value ${JSON.stringify(value)}`);
  return value as E[keyof E];
}
