// SMTP through nodemailer: each message built (MailComposer) and sent over pooled connections per
// SMTP URL (smtp-pool.ts), on a worker thread; and what an SMTP failure means for the outbox row. A permanent rejection (5xx) of the message is the marketer's to see and fix
// (a bad address): the row fails with the reason. Anything else — no connection, a timeout, a
// temporary 4xx, the server refusing our credentials — is the operator's: retried with backoff,
// so nothing is lost while they fix it.
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Delivery } from './dispatcher.ts';
import { SmtpPool } from './smtp-pool.ts';

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

/** How SMTP connections are kept. */
export interface SmtpOptions {
  /** Pooled connections per SMTP server and sending thread (default 4). */
  maxConnections?: number;
  timeoutMs?: number;
}

/**
 * Where the channel hands messages to SMTP. Building a message (MIME) and speaking SMTP cost more
 * CPU than everything else a mail needs, so by default they run on a worker thread (`threads`, 1;
 * 0 keeps them on this one) and the dispatcher's thread goes on with its database work and the next
 * batch's rendering meanwhile. Each thread keeps its own pooled connections per SMTP URL.
 */
export class SmtpTransports {
  private readonly local: SmtpSender | null;
  private readonly threads: SmtpThread[];
  private next = 0;

  constructor(options: SmtpOptions & { threads?: number } = {}) {
    const { threads = 1, ...smtp } = options;
    this.local = threads > 0 ? null : new SmtpSender(smtp);
    this.threads = Array.from({ length: threads }, () => new SmtpThread(smtp));
  }

  /** Sends one message; resolves with what the dispatcher records. */
  async send(url: string, mail: OutgoingMail): Promise<SmtpDelivery> {
    return (await this.sendMany([{ url, mail }]))[0]!;
  }

  /** Sends messages concurrently, handed to a thread in one piece; the outcomes in their order. */
  sendMany(items: readonly SmtpItem[]): Promise<SmtpDelivery[]> {
    if (items.length === 0) return Promise.resolve([]);
    if (this.local) return this.local.sendMany(items);
    return this.threads[this.next++ % this.threads.length]!.sendMany(items);
  }

  /** Closes every pooled connection (and the threads, once their messages are sent). */
  close(): void {
    this.local?.close();
    for (const t of this.threads) t.close();
  }
}

/** One worker thread running an SmtpSender (smtp-worker.ts). */
class SmtpThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { size: number; resolve: (d: SmtpDelivery[]) => void }>();
  private nextId = 0;

  constructor(private readonly options: SmtpOptions) {}

  sendMany(items: readonly SmtpItem[]): Promise<SmtpDelivery[]> {
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    // Held while it has messages in flight, so the process waits for their outcome; idle, it keeps nobody alive.
    if (this.pending.size === 0) worker.ref();
    return new Promise((resolve) => {
      this.pending.set(id, { size: items.length, resolve });
      worker.postMessage({ type: 'send', id, items } satisfies SmtpRequest);
    });
  }

  close(): void {
    this.worker?.postMessage({ type: 'close' } satisfies SmtpRequest);
    this.worker = null;
  }

  private start(): Worker {
    // The worker runs the TypeScript source as the process does, through tsx's loader.
    const entry = new URL('./smtp-worker.ts', import.meta.url).href;
    const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`;
    const worker = new Worker(boot, { eval: true, workerData: this.options });
    worker.on('message', (m: SmtpReply) => {
      const waiting = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (this.pending.size === 0) worker.unref();
      waiting?.resolve(m.deliveries);
    });
    // Messages in flight on a thread that died may or may not have reached the server: they are retried (at least once).
    const stopped = (why: string) => {
      if (this.worker === worker) this.worker = null;
      for (const { size, resolve } of this.pending.values()) resolve(Array.from({ length: size }, () => ({ status: 'retry', error: `SMTP thread stopped: ${why}` })));
      this.pending.clear();
    };
    worker.on('error', (e) => stopped(e.message));
    worker.on('exit', (code) => stopped(`exit code ${code}`));
    return worker;
  }
}

/** One message and the SMTP server it goes to. */
export interface SmtpItem {
  url: string;
  mail: OutgoingMail;
}
/** What the dispatcher's thread asks a sending thread. */
export type SmtpRequest = { type: 'send'; id: number; items: readonly SmtpItem[] } | { type: 'close' };
/** What a sending thread answers: the outcomes in the order of the request's items. */
export interface SmtpReply {
  id: number;
  deliveries: SmtpDelivery[];
}

/** Builds and sends messages in this thread over pooled connections by URL; `close()` ends them. */
export class SmtpSender {
  private readonly byUrl = new Map<string, SmtpPool>();

  constructor(private readonly options: SmtpOptions = {}) {}

  /** Sends messages concurrently over the pools; the outcomes in their order. */
  sendMany(items: readonly SmtpItem[]): Promise<SmtpDelivery[]> {
    return Promise.all(items.map((item) => this.send(item.url, item.mail)));
  }

  /** Sends one message; resolves with what the dispatcher records. */
  async send(url: string, mail: OutgoingMail): Promise<SmtpDelivery> {
    try {
      // Built into one buffer first: streamed, a message reaches the socket in a dozen writes; built,
      // in three — and system calls, not building, are what a busy sender runs out of. Text parts go
      // as base64: Japanese text is mostly 8-bit, where quoted-printable is a third larger and, built
      // in JavaScript, several times slower than the native base64. Templates are the marketer's:
      // nothing in a message may make the server read a file or a URL.
      // The boundaries come from the Message-ID rather than from random bytes: base64 parts cannot
      // contain a line starting with "--", so any boundary is safe, and the bytes cost a system call.
      const baseBoundary = createHash('sha256').update(mail.messageId).digest('hex').slice(0, 24);
      const raw = await new MailComposer({ ...mail, baseBoundary, textEncoding: 'base64', disableFileAccess: true, disableUrlAccess: true }).compile().build();
      const info = await this.pool(url).send({ from: mail.returnPath ?? mail.from.address, to: [mail.to.address] }, raw);
      return { status: 'sent', detail: { transport: 'smtp', messageId: mail.messageId, response: info.response } };
    } catch (e) {
      return smtpFailure(e);
    }
  }

  /** Closes every pooled connection. */
  close(): void {
    for (const p of this.byUrl.values()) p.close();
    this.byUrl.clear();
  }

  private pool(url: string): SmtpPool {
    let p = this.byUrl.get(url);
    if (!p) this.byUrl.set(url, (p = new SmtpPool(url, this.options)));
    return p;
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
