import { z } from 'zod';

/** A stable identifier: node ids, case ids, variant ids, template ids. */
export const idSchema = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(64, { error: 'must be at most 64 characters' })
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, { error: 'may contain only letters, digits, "_", "-" and "."' })
  // Ids become object keys everywhere; this one would replace the object's prototype instead.
  .refine((id) => id !== '__proto__', { error: 'is a reserved name' });

/** Product line slugs, e.g. `crm-cloud`; lowercase so they are safe in URLs and keys. */
export const productLineIdSchema = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(64, { error: 'must be at most 64 characters' })
  .regex(/^[a-z0-9][a-z0-9_-]*$/, { error: 'may contain only lowercase letters, digits, "_" and "-"' });

/** Event kinds such as `email_opened`, `whitepaper_downloaded`, `seminar.attended`. */
export const eventKindSchema = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(64, { error: 'must be at most 64 characters' })
  .regex(/^[a-z][a-z0-9_.]*$/, { error: 'must be lowercase letters, digits, "_" or "."' });

/** Events the product itself records; scenarios may also use any custom kind. */
export const BUILTIN_EVENTS = [
  'email_sent',
  'email_opened',
  'link_clicked',
  'email_bounced',
  'email_soft_bounced',
  'email_complained',
  'unsubscribed',
  'form_submitted',
  'whitepaper_downloaded',
  'page_visited',
  'seminar_registered',
  'seminar_attended',
  'dm_url_visited',
  'call_completed',
  'handoff_accepted',
  'handoff_returned',
  'lead_became_hot',
  'purchased',
] as const;

export const timeOfDaySchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time of day as HH:MM (00:00–23:59)' });

export const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date as YYYY-MM-DD' });

export const durationUnits = ['minutes', 'hours', 'days', 'weeks', 'businessDays'] as const;

/** A span of time; `businessDays` skip weekends and the scenario's holidays. */
export const durationSchema = z.object({
  amount: z.number().int({ error: 'must be a whole number' }).min(0, { error: 'must not be negative' }).max(100_000, { error: 'is too large' }),
  unit: z.enum(durationUnits, { error: `must be one of ${durationUnits.join(', ')}` }),
});
export type Duration = z.infer<typeof durationSchema>;

/** Lifecycle stages of a lead within one product line. */
export const stages = ['prospect', 'newCustomer', 'existing', 'loyal', 'dormant'] as const;
export const stageSchema = z.enum(stages, { error: `must be one of ${stages.join(', ')}` });
export type Stage = z.infer<typeof stageSchema>;

/** Ranks (階層) from hottest to coldest. */
export const ranks = ['A', 'B', 'C', 'D'] as const;
export const rankSchema = z.enum(ranks, { error: `must be one of ${ranks.join(', ')}` });
export type Rank = z.infer<typeof rankSchema>;

export const scalarSchema = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]);
export type Scalar = z.infer<typeof scalarSchema>;

export const compareOps = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'notIn', 'contains', 'exists', 'notExists'] as const;
export type CompareOp = (typeof compareOps)[number];

/** A test on one field of an event's data or a lead's attributes. */
export const fieldTestSchema = z.object({
  field: z.string().min(1, { error: 'must not be empty' }).max(128),
  op: z.enum(compareOps, { error: `must be one of ${compareOps.join(', ')}` }),
  value: z.union([scalarSchema, z.array(scalarSchema).max(1000)]).optional(),
});
export type FieldTest = z.infer<typeof fieldTestSchema>;

const numericOps = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'] as const;

/** One predicate about a lead, evaluated on the lead as it is when the node is reached. */
export const predicateSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('attribute'), ...fieldTestSchema.shape }),
  z.object({
    type: z.literal('score'),
    /** Defaults to the scenario's product line. */
    productLine: productLineIdSchema.optional(),
    op: z.enum(numericOps, { error: `must be one of ${numericOps.join(', ')}` }),
    value: z.number({ error: 'must be a number' }),
  }),
  z.object({
    type: z.literal('rank'),
    productLine: productLineIdSchema.optional(),
    op: z.enum(['in', 'notIn']),
    ranks: z.array(rankSchema).max(ranks.length),
  }),
  z.object({
    type: z.literal('stage'),
    productLine: productLineIdSchema.optional(),
    op: z.enum(['in', 'notIn']),
    stages: z.array(stageSchema).max(stages.length),
  }),
  z.object({ type: z.literal('tag'), op: z.enum(['has', 'hasNot']), tag: z.string().min(1).max(64) }),
  z.object({
    type: z.literal('event'),
    /** Event kind, or `*` for any. */
    event: z.union([eventKindSchema, z.literal('*')]),
    filters: z.array(fieldTestSchema).max(20).default([]),
    within: durationSchema,
    /** `atLeast` n events in the window, or `none`. */
    op: z.enum(['atLeast', 'none']),
    count: z.number().int().min(1).max(10_000).default(1),
    productLine: productLineIdSchema.optional(),
  }),
  z.object({ type: z.literal('unsubscribed'), scope: z.enum(['productLine', 'global']) }),
]);
export type Predicate = z.infer<typeof predicateSchema>;

/** A boolean combination of predicates. */
export type Condition = Predicate | { all: Condition[] } | { any: Condition[] } | { not: Condition };

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    predicateSchema,
    z.object({ all: z.array(conditionSchema).max(50) }).strict(),
    z.object({ any: z.array(conditionSchema).max(50) }).strict(),
    z.object({ not: conditionSchema }).strict(),
  ]),
);

/** Milliseconds in the fixed units; `days`, `weeks` and `businessDays` are calendar-aware in the engine. */
export const FIXED_UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000, weeks: 604_800_000, businessDays: 86_400_000 } as const;

/** An upper bound of a duration in days, for horizon checks (business days count as 7/5 calendar days, rounded up). */
export function durationUpperBoundDays(d: Duration): number {
  switch (d.unit) {
    case 'minutes':
      return d.amount / 1440;
    case 'hours':
      return d.amount / 24;
    case 'days':
      return d.amount;
    case 'weeks':
      return d.amount * 7;
    case 'businessDays':
      // Golden Week and New Year can add up to a week of holidays in Japan.
      return Math.ceil((d.amount * 7) / 5) + 7;
  }
}
