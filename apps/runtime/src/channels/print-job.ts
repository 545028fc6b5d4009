// Direct mail and FAX: the channel readies print jobs, each with a personal tracking URL; the print
// shop takes them as CSV (print-export.ts); a visit to the URL comes back as an event (print-visit.ts).
import { randomInt } from 'node:crypto';
import type { Effect } from '@nurtureflow/engine';
import { productLineSettingsSchema } from '@nurtureflow/scenario';
import { dayIn } from '../core/ingest.ts';
import type { Runtime } from '../runtime.ts';
import type { Channel, Delivery } from './dispatcher.ts';
import type { OutboundOptions } from './outbound-options.ts';

type PrintEffect = Extract<Effect, { type: 'printJob' }>;

// No 0/o, 1/l/i: a person types the code from paper or a FAX.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const CODE_LENGTH = 16;

/** The path of a personal tracking URL under PUBLIC_URL. */
export const VISIT_PATH = '/t/d';

/** A fresh personal code: 16 characters, about 79 random bits, unguessable and easy to type. */
export function newPrintCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** Whether a string could be a personal code, checked before any lookup. */
export function isPrintCode(code: string): boolean {
  return code.length === CODE_LENGTH && [...code].every((c) => ALPHABET.includes(c));
}

/**
 * Readies printJob effects for printing: each gets a random personal code and its tracking URL
 * `${PUBLIC_URL}/t/d/<code>`, and joins the day's batch (the product line's calendar day). The code
 * is random rather than the engine's trackingCode, which is a hash of ids anyone who knows a lead id
 * could compute; a retry keeps the code already given, so what was printed stays valid.
 */
export function printJobChannel(rt: Runtime, options: OutboundOptions): Channel {
  return {
    type: 'printJob',
    async deliver(row, db): Promise<Delivery> {
      const effect = row.payload as PrintEffect;
      // By key alone: a lead merge may have moved the outbox row to another lead id since the first attempt.
      const known = await db.selectFrom('print_jobs').select('code').where('key', '=', row.key).executeTakeFirst();
      if (known) return { status: 'sent', detail: { code: known.code } };
      const pl = await db.selectFrom('product_lines').select('settings').where('id', '=', row.product_line).executeTakeFirst();
      const parsed = pl ? productLineSettingsSchema.safeParse(pl.settings) : null;
      const now = rt.clock.now();
      const code = newPrintCode();
      await db
        .insertInto('print_jobs')
        .values({
          lead_id: row.lead_id,
          key: row.key,
          code,
          product_line: row.product_line,
          scenario_id: row.scenario_id,
          node_id: effect.nodeId,
          medium: effect.medium,
          template: effect.template,
          landing_url: effect.landingUrl,
          tracking_url: `${options.publicUrl}${VISIT_PATH}/${code}`,
          batch_day: dayIn(now, parsed?.success ? parsed.data.timezone : 'Asia/Tokyo'),
          created_at: new Date(now),
        })
        .execute();
      return { status: 'sent', detail: { code } };
    },
  };
}
