// The shapes leads arrive in: one LeadInput per person (POST /leads, each import row, event
// ingestion), and the PATCH of a known lead. Identity fields (email, phone, name, company) only
// change through LeadInput, so 名寄せ runs whenever they do.
import { productLineIdSchema, scalarSchema, stageSchema } from '@nurtureflow/scenario';
import { z } from 'zod';
import { refineStorable } from '../scenarios/storable-json.ts';
import { normalizeCompany, normalizeEmail, normalizeName, normalizePhone } from './normalize.ts';

/** A lead id: the client's own (a CRM id) or one made here (`ld_…`). */
export const leadIdSchema = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must not be empty' })
  .max(128, { error: 'must be at most 128 characters' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, { error: 'may contain only letters, digits, "_", "-", "." and ":", starting with a letter or digit' });

/** Attribute keys kept apart from the identity fields they would shadow. */
export const IDENTITY_KEYS = ['email', 'phone', 'name', 'company'] as const;

const attributeKeySchema = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(64, { error: 'must be at most 64 characters' })
  .refine((k) => k !== '__proto__', { error: 'is a reserved name' });

function attributesSchema<V extends z.ZodType>(values: V) {
  return z
    .record(attributeKeySchema, values)
    .refine((a) => Object.keys(a).length <= 200, { error: 'may have at most 200 attributes' })
    .superRefine((a, ctx) => {
      for (const key of IDENTITY_KEYS) {
        if (Object.hasOwn(a, key)) {
          ctx.addIssue({ code: 'custom', path: [key], message: `is an identity field: send it as the top-level "${key}" so 名寄せ sees it` });
        }
      }
    });
}

const tagSchema = z.string({ error: 'must be a string' }).trim().min(1, { error: 'must not be empty' }).max(64, { error: 'must be at most 64 characters' });
const tagsSchema = z.array(tagSchema).max(100, { error: 'may have at most 100 tags' });

/** A lead's standing to set in one product line. */
export const productChangeSchema = z
  .object({
    stage: stageSchema.optional(),
    /** true unsubscribes from this product line's mail. */
    unsubscribed: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .strict();

const productsSchema = z
  .record(productLineIdSchema, productChangeSchema)
  .refine((p) => Object.keys(p).length <= 100, { error: 'may name at most 100 product lines' });

const text = (max: number) => z.string({ error: 'must be a string' }).max(max, { error: `must be at most ${max} characters` }).nullish();

/**
 * One person as a source knows them. Empty or null identity fields count as absent, so a blank
 * CSV cell never erases what is known; a malformed e-mail rejects the input, a phone too short to
 * identify anyone is only kept as written. `unsubscribedAll` and `products.*.unsubscribed` can only
 * unsubscribe here: an import must not re-subscribe someone who opted out (PATCH can).
 */
export const leadInputSchema = z
  .object({
    id: leadIdSchema.optional(),
    email: text(320).refine((v) => blank(v) || normalizeEmail(v) !== null, { error: 'is not an e-mail address' }),
    /** Kept as given; used for 名寄せ only when it has at least 9 digits. */
    phone: text(64),
    name: text(200),
    company: text(200),
    attributes: attributesSchema(scalarSchema).optional(),
    tags: tagsSchema.optional(),
    products: productsSchema.optional(),
    unsubscribedAll: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .strict()
  .superRefine((lead, ctx) => {
    const hasName = normalizeName(lead.name) !== null;
    const hasCompany = normalizeCompany(lead.company) !== null;
    if (lead.id !== undefined || !blank(lead.email) || normalizePhone(lead.phone) !== null || (hasName && hasCompany)) return;
    if (!blank(lead.phone)) ctx.addIssue({ code: 'custom', path: ['phone'], message: 'is not a phone number that identifies anyone (it needs at least 9 digits); give email, or name and company' });
    else if (hasName) ctx.addIssue({ code: 'custom', path: ['company'], message: 'is needed with name to identify the lead (or give email or phone)' });
    else if (hasCompany) ctx.addIssue({ code: 'custom', path: ['name'], message: 'is needed with company to identify the lead (or give email or phone)' });
    else ctx.addIssue({ code: 'custom', path: ['email'], message: 'is required to identify the lead (or give phone, or name and company)' });
  })
  // NUL and lone surrogates pass as JSON text but not into Postgres: a 400 naming the field instead.
  .superRefine(refineStorable);

/** One person as a source knows them (see leadInputSchema). */
export type LeadInput = z.infer<typeof leadInputSchema>;

/**
 * A change to a known lead. Attributes follow JSON merge patch (null removes the key); `tags`
 * replaces the set, `addTags` / `removeTags` edit it. Identity fields are not here: they go
 * through POST /leads so 名寄せ can run.
 */
const viaUpsert = z.never({ error: 'changes through POST /leads, so 名寄せ can run' }).optional();

export const leadPatchSchema = z
  .object({
    email: viaUpsert,
    phone: viaUpsert,
    name: viaUpsert,
    company: viaUpsert,
    attributes: attributesSchema(scalarSchema).optional(),
    tags: tagsSchema.optional(),
    addTags: tagsSchema.optional(),
    removeTags: tagsSchema.optional(),
    products: productsSchema.optional(),
    unsubscribedAll: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .strict()
  .refine((p) => Object.values(p).some((v) => v !== undefined), { error: 'names nothing to change' })
  .superRefine(refineStorable);

/** A change to a known lead (see leadPatchSchema). */
export type LeadPatch = z.infer<typeof leadPatchSchema>;

/** True for a missing or blank identity field. */
export function blank(value: string | null | undefined): boolean {
  return value === undefined || value === null || value.trim() === '';
}
