// /inbound: what comes back from the mail system. POST /inbound/mail takes a raw message (a bounce
// report, a complaint report, a mail to an unsubscribe address) as the mail server's pipe hands it
// over; POST /inbound/bounces takes a sending provider's JSON notification, with a shared secret.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { z } from 'zod';
import type { Routes } from '../app.ts';
import { bounceNotificationSchema, handleBounceNotification, handleInboundMail } from '../channels/inbound.ts';
import { loadSettings } from '../core/settings.ts';
import { ApiError } from '../errors.ts';
import type { Runtime } from '../runtime.ts';

const tag = 'Inbound';

const resultView = z.object({
  outcome: z.enum(['hardBounce', 'softBounce', 'complaint', 'unsubscribed', 'ignored']),
  reason: z.string(),
  leadId: z.string().optional(),
  outboxKey: z.string().optional(),
  productLine: z.string().nullable().optional(),
  recorded: z.boolean().optional(),
  becameHard: z.boolean().optional(),
});

/** The largest message read (a report quotes the original, which may carry a large HTML part). */
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/** Inbound mail and bounce notifications. */
export const inboundRoutes: Routes = (api, rt) => {
  api.route(
    {
      method: 'post',
      path: '/inbound/mail',
      bodyKind: 'bulk',
      summary: 'A raw RFC 822 message mailed back: a delivery status report (bounce), a complaint report (ARF) or a mail to an unsubscribe address',
      tag,
      query: z.object({ recipient: z.string().max(500).optional() }),
      bytesBody: 'message/rfc822',
      response: resultView,
      // The message's own tokens (and INBOUND_SECRET, when set) authenticate it.
      access: { public: true },
    },
    async ({ query, c }) => {
      // The tokens in the message authenticate what it may change; INBOUND_SECRET, when set, also keeps strangers out.
      if (process.env['INBOUND_SECRET']) await authenticate(rt, c, false);
      const raw = Buffer.from(await c.req.arrayBuffer());
      if (raw.length === 0) throw new ApiError(400, 'invalid_request', 'body: send the raw message (message/rfc822)', [{ path: 'body', message: 'is empty' }]);
      if (raw.length > MAX_MESSAGE_BYTES) throw new ApiError(413, 'payload_too_large', `the message is larger than ${MAX_MESSAGE_BYTES} bytes`);
      return handleInboundMail(rt, raw, query.recipient ?? null);
    },
  );

  api.route(
    {
      method: 'post',
      path: '/inbound/bounces',
      summary: "A provider's bounce or complaint notification ({ type: hard | soft | complaint, email or outboxKey, reason }), authenticated with INBOUND_SECRET or the product line's inboundSecret",
      tag,
      body: bounceNotificationSchema,
      response: z.object({ results: z.array(resultView) }),
      // Authenticated by INBOUND_SECRET or the product line's inboundSecret.
      access: { public: true },
    },
    async ({ body, c }) => {
      const scope = await authenticate(rt, c, true);
      return { results: await handleBounceNotification(rt, body, scope) };
    },
  );
};

/**
 * Checks the shared secret (`Authorization: Bearer <secret>`, or Basic with the secret as the
 * password, as providers that put credentials in the URL send it). Returns null for the server's
 * INBOUND_SECRET, or the product line whose inboundSecret it is; 401 otherwise.
 */
async function authenticate(rt: Runtime, c: Context, productLines: boolean): Promise<string | null> {
  const given = presented(c.req.header('authorization') ?? '');
  const server = process.env['INBOUND_SECRET'] || null;
  const own = productLines ? [...(await loadSettings(rt.db))].filter(([, s]) => s.inboundSecret).map(([id, s]) => [id, s.inboundSecret!] as const) : [];
  if (server === null && own.length === 0) {
    throw new ApiError(401, 'unauthorized', 'no inbound secret is configured: set INBOUND_SECRET (or a product line\'s inboundSecret) and send it as "Authorization: Bearer <secret>"');
  }
  if (given !== null) {
    if (server !== null && same(given, server)) return null;
    for (const [id, secret] of own) if (same(given, secret)) return id;
  }
  throw new ApiError(401, 'unauthorized', 'send the inbound secret as "Authorization: Bearer <secret>"', [{ path: 'headers.authorization', message: given === null ? 'is missing' : 'is not the inbound secret' }]);
}

function presented(header: string): string | null {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer) return bearer[1]!;
  const basic = /^Basic\s+(\S+)\s*$/i.exec(header);
  if (!basic) return null;
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 ? decoded.slice(colon + 1) : decoded;
}

// Compared as digests, so neither the length nor the content of a secret leaks through timing.
function same(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}
