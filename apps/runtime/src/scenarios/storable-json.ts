// Postgres refuses some strings JSON allows: a NUL character (in text and in jsonb) and a lone
// UTF-16 surrogate (in jsonb). Left alone they surface as a 500 from the driver; checked in the
// request schemas they are a 400 naming the field, before anything is written.
import { z } from 'zod';

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MESSAGE = 'contains a character that cannot be stored (NUL or a lone surrogate)';

/** The path of the first key or string in a JSON value that Postgres cannot store; null when all is storable. */
export function unstorablePath(value: unknown, path: readonly (string | number)[] = []): (string | number)[] | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? [...path] : null;
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorablePath(value[i], [...path, i]);
      if (found) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    if (UNSTORABLE.test(key)) return [...path, key];
    const found = unstorablePath(item, [...path, key]);
    if (found) return found;
  }
  return null;
}

/** Text from outside (a mail server's reply, a bounce report) made storable: each unstorable character becomes U+FFFD. */
export function storableText(text: string): string {
  return UNSTORABLE.test(text) ? text.replace(new RegExp(UNSTORABLE.source, 'g'), '\uFFFD') : text;
}

/** Adds an issue at the first unstorable string of a value, so the 400 names that field. */
export function refineStorable(value: unknown, ctx: z.RefinementCtx): void {
  const path = unstorablePath(value);
  if (path) ctx.addIssue({ code: 'custom', path, message: MESSAGE, input: value });
}

/** Any JSON object that Postgres can store as jsonb (drafts, graphs sent for validation). */
export const jsonObjectSchema = z
  .record(z.string(), z.unknown(), { error: 'must be a JSON object' })
  .superRefine(refineStorable);

/** A display name: trimmed, not empty, storable. */
export const nameSchema = z
  .string({ error: 'must be text' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(200, { error: 'must be at most 200 characters' })
  .refine((s) => !UNSTORABLE.test(s), { error: MESSAGE });
