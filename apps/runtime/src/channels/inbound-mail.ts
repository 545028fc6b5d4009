// Reading mail that comes back: delivery status notifications (RFC 3464: multipart/report;
// report-type=delivery-status), complaint reports from feedback loops (ARF, RFC 5965:
// report-type=feedback-report) and messages sent to a List-Unsubscribe mailto: address. Which
// message a report is about is read only from the signed tokens of our own addresses (the
// Return-Path it was sent back to, or the original's headers quoted in the report), never from
// headers anyone can write, so a forged or altered report changes nothing.
import { simpleParser, type Attachment, type ParsedMail } from 'mailparser';
import type { Signer } from '../tracking/tokens.ts';
import { findReturnTokens, readReturnTokens, type ReturnToken } from './return-path.ts';

/** One recipient's block of a delivery status report. */
export interface DsnRecipient {
  recipient: string | null;
  action: string;
  status: string;
  diagnostic: string | null;
}

/** What a message that came back says. */
export type InboundReading =
  | { kind: 'bounce'; type: 'hard' | 'soft'; token: ReturnToken | null; recipient: string | null; reason: string }
  | { kind: 'complaint'; token: ReturnToken | null; feedbackType: string; reason: string }
  | { kind: 'unsubscribe'; token: ReturnToken; messageId: string | null }
  | { kind: 'ignored'; reason: string };

/** Headers where the address the message was delivered to is written by the receiving mail system. */
const RECIPIENT_HEADERS = ['delivered-to', 'x-original-to', 'envelope-to', 'x-envelope-to', 'to', 'cc'];

/** Complaint feedback types (RFC 5965 §7.3); `virus`, `not-spam` and the like are not a recipient's complaint. */
const COMPLAINTS = new Set(['abuse', 'fraud']);

/**
 * Reads a raw RFC 822 message. `envelopeRecipient` is the address the mail system delivered it
 * to, when the pipe passes it on (the most reliable place for the Return-Path token).
 */
export async function readInboundMail(raw: Buffer, signer: Signer, envelopeRecipient: string | null = null): Promise<InboundReading> {
  const mail = await simpleParser(raw, { keepDeliveryStatus: true, skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true });
  const recipients = [envelopeRecipient ?? '', ...RECIPIENT_HEADERS.flatMap((h) => headerLines(mail, h))].join('\n');
  const contentType = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const reportType = contentType?.value?.toLowerCase() === 'multipart/report' ? (contentType.params?.['report-type'] ?? '').toLowerCase() : null;

  if (reportType === 'delivery-status') {
    const part = mail.attachments.find((a) => /^message\/(global-)?delivery-status$/i.test(a.contentType));
    if (!part) return { kind: 'ignored', reason: 'a delivery report without its message/delivery-status part' };
    const failed = recipientsOf(part).find((r) => r.action === 'failed');
    if (!failed) return { kind: 'ignored', reason: 'a delivery report of no failure (delayed, delivered, relayed or expanded)' };
    const type = failed.status.startsWith('5') ? 'hard' : failed.status.startsWith('4') ? 'soft' : null;
    if (type === null) return { kind: 'ignored', reason: `a failure with an unreadable status "${failed.status}"` };
    const reason = [`Status ${failed.status}`, failed.diagnostic].filter(Boolean).join(': ');
    return { kind: 'bounce', type, token: messageToken(signer, recipients, raw), recipient: failed.recipient, reason };
  }
  if (reportType === 'feedback-report') {
    const part = mail.attachments.find((a) => /^message\/feedback-report$/i.test(a.contentType));
    const fields = part ? fieldGroups(part.content.toString('utf8'))[0] : undefined;
    const feedbackType = (fields?.get('feedback-type') ?? '').toLowerCase();
    if (!COMPLAINTS.has(feedbackType)) return { kind: 'ignored', reason: `a feedback report of type "${feedbackType || 'none'}", not a complaint` };
    const reason = [`Feedback-Type ${feedbackType}`, fields?.get('user-agent'), fields?.get('source-ip') && `from ${fields.get('source-ip')}`].filter(Boolean).join(', ');
    return { kind: 'complaint', token: messageToken(signer, recipients, raw), feedbackType, reason };
  }
  // Anything else counts only as a mail to the unsubscribe address: its token in the address
  // delivered to, or in the subject the mailto: set. An auto-reply to the Return-Path is not one.
  const unsubscribe = [...findReturnTokens(signer, recipients), ...findReturnTokens(signer, mail.subject ?? '', { alone: true })].find((t) => t.kind === 'unsubscribe');
  if (unsubscribe) return { kind: 'unsubscribe', token: unsubscribe, messageId: mail.messageId ?? null };
  return { kind: 'ignored', reason: 'neither a delivery or complaint report nor a mail to an unsubscribe address of ours (no valid token)' };
}

/**
 * The token naming the message a report is about: the Return-Path token it was delivered to, else
 * one in the original message the report quotes (its Return-Path, its List-Unsubscribe).
 */
function messageToken(signer: Signer, recipients: string, raw: Buffer): ReturnToken | null {
  const delivered = readReturnTokens(signer, recipients);
  // A report sent to one of our addresses with a token that does not verify was tampered with: it names nothing.
  if (delivered.altered) return null;
  const bounce = delivered.valid.find((t) => t.kind === 'bounce');
  if (bounce) return bounce;
  const quoted = readReturnTokens(signer, raw.toString('latin1'));
  // Nor can a report quoting an altered token, or two different messages, be trusted to name either.
  return !quoted.altered && new Set(quoted.valid.map((t) => t.returnId)).size === 1 ? quoted.valid[0]! : null;
}

function headerLines(mail: ParsedMail, name: string): string[] {
  return mail.headerLines.filter((l) => l.key === name).map((l) => l.line);
}

/** The per-recipient blocks of a delivery-status part (the first block is about the message). */
function recipientsOf(part: Attachment): DsnRecipient[] {
  return fieldGroups(part.content.toString('utf8'))
    .slice(1)
    .map((f) => ({
      recipient: addressOf(f.get('final-recipient') ?? f.get('original-recipient') ?? null),
      action: (f.get('action') ?? '').toLowerCase(),
      status: (f.get('status') ?? '').match(/\d\.\d{1,3}\.\d{1,3}/)?.[0] ?? '',
      diagnostic: f.get('diagnostic-code')?.replace(/^[^;]*;\s*/, '') ?? null,
    }));
}

/** `rfc822; taro@example.jp` → `taro@example.jp`. */
function addressOf(field: string | null): string | null {
  if (!field) return null;
  return field.replace(/^[^;]*;\s*/, '').replace(/^<|>$/g, '').trim() || null;
}

/** Groups of `Name: value` fields separated by blank lines (RFC 3464 §2.1), continuation lines unfolded, names lower-cased. */
export function fieldGroups(text: string): Map<string, string>[] {
  const groups: Map<string, string>[] = [];
  let current: Map<string, string> | null = null;
  let last: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      current = null;
      last = null;
      continue;
    }
    if (/^[ \t]/.test(line) && current && last) {
      current.set(last, `${current.get(last)} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    if (!current) groups.push((current = new Map()));
    last = line.slice(0, colon).trim().toLowerCase();
    if (!current.has(last)) current.set(last, line.slice(colon + 1).trim());
  }
  return groups;
}
