import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/** Asia/Jakarta (WIB) has no daylight saving: a fixed +07:00 offset. */
export const JAKARTA_OFFSET_MINUTES = 7 * 60;

/** ISO-8601 with the Asia/Jakarta offset, e.g. 2026-11-26T09:15:00+07:00 (the clients' convention). */
export function toJakartaIso(date: Date): string {
  const shifted = new Date(date.getTime() + JAKARTA_OFFSET_MINUTES * 60_000);
  return `${shifted.toISOString().slice(0, 19)}+07:00`;
}

/** The `YYYY-MM` month a moment falls in, on the Asia/Jakarta calendar. */
export function jakartaMonth(date: Date): string {
  return toJakartaIso(date).slice(0, 7);
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant, as ISO-8601 with offset (served in Asia/Jakarta, +07:00).',
  serialize(value) {
    const d = value instanceof Date ? value : new Date(value as string);
    if (Number.isNaN(d.getTime())) throw new GraphQLError('DateTime cannot represent an invalid date');
    return toJakartaIso(d);
  },
  parseValue(value) {
    return parseIso(value);
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string');
    return parseIso(ast.value);
  },
});

function parseIso(value: unknown): Date {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw new GraphQLError('DateTime must be ISO-8601 with an offset, e.g. 2026-11-26T09:15:00+07:00', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return new Date(value);
}
