// Hostile input for fuzz tests of everything that reads what a stranger sends: strings an attacker
// or a broken client would try (SQL and template injection, spreadsheet formulas, prototype keys,
// NUL, lone surrogates, huge text), JSON with those as keys and values, and nesting deep enough to
// overflow a recursive reader.
import fc, { type Arbitrary } from 'fast-check';

/** Keys that would replace or reach an object's prototype if a reader assigned them blindly. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Strings an attacker tries first, one of each family. */
export const HOSTILE_STRINGS: readonly string[] = [
  ...PROTOTYPE_KEYS,
  'toString',
  'hasOwnProperty',
  "'; DROP TABLE leads; --",
  "' OR '1'='1",
  '1; select pg_sleep(10)',
  '$1',
  "\\'",
  '{{ 7 | times: 7 }}',
  "{% include '/etc/passwd' %}",
  '{{ lead.email | append: "@evil.example" }}',
  '${process.env}',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "=cmd|' /C calc'!A0",
  '=HYPERLINK("https://evil.example","click")',
  '+1+1',
  '-2+3',
  '@SUM(1,1)',
  '\t=1+1',
  '\r=1+1',
  '＝1+1',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '\uFEFF',
  '\u202Eevil',
  '../../etc/passwd',
  '%00',
  'null',
  '',
  ' ',
  '株式会社テスト',
  'ｶﾌﾞｼｷｶﾞｲｼｬ',
];

/** Any string, including lone surrogates and control characters, mostly short. */
export function anyString(maxLength = 40): Arbitrary<string> {
  return fc.oneof(fc.string({ maxLength }), fc.string({ unit: 'binary', maxLength }), fc.string({ unit: 'grapheme', maxLength }));
}

/** Text of `min` to `max` repetitions of a short piece: longer than any field allows. */
export function hugeString(min = 1_000, max = 300_000): Arbitrary<string> {
  return fc.tuple(fc.constantFrom('x', 'あ', '=', '{{', '\uD83D\uDE00'), fc.integer({ min, max })).map(([s, n]) => s.repeat(n));
}

/** A hostile string: a known attack, random text, or text far longer than any field allows (up to `hugeMax` pieces). */
export function hostileString(hugeMax = 300_000): Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...HOSTILE_STRINGS), weight: 4 },
    { arbitrary: anyString(), weight: 3 },
    { arbitrary: fc.tuple(fc.constantFrom(...HOSTILE_STRINGS), anyString(8)).map(([a, b]) => a + b), weight: 2 },
    { arbitrary: hugeString(Math.min(1_000, hugeMax), hugeMax), weight: 1 },
  );
}

/** An object key: a prototype key, another hostile string, or a plain name. */
export function hostileKey(): Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...PROTOTYPE_KEYS), weight: 3 },
    { arbitrary: fc.constantFrom(...HOSTILE_STRINGS), weight: 2 },
    { arbitrary: fc.string({ maxLength: 12 }), weight: 3 },
  );
}

/** A JSON scalar a client could send, odd numbers included. */
export function hostileScalar(hugeMax = 20_000): Arbitrary<unknown> {
  return fc.oneof(
    hostileString(hugeMax),
    fc.constantFrom(null, true, false, 0, -0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, -(2 ** 31) - 1),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
  );
}

/**
 * JSON values with hostile keys and values (strings up to `hugeMax` pieces long). Objects are built
 * with Object.fromEntries, so a `__proto__` key is an own property, as JSON.parse makes it.
 */
export function hostileJson(maxDepth = 4, hugeMax = 20_000): Arbitrary<unknown> {
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth },
      hostileScalar(hugeMax),
      fc.array(tie('value'), { maxLength: 5 }),
      fc.array(fc.tuple(hostileKey(), tie('value')), { maxLength: 6 }).map((entries) => Object.fromEntries(entries)),
    ),
  }));
  return value;
}

/** `value` with `key` set as an own property (a `__proto__` key stays a key, as JSON.parse keeps it). */
export function withKey(value: Record<string, unknown>, key: string, item: unknown): Record<string, unknown> {
  return Object.fromEntries([...Object.entries(value), [key, item]]);
}

/**
 * JSON text nested `depth` levels deep (objects under `key`, or arrays), around `inner`: deep
 * enough to overflow any reader that recurses once per level.
 */
export function deeplyNestedText(depth: number, shape: 'object' | 'array', inner = 'null', key = 'not'): string {
  return shape === 'object' ? `${`{${JSON.stringify(key)}:`.repeat(depth)}${inner}${'}'.repeat(depth)}` : `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;
}

/** Nesting depths worth trying: around typical limits, and far past any stack. */
export function hostileDepth(): Arbitrary<number> {
  return fc.oneof(fc.integer({ min: 30, max: 200 }), fc.constantFrom(1_000, 10_000, 100_000));
}

/** A document with a path set to `item`, copying objects on the way (keys as own properties). */
export function setPath(doc: unknown, path: readonly string[], item: unknown): unknown {
  if (path.length === 0) return item;
  const [head, ...rest] = path as [string, ...string[]];
  const base = typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>) : {};
  return withKey(base, head, setPath(base[head], rest, item));
}

/** Every path of objects in a JSON value, down to `maxDepth`, so a fuzz test can aim at any field. */
export function objectPaths(doc: unknown, maxDepth = 6, prefix: string[] = []): string[][] {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || prefix.length >= maxDepth) return [];
  const out: string[][] = [];
  for (const [key, item] of Object.entries(doc)) {
    out.push([...prefix, key]);
    out.push(...objectPaths(item, maxDepth, [...prefix, key]));
  }
  return out;
}

/**
 * Throws when anything reached Object.prototype (or Array's): a pollution that would change every
 * object in the process. Call after each run of a fuzz test.
 */
export function assertPrototypesClean(): void {
  for (const [name, proto] of [
    ['Object.prototype', Object.prototype],
    ['Array.prototype', Array.prototype],
  ] as const) {
    const pristine = PRISTINE.get(proto) ?? new Set<string>();
    const extra = Object.getOwnPropertyNames(proto).filter((k) => !pristine.has(k));
    if (extra.length > 0) throw new Error(`${name} was polluted with ${extra.join(', ')}`);
  }
}

const PRISTINE = new Map<object, Set<string>>([
  [Object.prototype, new Set(Object.getOwnPropertyNames(Object.prototype))],
  [Array.prototype, new Set(Object.getOwnPropertyNames(Array.prototype))],
]);
