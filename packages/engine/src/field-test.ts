import type { FieldTest, Scalar } from '@nurtureflow/scenario';

type Value = Scalar | readonly Scalar[] | undefined;

/** Own property only: a field named `constructor` must not find Object.prototype's. */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** A number from a number or a numeric string ("100" from a CSV import compares as 100). */
function numeric(v: Scalar | undefined): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isNaN(n) ? null : n;
  }
  return null;
}

function same(a: Scalar | undefined, b: Scalar): boolean {
  if (a === b) return true;
  if (typeof a === typeof b || a === undefined || a === null || b === null) return false;
  const x = numeric(a);
  const y = numeric(b);
  return x !== null && x === y;
}

function order(a: Scalar | undefined, b: Value): number | null {
  if (b === undefined || Array.isArray(b)) return null;
  const x = numeric(a);
  const y = numeric(b as Scalar);
  if (x !== null && y !== null) return x - y;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return null;
}

/**
 * One test on one field's value. Numbers and numeric strings compare as numbers, other strings
 * in code-point order (so ISO dates order correctly); `contains` ignores case; a missing field
 * fails every test except `neq`, `notIn` and `notExists`.
 */
export function matchFieldTest(test: FieldTest, actual: Scalar | undefined): boolean {
  const expected = test.value;
  switch (test.op) {
    case 'eq':
      return expected !== undefined && !Array.isArray(expected) && same(actual, expected as Scalar);
    case 'neq':
      return !(expected !== undefined && !Array.isArray(expected) && same(actual, expected as Scalar));
    case 'gt': {
      const c = order(actual, expected);
      return c !== null && c > 0;
    }
    case 'gte': {
      const c = order(actual, expected);
      return c !== null && c >= 0;
    }
    case 'lt': {
      const c = order(actual, expected);
      return c !== null && c < 0;
    }
    case 'lte': {
      const c = order(actual, expected);
      return c !== null && c <= 0;
    }
    case 'in':
      return Array.isArray(expected) && (expected as readonly Scalar[]).some((e) => same(actual, e));
    case 'notIn':
      return !(Array.isArray(expected) && (expected as readonly Scalar[]).some((e) => same(actual, e)));
    case 'contains':
      return (
        typeof actual === 'string' &&
        expected !== undefined &&
        expected !== null &&
        !Array.isArray(expected) &&
        actual.toLowerCase().includes(String(expected).toLowerCase())
      );
    case 'exists':
      return actual !== undefined && actual !== null && actual !== '';
    case 'notExists':
      return actual === undefined || actual === null || actual === '';
  }
}

/** True when every test passes on the record (an event's data, say). */
export function matchFieldTests(tests: readonly FieldTest[], record: Readonly<Record<string, Scalar>>): boolean {
  for (let i = 0; i < tests.length; i++) {
    const t = tests[i]!;
    if (!matchFieldTest(t, own(record, t.field))) return false;
  }
  return true;
}
