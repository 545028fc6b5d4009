// What a simulation takes in, as zod schemas: sample leads, personas, scripted timelines and the
// run's settings. The CLI, the runtime's route and the editor's worker validate with these, so a
// bad value is reported the same way everywhere, naming the field.
import { eventKindSchema, idSchema, productLineIdSchema, rankSchema, scalarSchema, stageSchema } from '@nurtureflow/scenario';
import { z } from 'zod';

/** A lead id in a sample: letters, digits and `_ - . : @`. */
export const sampleLeadIdSchema = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must not be empty' })
  .max(128, { error: 'must be at most 128 characters' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:@-]*$/, { error: 'may contain only letters, digits, "_", "-", ".", ":" and "@", starting with a letter or digit' });

/** A sample lead's standing in one product line at the start. */
export const sampleStandingSchema = z.strictObject({
  stage: stageSchema.optional(),
  score: z.number({ error: 'must be a number' }).finite().optional(),
  unsubscribed: z.boolean({ error: 'must be true or false' }).optional(),
});

/**
 * One sample lead. Industry and company size live in `attributes` (`industry`, `employees`) so
 * scenarios can branch on them and personas can depend on them.
 */
export const sampleLeadSchema = z.strictObject({
  id: sampleLeadIdSchema,
  email: z.string().max(320).optional(),
  name: z.string().max(200).optional(),
  company: z.string().max(200).optional(),
  phone: z.string().max(64).optional(),
  attributes: z.record(z.string().min(1).max(64), scalarSchema).optional(),
  tags: z.array(z.string().min(1).max(64)).max(100).optional(),
  products: z.record(productLineIdSchema, sampleStandingSchema).optional(),
  unsubscribedAll: z.boolean().optional(),
  /** Pin the lead to a persona instead of drawing one. */
  persona: idSchema.optional(),
});
export type SampleLead = z.infer<typeof sampleLeadSchema>;

/** Company size bands, by number of employees: small < 50 ≤ medium < 300 ≤ large < 1000 ≤ enterprise. */
export const companySizes = ['small', 'medium', 'large', 'enterprise'] as const;
export type CompanySize = (typeof companySizes)[number];

const probability = z.number({ error: 'must be a number' }).min(0, { error: 'must be between 0 and 1' }).max(1, { error: 'must be between 0 and 1' });
const positive = z.number({ error: 'must be a number' }).min(0, { error: 'must not be negative' }).max(10_000);

/** Mean delays (exponentially distributed) between what the scenario does and the lead's reaction. */
export const personaDelaysSchema = z.strictObject({
  /** From a sent mail to its open. */
  openHours: positive.default(6),
  /** From the open to the click. */
  clickMinutes: positive.default(3),
  /** From the click to the download. */
  downloadMinutes: positive.default(10),
  /** From the click on an invitation to attending the seminar. */
  seminarDays: positive.default(7),
  /** From a printed mail to the visit of its personal URL. */
  visitDays: positive.default(4),
  /** From a call task falling due to inside sales' outcome. */
  callHours: positive.default(3),
  /** From a hand-off to sales' answer. */
  handoffHours: positive.default(24),
});

/** Per-template overrides, e.g. a seminar invitation that many click and some attend. */
export const templateBehaviourSchema = z.strictObject({
  open: probability.optional(),
  click: probability.optional(),
  download: probability.optional(),
  seminar: probability.optional(),
  unsubscribe: probability.optional(),
});

/**
 * How one kind of lead behaves. `open`, `click` and `unsubscribe` are per mail received (a click
 * implies an open, so `click` ≤ `open`); `download` and `seminar` per click; `visit` per printed
 * mail; `callConnected` per call attempt, then `appointment` and `refused` per connected call;
 * `handoffAccepted` per hand-off. `when` restricts the persona to leads of some ranks, industries
 * or company sizes; `share` weighs it against the other personas a lead may be.
 */
export const personaSchema = z
  .strictObject({
    id: idSchema,
    name: z.string().max(200).optional(),
    share: z.number({ error: 'must be a number' }).min(0, { error: 'must not be negative' }).max(1_000_000).default(1),
    when: z
      .strictObject({
        ranks: z.array(rankSchema).min(1).optional(),
        industries: z.array(z.string().min(1).max(100)).min(1).optional(),
        sizes: z.array(z.enum(companySizes, { error: `must be one of ${companySizes.join(', ')}` })).min(1).optional(),
        productLine: productLineIdSchema.optional(),
      })
      .optional(),
    open: probability.default(0.25),
    click: probability.default(0.04),
    download: probability.default(0.3),
    seminar: probability.default(0.05),
    visit: probability.default(0.05),
    unsubscribe: probability.default(0.003),
    callConnected: probability.default(0.4),
    appointment: probability.default(0.2),
    refused: probability.default(0.1),
    handoffAccepted: probability.default(0.7),
    delays: personaDelaysSchema.default(() => personaDelaysSchema.parse({})),
    templates: z.record(z.string().min(1).max(200), templateBehaviourSchema).default({}),
  })
  .superRefine((p, ctx) => {
    if (p.click > p.open) ctx.addIssue({ code: 'custom', path: ['click'], message: `must not be above open (${p.open}): a click is also an open` });
    if (p.appointment + p.refused > 1) ctx.addIssue({ code: 'custom', path: ['refused'], message: 'appointment and refused together must not be above 1' });
  });
export type Persona = z.infer<typeof personaSchema>;
export type PersonaInput = z.input<typeof personaSchema>;

/** A time: ISO 8601 with an offset, or milliseconds since the epoch. */
export const instantSchema = z.union(
  [z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time with an offset' }), z.number().int().min(0)],
  { error: 'must be an ISO 8601 time with an offset, e.g. 2026-04-06T09:00:00+09:00, or milliseconds' },
);

const callOutcomes = ['connected', 'noAnswer', 'appointment', 'refused'] as const;

/**
 * One step of a scripted timeline: enrol a lead, an event of a lead, inside sales' outcome of the
 * lead's open call task, sales' answer to its open hand-off, or a sweep of segment and schedule
 * triggers over every lead. The golden fixtures' timelines are of this shape.
 */
export const stepSchema = z
  .strictObject({
    at: instantSchema,
    lead: sampleLeadIdSchema.optional(),
    enroll: idSchema.optional(),
    trigger: idSchema.optional(),
    event: z
      .strictObject({
        kind: eventKindSchema,
        productLine: productLineIdSchema.nullable().optional(),
        scenarioId: idSchema.nullable().optional(),
        nodeId: idSchema.nullable().optional(),
        effectKey: z.string().max(400).nullable().optional(),
        data: z.record(z.string().max(128), scalarSchema).optional(),
      })
      .optional(),
    callOutcome: z.strictObject({ scenarioId: idSchema, outcome: z.enum(callOutcomes, { error: `must be one of ${callOutcomes.join(', ')}` }) }).optional(),
    handoff: z.strictObject({ scenarioId: idSchema, answer: z.enum(['accepted', 'returned'], { error: 'must be accepted or returned' }) }).optional(),
    sweep: z.literal(true).optional(),
  })
  .superRefine((s, ctx) => {
    const kinds = (['enroll', 'event', 'callOutcome', 'handoff', 'sweep'] as const).filter((k) => s[k] !== undefined);
    if (kinds.length !== 1) {
      ctx.addIssue({ code: 'custom', path: [], message: `must have exactly one of enroll, event, callOutcome, handoff, sweep (has ${kinds.length === 0 ? 'none' : kinds.join(', ')})` });
      return;
    }
    if (kinds[0] !== 'sweep' && s.lead === undefined) ctx.addIssue({ code: 'custom', path: ['lead'], message: 'is required: whose step is it?' });
    if (s.trigger !== undefined && kinds[0] !== 'enroll') ctx.addIssue({ code: 'custom', path: ['trigger'], message: 'is only for enroll steps' });
  })
  .transform((s): StepLike => {
    const lead = s.lead!;
    if (s.sweep) return s.lead === undefined ? { at: s.at, sweep: true } : { at: s.at, sweep: true, lead };
    if (s.enroll !== undefined) return { at: s.at, lead, enroll: s.enroll, ...(s.trigger === undefined ? {} : { trigger: s.trigger }) };
    if (s.callOutcome !== undefined) return { at: s.at, lead, callOutcome: s.callOutcome };
    if (s.handoff !== undefined) return { at: s.at, lead, handoff: s.handoff };
    const e = s.event!;
    return {
      at: s.at,
      lead,
      event: {
        kind: e.kind,
        ...(e.productLine === undefined ? {} : { productLine: e.productLine }),
        ...(e.scenarioId === undefined ? {} : { scenarioId: e.scenarioId }),
        ...(e.nodeId === undefined ? {} : { nodeId: e.nodeId }),
        ...(e.effectKey === undefined ? {} : { effectKey: e.effectKey }),
        ...(e.data === undefined ? {} : { data: e.data }),
      },
    };
  });
export type StepInput = z.input<typeof stepSchema>;

/** A scripted step as the simulator uses it: time in milliseconds, one kind. */
export type Step =
  | { at: number; lead: string; enroll: string; trigger?: string }
  | {
      at: number;
      lead: string;
      event: { kind: string; productLine?: string | null; scenarioId?: string | null; nodeId?: string | null; effectKey?: string | null; data?: Record<string, z.infer<typeof scalarSchema>> };
    }
  | { at: number; lead: string; callOutcome: { scenarioId: string; outcome: (typeof callOutcomes)[number] } }
  | { at: number; lead: string; handoff: { scenarioId: string; answer: 'accepted' | 'returned' } }
  /** Without a lead: every lead; with one: only that lead. */
  | { at: number; sweep: true; lead?: string };

/** A scripted step as written: the time may be ISO text. */
export type StepLike = Step extends infer S ? (S extends Step ? Omit<S, 'at'> & { at: string | number } : never) : never;

/** When leads arrive under personas: spread evenly over the first `days`, through the entry scenario's trigger. */
export const arrivalSchema = z.strictObject({
  days: z.number({ error: 'must be a number' }).min(0, { error: 'must not be negative' }).max(3650).default(0),
  /** The scenario leads arrive in (the first graph when absent). */
  scenarioId: idSchema.optional(),
  /** Its trigger node (the first trigger when absent). */
  trigger: idSchema.optional(),
});
export type Arrival = z.infer<typeof arrivalSchema>;

/** Scripted behaviour: exactly what happens and when. */
export const scriptedBehaviourSchema = z.strictObject({ timeline: z.array(stepSchema).max(5_000_000) });

/** Probabilistic behaviour: leads arrive and react as their personas say. */
export const personaBehaviourSchema = z.strictObject({
  personas: z.array(personaSchema).max(100).optional(),
  arrival: arrivalSchema.default(() => arrivalSchema.parse({})),
});

/** Either scripted timelines or personas. */
export const behaviourSchema = z.union([scriptedBehaviourSchema, personaBehaviourSchema], { error: 'must be { timeline } or { personas, arrival }' });
export type BehaviourInput = z.input<typeof behaviourSchema>;
