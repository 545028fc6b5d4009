import { z } from 'zod';
import {
  conditionSchema,
  dateSchema,
  durationSchema,
  idSchema,
  productLineIdSchema,
  timeOfDaySchema,
} from './common.ts';
import { nodeSchema } from './nodes/index.ts';

/** The tag every scenario document carries. */
export const FORMAT = 'nurtureflow.scenario';
/** The current format version; older documents go through `upgrade`. */
export const FORMAT_VERSION = 1;

export const reEntrySchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('never') }),
  /** Again, but only once this long has passed since the last enrollment ended. */
  z.object({ mode: z.literal('after'), period: durationSchema }),
  z.object({ mode: z.literal('always') }),
]);
export type ReEntry = z.infer<typeof reEntrySchema>;

export const entrySchema = z.object({
  /** Who may enter at all; the trigger nodes say when. */
  audience: conditionSchema.optional(),
  reEntry: reEntrySchema.default({ mode: 'never' }),
  /** Skip leads unsubscribed from this product line at entry. */
  excludeUnsubscribed: z.boolean().default(true),
});
export type Entry = z.infer<typeof entrySchema>;

/** A goal that ends the enrollment as soon as the lead matches it, wherever the lead is. */
export const exitGoalSchema = z.object({
  id: idSchema,
  name: z.string().max(200).default(''),
  condition: conditionSchema,
});
export type ExitGoal = z.infer<typeof exitGoalSchema>;

export const quietHoursSchema = z.object({
  /** Start of the quiet period, e.g. 20:00; may be later than `end` (overnight). */
  start: timeOfDaySchema,
  end: timeOfDaySchema,
  /** Weekends and holidays quiet all day. */
  includeNonBusinessDays: z.boolean().default(false),
});
export type QuietHours = z.infer<typeof quietHoursSchema>;

export const businessDaysSchema = z.object({
  /** 0 = Sunday … 6 = Saturday. */
  weekdays: z.array(z.number().int().min(0).max(6)).max(7).default([1, 2, 3, 4, 5]),
  /** Public holidays to skip: Japan's (祝日) or none. */
  holidays: z.enum(['jp', 'none']).default('jp'),
  /** Company holidays (年末年始, 夏季休暇…). */
  extraHolidays: z.array(dateSchema).max(1000).default([]),
});
export type BusinessDays = z.infer<typeof businessDaysSchema>;

export const frequencyCapsSchema = z.object({
  /** Most messages this scenario's product line sends a lead in a rolling 7 days. */
  perWeek: z.number().int().min(1).max(1000).optional(),
  perDay: z.number().int().min(1).max(1000).optional(),
});
export type FrequencyCaps = z.infer<typeof frequencyCapsSchema>;

export const settingsSchema = z.object({
  timezone: z
    .string()
    .max(64, { error: 'must be at most 64 characters' })
    .refine((tz) => isTimeZone(tz), { error: 'must be an IANA time zone such as Asia/Tokyo' })
    .default('Asia/Tokyo'),
  quietHours: quietHoursSchema.optional(),
  businessDays: businessDaysSchema.default({ weekdays: [1, 2, 3, 4, 5], holidays: 'jp', extraHolidays: [] }),
  frequencyCaps: frequencyCapsSchema.default({}),
  /** How far ahead the scenario plans; a wait beyond it is a mistake. */
  horizonDays: z.number().int().min(1).max(3650).default(365),
});
export type Settings = z.infer<typeof settingsSchema>;

export const layoutSchema = z.record(idSchema, z.object({ x: z.number(), y: z.number() }));
export type Layout = z.infer<typeof layoutSchema>;

/** The scenario graph, format v1: what the editor compiles to and the runtime executes. */
export const graphSchema = z.object({
  format: z.literal(FORMAT, { error: `must be "${FORMAT}"` }),
  formatVersion: z.literal(FORMAT_VERSION, { error: `must be ${FORMAT_VERSION}; older documents go through upgrade()` }),
  productLine: productLineIdSchema,
  scenarioId: idSchema,
  /** 0 for a draft; published versions count from 1. */
  version: z.number().int().min(0),
  name: z.string().min(1, { error: 'give the scenario a name' }).max(200),
  description: z.string().max(5000).default(''),
  entry: entrySchema.default({ reEntry: { mode: 'never' }, excludeUnsubscribed: true }),
  goals: z.array(exitGoalSchema).max(20).default([]),
  settings: settingsSchema.default(() => settingsSchema.parse({})),
  nodes: z.record(idSchema, nodeSchema),
  /** Canvas positions; the runtime ignores them. */
  layout: layoutSchema.default({}),
});
export type Graph = z.infer<typeof graphSchema>;
/** A graph as written by hand or received over the wire, before defaults are filled in. */
export type GraphInput = z.input<typeof graphSchema>;

const zoneCache = new Map<string, boolean>();
/** True for a time zone name Intl knows (Asia/Tokyo, UTC…). */
export function isTimeZone(tz: string): boolean {
  let ok = zoneCache.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      ok = true;
    } catch {
      ok = false;
    }
    // Names come from requests: the memo stays small whatever strangers send.
    if (zoneCache.size >= 1_000) zoneCache.clear();
    zoneCache.set(tz, ok);
  }
  return ok;
}
