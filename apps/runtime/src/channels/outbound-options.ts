// How the webhook, hand-off and print channels reach the outside world: the public URL printed on
// paper, the webhook signing secret, which targets are allowed, how long to wait for an answer.
import { productLineSettingsSchema } from '@nurtureflow/scenario';
import type { Db } from '../core/bulk.ts';
import { targetPolicyFromEnv, type TargetPolicy } from './target-guard.ts';

export interface OutboundOptions {
  /** PUBLIC_URL: where leads reach this server (personal tracking URLs, links in notifications), no trailing slash. */
  publicUrl: string;
  /** WEBHOOK_SECRET: signs webhooks and sales notifications unless the product line has its own. */
  webhookSecret: string | null;
  policy: TargetPolicy;
  /** WEBHOOK_TIMEOUT_MS: how long a target has to answer (default 5 s). */
  timeoutMs: number;
  /** SMTP_URL for hand-off mail to sales when the product line has no SMTP server of its own; null keeps it in the local mailbox (default SMTP_URL). */
  smtpUrl?: string | null;
}

/** The options from the environment; PUBLIC_URL defaults to this machine's port. */
export function outboundOptionsFromEnv(env: Readonly<Record<string, string | undefined>>, port = 3000): OutboundOptions {
  const timeout = Number(env['WEBHOOK_TIMEOUT_MS'] ?? 5000);
  return {
    publicUrl: (env['PUBLIC_URL'] || `http://localhost:${port}`).replace(/\/+$/, ''),
    webhookSecret: env['WEBHOOK_SECRET'] || null,
    policy: targetPolicyFromEnv(env),
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : 5000,
    smtpUrl: env['SMTP_URL'] || null,
  };
}

/** The secret that signs a product line's calls: its own `webhookSecret`, else the server's; null when neither is set. */
export async function signingSecret(db: Db, productLine: string, options: OutboundOptions): Promise<string | null> {
  const row = await db.selectFrom('product_lines').select('settings').where('id', '=', productLine).executeTakeFirst();
  const own = row ? productLineSettingsSchema.safeParse(row.settings) : null;
  return (own?.success ? own.data.webhookSecret : undefined) ?? options.webhookSecret;
}

/** The refusal when nothing can sign a call: sending unsigned would let anyone forge our calls. */
export const NO_SECRET = 'no signing secret: set WEBHOOK_SECRET (or the product line\'s webhookSecret), then requeue';
