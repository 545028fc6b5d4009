import { z } from 'zod';
import { eventKindSchema, fieldTestSchema, idSchema, rankSchema } from './common.ts';
import { frequencyCapsSchema, isTimeZone, quietHoursSchema } from './graph.ts';

/** "opened an e-mail +5", "downloaded a whitepaper +20". */
export const scoringRuleSchema = z.object({
  id: idSchema,
  event: eventKindSchema,
  filters: z.array(fieldTestSchema).max(20).default([]),
  points: z.number().int({ error: 'must be a whole number' }).min(-10_000).max(10_000),
  /** At most this many points from this rule per lead per day (repeated opens are not interest). */
  maxPerDay: z.number().int().min(1).optional(),
});
export type ScoringRule = z.infer<typeof scoringRuleSchema>;

/** Scores fade when a lead goes quiet: `points` are taken off every `everyDays` without activity. */
export const decaySchema = z.object({
  points: z.number().int().min(1),
  everyDays: z.number().int().min(1).max(365),
  /** Never below this. */
  floor: z.number().int().default(0),
});
export type Decay = z.infer<typeof decaySchema>;

export const rankThresholdSchema = z.object({ rank: rankSchema, minScore: z.number() });

export const scoringSchema = z.object({
  rules: z.array(scoringRuleSchema).max(500).default([]),
  decay: decaySchema.optional(),
  /** Highest rank first; a lead takes the first whose minScore it reaches, else the last rank (D). */
  ranks: z
    .array(rankThresholdSchema)
    .max(4)
    .default([
      { rank: 'A', minScore: 80 },
      { rank: 'B', minScore: 50 },
      { rank: 'C', minScore: 20 },
    ]),
  /** Crossing this hands the lead to sales (a `lead_became_hot` event scenarios trigger on). */
  hotThreshold: z.number().default(60),
});
export type Scoring = z.infer<typeof scoringSchema>;

/** What a product line (商材) owns besides its scenarios. */
export const productLineSettingsSchema = z.object({
  /** The time zone the team works in: daily scoring caps count its calendar days. */
  timezone: z
    .string()
    .max(64, { error: 'must be at most 64 characters' })
    .refine((tz) => isTimeZone(tz), { error: 'must be an IANA time zone such as Asia/Tokyo' })
    .default('Asia/Tokyo'),
  scoring: scoringSchema.default(() => scoringSchema.parse({})),
  quietHours: quietHoursSchema.optional(),
  frequencyCaps: frequencyCapsSchema.default({}),
  sender: z
    .object({ name: z.string().max(200), email: z.email({ error: 'must be an e-mail address' }) })
    .optional(),
  salesEmail: z.email({ error: 'must be an e-mail address' }).optional(),
  /** This product line's own SMTP server (`smtp://user:pass@host:587`, `smtps://…`); the server's SMTP_URL when absent. */
  smtp: z.object({ url: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }) }).optional(),
  /** Sales' own system (CRM, chat): hand-offs are POSTed here, signed like webhooks; wins over salesEmail. */
  salesWebhook: z.url({ protocol: /^https?$/, error: 'must be a full http(s) URL' }).optional(),
  /** Signs this product line's webhooks and sales notifications instead of the server's WEBHOOK_SECRET. */
  webhookSecret: z.string().min(16, { error: 'must be at least 16 characters' }).max(200).optional(),
  /** Authenticates this product line's bounce and complaint notifications (POST /inbound/bounces) beside the server's INBOUND_SECRET. */
  inboundSecret: z.string().min(16, { error: 'must be at least 16 characters' }).max(200).optional(),
});
export type ProductLineSettings = z.infer<typeof productLineSettingsSchema>;
/** Product line settings as written, before defaults. */
export type ProductLineSettingsInput = z.input<typeof productLineSettingsSchema>;
