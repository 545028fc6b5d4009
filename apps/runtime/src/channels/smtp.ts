// SMTP through nodemailer: one pooled transport per SMTP URL, and what an SMTP failure means for
// the outbox row. A permanent rejection (5xx) of the message is the marketer's to see and fix
// (a bad address): the row fails with the reason. Anything else — no connection, a timeout, a
// temporary 4xx, the server refusing our credentials — is the operator's: retried with backoff,
// so nothing is lost while they fix it.
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Delivery } from './dispatcher.ts';

/** What the channel hands to SMTP. */
export interface OutgoingMail {
  from: { name: string; address: string };
  to: { name: string; address: string };
  subject: string;
  html: string;
  text: string;
  messageId: string;
  headers: Record<string, string>;
  /** The envelope sender (Return-Path), where bounce reports go; the From address when absent. */
  returnPath?: string;
}

type Transport = ReturnType<typeof nodemailer.createTransport>;

/** Pooled transports by URL, reused across messages; `close()` ends their connections. */
export class SmtpTransports {
  private readonly byUrl = new Map<string, Transport>();

  constructor(private readonly options: { maxConnections?: number; timeoutMs?: number } = {}) {}

  /** Sends one message; resolves with what the dispatcher records. */
  async send(url: string, mail: OutgoingMail): Promise<SmtpDelivery> {
    try {
      // Built into one buffer first: streamed, a message reaches the socket in a dozen writes; built,
      // in three — and system calls, not building, are what a busy sender runs out of.
      const raw = await new MailComposer({ ...mail, disableFileAccess: true, disableUrlAccess: true }).compile().build();
      const info = await this.transport(url).sendMail({ envelope: { from: mail.returnPath ?? mail.from.address, to: [mail.to.address] }, raw, messageId: mail.messageId });
      return { status: 'sent', detail: { transport: 'smtp', messageId: mail.messageId, response: String((info as { response?: unknown }).response ?? '') } };
    } catch (e) {
      return smtpFailure(e);
    }
  }

  /** Closes every pooled connection. */
  close(): void {
    for (const t of this.byUrl.values()) t.close();
    this.byUrl.clear();
  }

  private transport(url: string): Transport {
    let t = this.byUrl.get(url);
    if (!t) {
      const timeout = this.options.timeoutMs ?? 15_000;
      t = nodemailer.createTransport({
        url,
        pool: true,
        maxConnections: this.options.maxConnections ?? 4,
        maxMessages: Infinity,
        connectionTimeout: timeout,
        greetingTimeout: timeout,
        socketTimeout: timeout * 2,
        // Templates are the marketer's: nothing in a message may make the server read a file or a URL.
        disableFileAccess: true,
        disableUrlAccess: true,
      } as Parameters<typeof nodemailer.createTransport>[0]);
      this.byUrl.set(url, t);
    }
    return t;
  }
}

/** A delivery outcome that may say the server refused the recipient for good (a hard bounce). */
export type SmtpDelivery = Delivery | { status: 'failed'; error: string; recipientRejected: true };

/** An SMTP error as a delivery outcome: 5xx on the message → failed (5xx to RCPT TO: the recipient refused); the rest → retry. */
export function smtpFailure(e: unknown): SmtpDelivery {
  const err = e as { responseCode?: number; response?: string; code?: string; message?: string; command?: string };
  const reason = err.responseCode ? `SMTP ${err.responseCode}: ${(err.response ?? err.message ?? '').trim()}` : `SMTP ${err.code ?? 'error'}: ${err.message ?? String(e)}`;
  if (err.responseCode !== undefined && err.responseCode >= 500 && err.code === 'EENVELOPE' && err.command === 'RCPT TO') return { status: 'failed', error: reason, recipientRejected: true };
  if (err.responseCode !== undefined && err.responseCode >= 500 && err.code !== 'EAUTH') return { status: 'failed', error: reason };
  return { status: 'retry', error: reason };
}
