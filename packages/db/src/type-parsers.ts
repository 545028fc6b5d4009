// One set of value conversions for both drivers, so a row reads the same whichever database runs.
// PGlite's own defaults are the model (they are what an embedded user sees first); postgres.js
// is configured to match them, and PGlite is given the same functions so a PGlite upgrade cannot
// drift away silently.

/** Postgres type oids this package converts. */
export const PG_TYPES = {
  int8: 20,
  json: 114,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
  jsonb: 3802,
} as const;

/** int8 (bigint, count(*)) → a JS number; beyond 2^53 a bigint rather than a silently wrong number. */
export function parseInt8(text: string): number | bigint {
  const value = BigInt(text);
  return value < Number.MIN_SAFE_INTEGER || value > Number.MAX_SAFE_INTEGER ? value : Number(value);
}

/** timestamptz, timestamp and date → a Date (millisecond precision); 'infinity' → ±Infinity. */
export function parseTimestamp(text: string): Date | number {
  if (text === 'infinity') return Number.POSITIVE_INFINITY;
  if (text === '-infinity') return Number.NEGATIVE_INFINITY;
  return new Date(text);
}

/** A Date (or ISO string, or epoch millis) → the ISO text both servers accept for timestamptz. */
export function serializeTimestamp(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') {
    if (value === Number.POSITIVE_INFINITY) return 'infinity';
    if (value === Number.NEGATIVE_INFINITY) return '-infinity';
    return new Date(value).toISOString();
  }
  return String(value);
}

/** Any JS value → json text; a string is a JSON string (not raw JSON text), bigints become decimal strings. */
export function serializeJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item));
}

/** json / jsonb text → its JS value. */
export function parseJson(text: string): unknown {
  return JSON.parse(text);
}

/** The parsers, keyed by type oid, in the form PGlite takes them. */
export const pgliteParsers: Record<number, (text: string) => unknown> = {
  [PG_TYPES.int8]: parseInt8,
  [PG_TYPES.date]: parseTimestamp,
  [PG_TYPES.timestamp]: parseTimestamp,
  [PG_TYPES.timestamptz]: parseTimestamp,
  [PG_TYPES.json]: parseJson,
  [PG_TYPES.jsonb]: parseJson,
};

/** The serializers, keyed by type oid, in the form PGlite takes them. */
export const pgliteSerializers: Record<number, (value: unknown) => string> = {
  [PG_TYPES.date]: serializeTimestamp,
  [PG_TYPES.timestamp]: serializeTimestamp,
  [PG_TYPES.timestamptz]: serializeTimestamp,
  [PG_TYPES.json]: serializeJson,
  [PG_TYPES.jsonb]: serializeJson,
};

/** The same conversions as postgres.js custom types (array types follow from the element type). */
export const postgresJsTypes = {
  int8: { to: PG_TYPES.int8, from: [PG_TYPES.int8], parse: parseInt8, serialize: (value: unknown) => String(value) },
  timestamp: {
    to: PG_TYPES.timestamptz,
    from: [PG_TYPES.date, PG_TYPES.timestamp, PG_TYPES.timestamptz],
    parse: parseTimestamp,
    serialize: serializeTimestamp,
  },
  json: { to: PG_TYPES.jsonb, from: [PG_TYPES.json, PG_TYPES.jsonb], parse: parseJson, serialize: serializeJson },
};
