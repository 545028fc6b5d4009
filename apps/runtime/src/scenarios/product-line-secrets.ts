// A product line's secrets — the password in its SMTP URL, the secret that signs its webhooks, the
// one that authenticates its bounce notifications — are written through the API but never read
// back: the SMTP URL shows `********` for its password, the others show only that they are set.
// Settings are replaced as a whole on PATCH, so a form that sends back what it read (the mask, or
// no secret at all) keeps the stored secret; `null` removes it.
import { productLineSettingsSchema, type ProductLineSettings } from '@nurtureflow/scenario';
import { z } from 'zod';
import { ApiError } from '../errors.ts';
import { refineStorable } from './storable-json.ts';

/** What a secret reads as. */
export const MASK = '********';

type SecretKey = 'webhookSecret' | 'inboundSecret';
const SECRETS: readonly SecretKey[] = ['webhookSecret', 'inboundSecret'];
const shape = productLineSettingsSchema.shape;

/** Settings as a PATCH may send them: secrets also as the mask (keep) or null (remove), the SMTP server as null (remove). */
export const settingsPatchSchema = productLineSettingsSchema
  .extend({
    smtp: shape.smtp.unwrap().nullable().optional(),
    webhookSecret: z.union([z.literal(MASK), shape.webhookSecret.unwrap()]).nullable().optional(),
    inboundSecret: z.union([z.literal(MASK), shape.inboundSecret.unwrap()]).nullable().optional(),
  })
  .superRefine(refineStorable);
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

/** Settings as the API shows them, with which secrets are set. */
export interface MaskedSettings {
  settings: ProductLineSettings;
  hasWebhookSecret: boolean;
  hasInboundSecret: boolean;
}

/** The settings without their secrets: the SMTP password as the mask, the webhook and inbound secrets left out. */
export function maskSettings(settings: ProductLineSettings): MaskedSettings {
  const { webhookSecret, inboundSecret, ...rest } = settings;
  const shown: ProductLineSettings = rest;
  if (settings.smtp) shown.smtp = { url: maskedUrl(settings.smtp.url) };
  return { settings: shown, hasWebhookSecret: webhookSecret !== undefined, hasInboundSecret: inboundSecret !== undefined };
}

/**
 * The settings to store from a PATCH: secrets sent back as the mask, or left out, are the stored
 * ones. A masked SMTP password stands for the stored one only on the same server (scheme, user,
 * host and port), so a changed URL cannot carry the stored password elsewhere: 400 on `field`.
 */
export function withStoredSecrets(patch: SettingsPatch, stored: ProductLineSettings | null, field = 'body.settings'): ProductLineSettings {
  const { smtp, webhookSecret, inboundSecret, ...rest } = patch;
  const out: ProductLineSettings = rest;
  if (smtp === undefined) {
    if (stored?.smtp) out.smtp = stored.smtp;
  } else if (smtp !== null) {
    out.smtp = { url: unmaskedUrl(smtp.url, stored?.smtp?.url ?? null, `${field}.smtp.url`) };
  }
  const given: Record<SecretKey, string | null | undefined> = { webhookSecret, inboundSecret };
  for (const key of SECRETS) {
    const value = given[key];
    if (value === undefined || value === MASK) {
      if (stored?.[key] !== undefined) out[key] = stored[key];
    } else if (value !== null) out[key] = value;
  }
  return out;
}

/** Refuses the mask where there is nothing stored for it to stand for (a new product line). */
export function refuseMaskedSmtp(settings: ProductLineSettings, field = 'body.settings'): void {
  if (settings.smtp && passwordOf(settings.smtp.url) === MASK) unmaskedUrl(settings.smtp.url, null, `${field}.smtp.url`);
}

function maskedUrl(url: string): string {
  const u = new URL(url);
  if (u.password === '') return url;
  u.password = MASK;
  return u.toString();
}

function passwordOf(url: string): string {
  return new URL(url).password;
}

function unmaskedUrl(url: string, stored: string | null, path: string): string {
  const u = new URL(url);
  if (u.password !== MASK) return url;
  const s = stored === null ? null : new URL(stored);
  if (s === null || s.password === '' || s.protocol !== u.protocol || s.username !== u.username || s.hostname !== u.hostname || s.port !== u.port) {
    throw new ApiError(400, 'invalid_request', `${path}: give the password: "${MASK}" stands for the stored password of the same SMTP server only`, [
      { path, message: `"${MASK}" stands for the stored password of the same server (scheme, user, host and port) only; give the password` },
    ]);
  }
  u.password = s.password;
  return u.toString();
}
