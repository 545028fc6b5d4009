// Reading the format's zod schemas to build forms from them: which widget a field needs, its
// options and bounds, and the value a new item starts with. The forms follow the schemas, so a
// field added to a node kind appears in the inspector without touching the editor.
import { conditionSchema, durationSchema, nodeSchema, timeOfDaySchema, type Condition, type NodeKind } from '@nurtureflow/scenario';
import type { z } from 'zod';

type Schema = z.ZodType;

/** The parts of zod's internal definition the forms read. */
interface Def {
  type: string;
  innerType?: Schema;
  defaultValue?: unknown;
  shape?: Record<string, Schema>;
  entries?: Record<string, string | number>;
  options?: readonly Schema[];
  discriminator?: string;
  element?: Schema;
  getter?: () => Schema;
  values?: readonly unknown[];
  in?: Schema;
}

/** zod's definition of a schema. */
export function defOf(schema: Schema): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** A schema without its optional / default / nullable wrappers, and what they said. */
export interface Unwrapped {
  schema: Schema;
  optional: boolean;
  nullable: boolean;
  hasDefault: boolean;
  defaultValue: unknown;
}

/** Peels optional, default, nullable and readonly wrappers off a schema. */
export function unwrap(schema: Schema): Unwrapped {
  let s = schema;
  let optional = false;
  let nullable = false;
  let hasDefault = false;
  let defaultValue: unknown;
  for (;;) {
    const d = defOf(s);
    if (d.type === 'optional' && d.innerType) optional = true;
    else if (d.type === 'nullable' && d.innerType) nullable = true;
    else if ((d.type === 'default' || d.type === 'prefault') && d.innerType) {
      if (!hasDefault) defaultValue = structuredClone(d.defaultValue);
      hasDefault = true;
    } else if (d.type === 'readonly' && d.innerType) {
      /* nothing to record */
    } else break;
    s = d.innerType as Schema;
  }
  return { schema: s, optional, nullable, hasDefault, defaultValue };
}

/** The widget a (unwrapped) schema is edited with. */
export type Widget =
  | 'duration'
  | 'condition'
  | 'time'
  | 'text'
  | 'number'
  | 'boolean'
  | 'enum'
  | 'object'
  | 'variant'
  | 'array'
  | 'scalar'
  | 'json'
  | 'hidden';

/** Which widget edits a schema: the format's own building blocks first, then by zod type. */
export function widgetOf(schema: Schema): Widget {
  if (schema === durationSchema) return 'duration';
  if (schema === conditionSchema) return 'condition';
  if (schema === timeOfDaySchema) return 'time';
  const d = defOf(schema);
  switch (d.type) {
    case 'string':
      return 'text';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'enum':
      return 'enum';
    case 'object':
      return 'object';
    case 'union':
      if (d.discriminator) return 'variant';
      // An event kind or `*`: text with suggestions rather than a typed scalar.
      return (d.options ?? []).every((o) => ['string', 'literal'].includes(defOf(o).type) && (defOf(o).type === 'string' || typeof defOf(o).values?.[0] === 'string')) ? 'text' : 'scalar';
    case 'array':
      return 'array';
    case 'record':
      return 'json';
    case 'literal':
      return 'hidden';
    case 'lazy':
      return d.getter ? widgetOf(d.getter()) : 'json';
    case 'pipe':
      return d.in ? widgetOf(d.in) : 'json';
    default:
      return 'json';
  }
}

/** The choices of an enum schema. */
export function enumOptions(schema: Schema): string[] {
  return Object.values(defOf(schema).entries ?? {}).map(String);
}

/** The fields of an object schema. */
export function shapeOf(schema: Schema): Record<string, Schema> {
  return defOf(schema).shape ?? {};
}

/** The bounds and integrality of a number schema. */
export function numberBounds(schema: Schema): { min: number | undefined; max: number | undefined; int: boolean } {
  const n = schema as unknown as { minValue?: number | null; maxValue?: number | null; isInt?: boolean };
  const finite = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < Number.MAX_SAFE_INTEGER ? v : undefined);
  return { min: finite(n.minValue), max: finite(n.maxValue), int: n.isInt === true };
}

/** The options of a discriminated union, each with its tag value. */
export function variantsOf(schema: Schema): { discriminator: string; options: { tag: string; schema: Schema }[] } {
  const d = defOf(schema);
  const discriminator = d.discriminator ?? 'type';
  return {
    discriminator,
    options: (d.options ?? []).map((o) => {
      const tag = defOf(shapeOf(o)[discriminator] ?? o).values?.[0];
      return { tag: String(tag), schema: o };
    }),
  };
}

/** The condition a new rule starts with: a score threshold, the most common first rule. */
export const DEFAULT_CONDITION: Condition = { type: 'score', op: 'gte', value: 50 };

/** The value a new field or list item starts with: its default, else the simplest valid-looking value. */
export function defaultFor(schema: Schema): unknown {
  const u = unwrap(schema);
  if (u.hasDefault) return u.defaultValue;
  if (u.optional) return undefined;
  if (u.nullable) return null;
  const s = u.schema;
  const d = defOf(s);
  if (s === conditionSchema) return structuredClone(DEFAULT_CONDITION);
  if (s === durationSchema) return { amount: 1, unit: 'days' };
  if (s === timeOfDaySchema) return '09:00';
  switch (d.type) {
    case 'string':
      return '';
    case 'number':
      return numberBounds(s).min !== undefined && (numberBounds(s).min as number) > 0 ? numberBounds(s).min : 0;
    case 'boolean':
      return false;
    case 'enum':
      return enumOptions(s)[0];
    case 'literal':
      return d.values?.[0];
    case 'array':
      return [];
    case 'record':
      return {};
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, f] of Object.entries(shapeOf(s))) {
        const v = defaultFor(f);
        if (v !== undefined) out[k] = v;
      }
      return out;
    }
    case 'union':
      return d.options?.[0] ? defaultFor(d.options[0]) : undefined;
    case 'lazy':
      return d.getter ? defaultFor(d.getter()) : undefined;
    default:
      return undefined;
  }
}

/** The zod schema of one node kind. */
export function nodeKindSchema(kind: NodeKind): Schema {
  const found = variantsOf(nodeSchema as unknown as Schema).options.find((o) => o.tag === kind);
  if (!found) throw new Error(`no schema for node kind ${kind}`);
  return found.schema;
}

/** The value with `path` set (or removed, for undefined), copying only what lies on the path. */
export function setIn(value: unknown, path: readonly (string | number)[], next: unknown): unknown {
  if (path.length === 0) return next;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(value) || typeof head === 'number') {
    const arr = Array.isArray(value) ? [...value] : [];
    arr[head as number] = setIn(arr[head as number], rest, next);
    return arr;
  }
  const obj = typeof value === 'object' && value !== null ? { ...(value as Record<string, unknown>) } : {};
  const child = setIn(obj[head], rest, next);
  if (child === undefined) delete obj[head];
  else obj[head] = child;
  return obj;
}
