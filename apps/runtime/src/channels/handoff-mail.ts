// The hand-off notification mailed to sales: who the lead is, why it comes now (the node's reason,
// the score and how it was earned, what the lead did lately) and where to answer, in Japanese and
// English. It goes through the product line's SMTP server, else SMTP_URL, else the local mailbox,
// with the outbox key as its idempotency key (X-Nurtureflow-Key and a Message-ID made from it).
import { createHash } from 'node:crypto';
import type { ProductLineSettings } from '@nurtureflow/scenario';
import type { Db } from '../core/bulk.ts';
import { escapeHtml } from '../tracking/links.ts';
import type { OutboxRow } from './dispatcher.ts';
import { globalSmtpUrl, senderOf } from './email-config.ts';
import type { HandoffRecord } from './handoff-record.ts';
import type { LeadCard } from './lead-summary.ts';
import { SmtpTransports, type OutgoingMail, type SmtpDelivery } from './smtp.ts';

/** Where sales answer a hand-off: the record itself, and the accept and return actions. */
export interface HandoffLinks {
  view: string;
  accept: string;
  return: string;
}

/** The notification as it is mailed (and kept with the record). */
export interface HandoffMessage {
  subject: string;
  text: string;
  html: string;
}

/** What mailing it did, for the dispatcher and the record's `notification`. */
export type HandoffMailResult = SmtpDelivery & { transport: 'smtp' | 'mailbox'; messageId: string };

/** Sends hand-off notifications; `close()` ends its SMTP connections. */
export class HandoffMailer {
  private readonly transports = new SmtpTransports({ maxConnections: 1 });

  /** `smtpUrl`: the server-wide SMTP server (default SMTP_URL); null keeps mail in the local mailbox. */
  constructor(private readonly smtpUrl: string | null = globalSmtpUrl()) {}

  /** Mails the message to `to` for the outbox row `row`, in the dispatcher's transaction (the mailbox row, when kept locally). */
  async send(db: Db, row: OutboxRow, settings: ProductLineSettings | undefined, productLineName: string, to: string, message: HandoffMessage, now: Date): Promise<HandoffMailResult> {
    const sender = senderOf(settings, productLineName);
    const domain = sender.email.split('@')[1] ?? 'localhost';
    const messageId = `<${createHash('sha256').update(`handoff:${row.key}`).digest('hex').slice(0, 32)}@${domain}>`;
    const mail: OutgoingMail = {
      from: { name: sender.name, address: sender.email },
      to: { name: '', address: to },
      subject: message.subject,
      html: message.html,
      text: message.text,
      messageId,
      headers: { 'X-Nurtureflow-Key': row.key, 'Auto-Submitted': 'auto-generated' },
    };
    const via = settings?.smtp?.url ?? this.smtpUrl;
    if (via) return { ...(await this.transports.send(via, mail)), transport: 'smtp', messageId };
    await db
      .insertInto('mailbox')
      .values({
        lead_id: row.lead_id,
        key: row.key,
        product_line: row.product_line,
        to,
        from: `${JSON.stringify(sender.name)} <${sender.email}>`,
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        headers: { From: `${JSON.stringify(sender.name)} <${sender.email}>`, To: to, Subject: mail.subject, 'Message-ID': messageId, ...mail.headers },
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['lead_id', 'key']).doNothing())
      .execute();
    return { status: 'sent', transport: 'mailbox', messageId };
  }

  close(): void {
    this.transports.close();
  }
}

/** The notification's subject and text (Japanese, then English) and its HTML. */
export function handoffMessage(record: HandoffRecord, productLineName: string, links: HandoffLinks): HandoffMessage {
  const lead = record.lead as Partial<LeadCard> & { id: string };
  const who = [lead.name, lead.company ? `(${lead.company})` : null].filter(Boolean).join(' ') || lead.id;
  const s = record.standing;
  const scores = record.scoreHistory.slice(-10).map((h) => `  ${h.at}  ${h.points >= 0 ? '+' : ''}${h.points} → ${h.score}  ${h.kind ?? h.reason ?? h.source}`);
  const recent = record.recentEvents.slice(0, 10).map((e) => `  ${e.at}  ${e.kind}`);
  const contact = (labels: [string, string, string]) => [
    ...(lead.company ? [`${labels[0]}: ${lead.company}`] : []),
    ...(lead.email ? [`${labels[1]}: ${lead.email}`] : []),
    ...(lead.phone ? [`${labels[2]}: ${lead.phone}`] : []),
  ];
  const ja = [
    `${who} 様を営業に引き継ぎます（${productLineName}、シナリオ ${record.scenario.id} のノード ${record.node.id}）。`,
    ...(record.node.reason ? ['', `理由: ${record.node.reason}`] : []),
    '',
    `スコア ${s.score}${s.rank ? `、ランク ${s.rank}` : ''}${s.hot ? `、ホット${s.hotAt ? `（${s.hotAt} から）` : ''}` : ''}`,
    ...contact(['会社', 'メール', '電話']),
    '',
    'スコアの内訳:',
    ...(scores.length === 0 ? ['  （スコアの付く行動なし）'] : scores),
    '',
    '最近の行動:',
    ...(recent.length === 0 ? ['  （なし）'] : recent),
    '',
    `引き継ぎの詳細: ${links.view}`,
    `受け入れる: POST ${links.accept}`,
    `ナーチャリングに戻す: POST ${links.return}`,
  ];
  const en = [
    `${who} was handed to sales by scenario ${record.scenario.id} (node ${record.node.id}) of ${productLineName}.`,
    ...(record.node.reason ? ['', `Why: ${record.node.reason}`] : []),
    '',
    `Score ${s.score}${s.rank ? `, rank ${s.rank}` : ''}${s.hot ? ', hot' : ''}${s.hotAt ? ` since ${s.hotAt}` : ''}.`,
    ...contact(['Company', 'E-mail', 'Phone']),
    '',
    'How the score was earned:',
    ...(scores.length === 0 ? ['  (no scored activity)'] : scores),
    '',
    'Recent activity:',
    ...(recent.length === 0 ? ['  (none)'] : recent),
    '',
    `The hand-off: ${links.view}`,
    `Accept: POST ${links.accept}`,
    `Return to nurturing: POST ${links.return}`,
  ];
  const text = [...ja, '', '----------------------------------------', '', ...en].join('\n');
  const linked = escapeHtml(text).replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);
  return {
    subject: `[Nurtureflow] 営業引き継ぎ / Hand-off: ${who} — ${productLineName}`,
    text,
    html: `<!doctype html><html><body><pre style="font-family:sans-serif;white-space:pre-wrap">${linked}</pre></body></html>`,
  };
}
