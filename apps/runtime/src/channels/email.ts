// The sendEmail channel: renders the node's template for the lead, adds tracking and the
// unsubscribe link, and hands the message to SMTP (the product line's server, else SMTP_URL) or,
// with neither, keeps it in the local mailbox.
//
// The enrollment's path was decided when the engine took the step: an e-mail node checks the
// unsubscribe lists and caps then, and follows `sent` or `skipped`. Between that step and this
// delivery the lead may unsubscribe, so the list is read again here, at the moment of sending:
// the dispatcher never sends to an unsubscribed lead. Such a row ends `skipped` with the reason;
// the enrollment, already past the node, is not moved back.
import { createHash } from 'node:crypto';
import type { JsonObject } from '@nurtureflow/db';
import { productLineSettingsSchema, type ProductLineSettings } from '@nurtureflow/scenario';
import { sql } from 'kysely';
import { records, type Db } from '../core/bulk.ts';
import type { Runtime } from '../runtime.ts';
import { mergeFields } from '../templates/merge-fields.ts';
import { compiledFor, renderTemplate } from '../templates/render.ts';
import { addTracking, unsubscribeUrl } from '../tracking/links.ts';
import { trackingSigner, type Signer } from '../tracking/tokens.ts';
import { inTransaction } from '../leads/resolve.ts';
import type { Channel, Delivery, OutboxRow } from './dispatcher.ts';
import { globalSmtpUrl, publicBaseUrl, senderOf } from './email-config.ts';
import { SmtpTransports, type OutgoingMail } from './smtp.ts';
import { bounceAtSend, bouncedReason } from './bounces.ts';
import { returnAddresses, returnAddressOptionsFromEnv, type ReturnAddressOptions } from './return-path.ts';

export interface EmailChannelOptions {
  /** Base of tracking and unsubscribe links (default PUBLIC_URL, else http://localhost:PORT). */
  baseUrl?: string;
  /** The server-wide SMTP server; null keeps mail in the mailbox (default SMTP_URL). */
  smtpUrl?: string | null;
  /** Pooled connections per SMTP server (default 4). */
  maxConnections?: number;
  /** Bases of the Return-Path and the List-Unsubscribe mailto: (default BOUNCE_ADDRESS, UNSUBSCRIBE_MAILTO; else the sender). */
  returnAddresses?: ReturnAddressOptions;
}

/** The e-mail channel, plus `close()` for its SMTP connections. */
export type EmailChannel = Channel & { close(): void };

interface Context {
  id: string;
  email: string | null;
  attributes: JsonObject;
  tags: string[];
  unsubscribed_all: boolean;
  unsubscribed: boolean;
  pl_name: string | null;
  pl_settings: unknown;
  pl_updated_at: Date | null;
  subject: string | null;
  html: string | null;
  text: string | null;
  t_updated_at: Date | null;
  bounce_reason: string | null;
  bounced_at: Date | null;
}

/** A message ready to go: to SMTP (`via`) or, with no server, to the mailbox. */
interface Composed {
  row: OutboxRow;
  nodeId: string;
  template: string;
  to: string;
  mail: OutgoingMail;
  links: string[];
  returnId: string;
  via: string | null;
}

/** Creates the channel that delivers `sendEmail` effects. */
export function emailChannel(rt: Runtime, options: EmailChannelOptions = {}): EmailChannel {
  const baseUrl = (options.baseUrl ?? publicBaseUrl()).replace(/\/+$/, '');
  const smtpUrl = options.smtpUrl === undefined ? globalSmtpUrl() : options.smtpUrl;
  const transports = new SmtpTransports({ ...(options.maxConnections ? { maxConnections: options.maxConnections } : {}) });
  const returnOptions = options.returnAddresses ?? returnAddressOptionsFromEnv();
  // Settings parsed once per version of the product line (its updated_at), not once per message.
  const parsed = new Map<string, { stamp: number; settings: ProductLineSettings }>();
  const settingsOf = (pl: string, updatedAt: Date | null, raw: unknown): ProductLineSettings => {
    const stamp = updatedAt?.getTime() ?? 0;
    const hit = parsed.get(pl);
    if (hit && hit.stamp === stamp) return hit.settings;
    const settings = productLineSettingsSchema.parse(raw);
    parsed.set(pl, { stamp, settings });
    return settings;
  };
  /** What each row's message needs from the database — lead, standing, product line, template — for a whole batch in one query. */
  const contexts = async (db: Db, rows: readonly OutboxRow[]): Promise<(Context | undefined)[]> => {
    const wanted = rows.map((row, i) => ({ i, lead_id: row.lead_id, product_line: row.product_line, template: row.payload.type === 'sendEmail' ? row.payload.template : null }));
    const found = await sql<Context & { i: number }>`
      select r.i, l.id, l.email, l.attributes, l.tags, l.unsubscribed_all, coalesce(lp.unsubscribed, false) as unsubscribed,
        p.name as pl_name, p.settings as pl_settings, p.updated_at as pl_updated_at, t.subject, t.html, t.text, t.updated_at as t_updated_at,
        b.reason as bounce_reason, b.at as bounced_at
      from ${records(wanted)} as r(i int, lead_id text, product_line text, template text)
      join leads l on l.id = r.lead_id
      left join bounced_addresses b on b.lead_id = l.id and b.email_norm = l.email_norm
      left join lead_products lp on lp.lead_id = l.id and lp.product_line = r.product_line
      left join product_lines p on p.id = r.product_line
      left join templates t on t.product_line = r.product_line and t.id = r.template`.execute(db);
    const byRow: (Context | undefined)[] = new Array(rows.length);
    for (const c of found.rows) byRow[c.i] = c;
    return byRow;
  };

  /** One row's message, rendered and tracked, with where it goes; or why it is not sent. */
  const compose = (row: OutboxRow, ctx: Context | undefined, signer: Signer): Delivery | Composed => {
    const effect = row.payload;
    if (effect.type !== 'sendEmail') return { status: 'failed', error: `not an e-mail effect: ${effect.type}` };
    const pl = row.product_line;
    if (!ctx) return { status: 'failed', error: `leadNotFound: lead "${row.lead_id}" does not exist` };
    if (ctx.unsubscribed_all) return { status: 'skipped', reason: 'unsubscribedAll: the lead unsubscribed from all e-mail before it was sent' };
    if (ctx.unsubscribed) return { status: 'skipped', reason: `unsubscribed: the lead unsubscribed from product line "${pl}" before it was sent` };
    if (!ctx.email) return { status: 'skipped', reason: 'noAddress: the lead has no e-mail address' };
    const bounced = bouncedReason(ctx.email, ctx.bounced_at && { reason: ctx.bounce_reason ?? '', at: ctx.bounced_at });
    if (bounced) return { status: 'skipped', reason: bounced };
    if (ctx.pl_name === null) return { status: 'failed', error: `productLineNotFound: product line "${pl}" does not exist` };
    if (ctx.html === null || ctx.subject === null || ctx.t_updated_at === null) {
      return { status: 'failed', error: `missingTemplate: template "${effect.template}" does not exist in product line "${pl}"` };
    }
    const settings = settingsOf(pl, ctx.pl_updated_at, ctx.pl_settings);
    const sender = senderOf(settings, ctx.pl_name);
    const unsubscribe = unsubscribeUrl(baseUrl, signer, row.lead_id, row.key, pl);
    const returns = returnAddresses(signer, row.key, sender.email, returnOptions);
    let rendered;
    try {
      const compiled = compiledFor(`${pl}\u0000${effect.template}`, ctx.t_updated_at.getTime(), { subject: ctx.subject, html: ctx.html, text: ctx.text });
      rendered = renderTemplate(compiled, mergeFields(ctx, { id: pl, name: ctx.pl_name, sender }, unsubscribe), effect.subject);
    } catch (e) {
      return { status: 'failed', error: `templateError: template "${effect.template}": ${e instanceof Error ? e.message : String(e)}` };
    }
    const tracked = addTracking(rendered.html, rendered.text, { baseUrl, signer, leadId: row.lead_id, key: row.key, unsubscribeUrl: unsubscribe, productLineName: ctx.pl_name });
    const domain = sender.email.split('@')[1] ?? 'localhost';
    const name = typeof ctx.attributes['name'] === 'string' ? ctx.attributes['name'] : '';
    const mail: OutgoingMail = {
      from: { name: sender.name, address: sender.email },
      to: { name, address: ctx.email },
      subject: rendered.subject,
      html: tracked.html,
      text: tracked.text,
      // Stable per outbox key: a message delivered again after a crash carries the same Message-ID.
      messageId: `<${createHash('sha256').update(row.key).digest('hex').slice(0, 32)}@${domain}>`,
      headers: {
        'X-Nurtureflow-Key': row.key,
        'List-Unsubscribe': `<${unsubscribe}>, <${returns.mailto}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
      returnPath: returns.returnPath,
    };
    return { row, nodeId: effect.nodeId, template: effect.template, to: ctx.email, mail, links: tracked.links, returnId: returns.returnId, via: settings.smtp?.url ?? smtpUrl };
  };

  /**
   * Delivers a batch: one lookup, every message rendered, then all handed to their SMTP servers at
   * once over the pooled connections (or kept in the mailbox), and what was sent recorded in one
   * statement. Runs with no transaction open, so the database serves others while SMTP answers.
   */
  const deliverMany = async (rows: readonly OutboxRow[], db: Db): Promise<Delivery[]> => {
    const [found, signer] = await Promise.all([contexts(db, rows), trackingSigner(rt.db, db)]);
    const now = new Date(rt.clock.now());
    const results: Delivery[] = new Array(rows.length);
    const ready: { i: number; m: Composed }[] = [];
    rows.forEach((row, i) => {
      const m = compose(row, found[i], signer);
      if ('status' in m) results[i] = m;
      else ready.push({ i, m });
    });
    const kept = ready.filter(({ m }) => !m.via);
    if (kept.length > 0) {
      await db
        .insertInto('mailbox')
        .values(
          kept.map(({ m: { row, mail } }) => ({
            lead_id: row.lead_id,
            key: row.key,
            product_line: row.product_line,
            to: formatAddress(mail.to),
            from: formatAddress(mail.from),
            subject: mail.subject,
            html: mail.html,
            text: mail.text,
            headers: { 'Return-Path': `<${mail.returnPath}>`, From: formatAddress(mail.from), To: formatAddress(mail.to), Subject: mail.subject, 'Message-ID': mail.messageId, ...mail.headers },
            created_at: now,
          })),
        )
        .onConflict((oc) => oc.columns(['lead_id', 'key']).doNothing())
        .execute();
      for (const { i, m } of kept) results[i] = { status: 'sent', detail: { transport: 'mailbox', messageId: m.mail.messageId } };
    }
    const outgoing = ready.filter(({ m }) => m.via);
    const outcomes = await transports.sendMany(outgoing.map(({ m }) => ({ url: m.via!, mail: m.mail })));
    await Promise.all(
      outgoing.map(async ({ i, m }, k) => {
        const sent = outcomes[k]!;
        results[i] = sent;
        // A recipient refused for good is a hard bounce, recorded with its events in a transaction of its own.
        if ('recipientRejected' in sent) {
          await inTransaction(rt.db, (trx) => bounceAtSend(trx, rt, m.row, m.nodeId, m.to, sent.error)).catch((e: unknown) => {
            results[i] = { status: 'retry', error: `recording the bounce failed: ${e instanceof Error ? e.message : String(e)}` };
          });
        }
      }),
    );
    const sent = ready.filter(({ i }) => results[i]!.status === 'sent');
    if (sent.length > 0) {
      await db
        .insertInto('sent_emails')
        .values(
          sent.map(({ m }) => ({
            lead_id: m.row.lead_id,
            key: m.row.key,
            product_line: m.row.product_line,
            scenario_id: m.row.scenario_id,
            node_id: m.nodeId,
            template_id: m.template,
            to: m.to,
            subject: m.mail.subject,
            message_id: m.mail.messageId,
            transport: m.via ? 'smtp' : 'mailbox',
            links: m.links,
            sent_at: now,
            return_id: m.returnId,
          })),
        )
        .onConflict((oc) => oc.columns(['lead_id', 'key']).doUpdateSet((eb) => ({ links: eb.ref('excluded.links'), subject: eb.ref('excluded.subject'), sent_at: eb.ref('excluded.sent_at') })))
        .execute();
    }
    return results;
  };

  return {
    type: 'sendEmail',
    close: () => transports.close(),
    deliverMany,
    deliver: async (row, db) => (await deliverMany([row], db))[0]!,
  };
}

function formatAddress(a: { name: string; address: string }): string {
  return a.name ? `${JSON.stringify(a.name)} <${a.address}>` : a.address;
}
