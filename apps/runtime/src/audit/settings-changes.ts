// What a product line's settings change says in the audit log: the fields that changed with their
// values before and after — the SMTP URL with its password masked — and for the secrets only
// whether they were set, changed or removed. Scoring is its own entry (`scoring.changed`).
import type { JsonObject, JsonValue } from '@nurtureflow/db';
import type { ProductLineSettings } from '@nurtureflow/scenario';
import { maskSettings } from '../scenarios/product-line-secrets.ts';

const SECRET_KEYS = ['webhookSecret', 'inboundSecret'] as const;

function json(value: unknown): JsonValue {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonValue);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(json(a)) === JSON.stringify(json(b));
}

/** The scoring before and after, when it changed; null when it did not. */
export function scoringChange(before: ProductLineSettings, after: ProductLineSettings): JsonObject | null {
  return same(before.scoring, after.scoring) ? null : { before: json(before.scoring), after: json(after.scoring) };
}

/**
 * The other settings that changed: `changes` maps each field to its masked values before and after;
 * `secrets` says what happened to each secret. Null when nothing but scoring changed.
 */
export function settingsChange(before: ProductLineSettings, after: ProductLineSettings): JsonObject | null {
  const shownBefore = maskSettings(before).settings as Record<string, unknown>;
  const shownAfter = maskSettings(after).settings as Record<string, unknown>;
  const changes: JsonObject = {};
  for (const key of new Set([...Object.keys(shownBefore), ...Object.keys(shownAfter)])) {
    if (key === 'scoring') continue;
    if (!same(shownBefore[key], shownAfter[key])) changes[key] = { before: json(shownBefore[key]), after: json(shownAfter[key]) };
  }
  const secrets: JsonObject = {};
  // A new SMTP password on the same server masks to the same URL: a secret that changed.
  if (changes['smtp'] === undefined && before.smtp !== undefined && after.smtp !== undefined && before.smtp.url !== after.smtp.url) secrets['smtpPassword'] = 'changed';
  for (const key of SECRET_KEYS) {
    const was = before[key];
    const is = after[key];
    if (was === is) continue;
    secrets[key] = was === undefined ? 'set' : is === undefined ? 'removed' : 'changed';
  }
  if (Object.keys(changes).length === 0 && Object.keys(secrets).length === 0) return null;
  return { changes, ...(Object.keys(secrets).length > 0 ? { secrets } : {}) };
}
