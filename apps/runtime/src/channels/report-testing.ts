// Test helpers for mail that comes back: delivery status reports (RFC 3464) and complaint reports
// (ARF, RFC 5965) as receiving mail systems write them, quoting a message the test SMTP server
// received, and posting a raw message to the inbound endpoint.
import type { TestRuntime } from '../testing.ts';

const CRLF = '\r\n';

/** The header block of a raw message. */
export function headersOf(raw: string): string {
  const end = raw.search(/\r?\n\r?\n/);
  return end < 0 ? raw : raw.slice(0, end);
}

/** A delivery status notification for one recipient, sent back to `to` (the message's Return-Path). */
export function aDsn(options: { to: string; recipient: string; status: string; action?: string; diagnostic?: string; original: string }): string {
  const boundary = 'dsn-boundary-1';
  return [
    'From: Mail Delivery System <MAILER-DAEMON@mx.example.jp>',
    `To: <${options.to}>`,
    'Subject: Undelivered Mail Returned to Sender',
    'Date: Mon, 6 Apr 2026 09:00:00 +0900',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is the mail system at host mx.example.jp. Your message could not be delivered.',
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.jp',
    'Arrival-Date: Mon, 6 Apr 2026 08:59:58 +0900',
    '',
    `Final-Recipient: rfc822; ${options.recipient}`,
    `Original-Recipient: rfc822;${options.recipient}`,
    `Action: ${options.action ?? 'failed'}`,
    `Status: ${options.status}`,
    ...(options.diagnostic ? folded(`Diagnostic-Code: smtp; ${options.diagnostic}`) : []),
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
    headersOf(options.original),
    '',
    `--${boundary}--`,
    '',
  ].join(CRLF);
}

// A long field goes on over continuation lines, as mail systems write it.
function folded(field: string): string[] {
  const at = field.lastIndexOf(' ', 50);
  return field.length <= 60 || at <= 0 ? [field] : [field.slice(0, at), ` ${field.slice(at + 1)}`];
}

/** A complaint report from a feedback loop, quoting the whole message as delivered (with the Return-Path the receiving system added). */
export function anArf(options: { original: string; returnPath: string; feedbackType?: string; to?: string }): string {
  const boundary = 'arf-boundary-1';
  return [
    'From: Feedback Loop <fbl@isp.example.jp>',
    `To: ${options.to ?? 'abuse@nf.test'}`,
    'Subject: FW: complaint about a message',
    'Date: Mon, 6 Apr 2026 09:00:00 +0900',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=feedback-report; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is an e-mail abuse report for a message received from IP 192.0.2.1.',
    '',
    `--${boundary}`,
    'Content-Type: message/feedback-report',
    '',
    `Feedback-Type: ${options.feedbackType ?? 'abuse'}`,
    'User-Agent: ExampleFBL/1.0',
    'Version: 1',
    'Source-IP: 192.0.2.1',
    '',
    `--${boundary}`,
    'Content-Type: message/rfc822',
    'Content-Disposition: inline',
    '',
    `Return-Path: <${options.returnPath}>`,
    options.original.replace(/\r?\n/g, CRLF),
    `--${boundary}--`,
    '',
  ].join(CRLF);
}

/** A plain message, as a mail client writes one for a mailto: link. */
export function aMail(options: { to: string; subject: string; from?: string; body?: string }): string {
  return [
    `From: ${options.from ?? 'someone@example.jp'}`,
    `To: ${options.to}`,
    `Subject: ${options.subject}`,
    'Date: Mon, 6 Apr 2026 09:00:00 +0900',
    `Message-ID: <${Math.random().toString(36).slice(2)}@client.example.jp>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    options.body ?? '',
    '',
  ].join(CRLF);
}

/** POSTs a raw message to /inbound/mail, as a mail server's pipe does. */
export function postMail(t: TestRuntime, raw: string, query = '', headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  return t.call('POST', `/inbound/mail${query}`, raw, { 'content-type': 'message/rfc822', ...headers });
}

/** The address and subject of a List-Unsubscribe header's mailto:. */
export function mailtoOf(listUnsubscribe: string): { address: string; subject: string } {
  const m = /<mailto:([^?>]+)\?subject=([^>]*)>/.exec(listUnsubscribe);
  if (!m) throw new Error(`no mailto: in ${listUnsubscribe}`);
  return { address: m[1]!, subject: decodeURIComponent(m[2]!) };
}
