// A few SMTP connections to one server (nodemailer's SMTPConnection), each sending queued messages
// one after another. nodemailer's own pooled transport runs every message through its mailer and
// composes it a second time, which costs more CPU than speaking SMTP; here a message arrives built.
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { parseConnectionUrl } from 'nodemailer/lib/shared';

export interface SmtpPoolOptions {
  /** Connections at most (default 4). */
  maxConnections?: number;
  /** Connection, greeting and (doubled) socket timeout in ms (default 15 s). */
  timeoutMs?: number;
}

/** What the server answered a message it took. */
export interface SmtpAccepted {
  response: string;
}

interface Job {
  envelope: { from: string; to: string[] };
  raw: Buffer;
  resolve: (info: SmtpAccepted) => void;
  reject: (e: unknown) => void;
}

/** Pooled connections to one SMTP server (by URL, credentials included). */
export class SmtpPool {
  private readonly queue: Job[] = [];
  private readonly idle: SMTPConnection[] = [];
  /** Connections opening, idle or busy. */
  private readonly live = new Set<SMTPConnection>();
  /** Connections that got through the greeting (and login): the server is reachable. */
  private readonly ready = new Set<SMTPConnection>();
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly options: SmtpPoolOptions = {},
  ) {}

  /** Sends a built message; rejects with nodemailer's SMTP error (responseCode, command, code). */
  send(envelope: { from: string; to: string[] }, raw: Buffer): Promise<SmtpAccepted> {
    if (this.closed) return Promise.reject(Object.assign(new Error('the SMTP pool is closed'), { code: 'ECONNECTION' }));
    return new Promise((resolve, reject) => {
      this.queue.push({ envelope, raw, resolve, reject });
      this.pump();
    });
  }

  /** Says QUIT on every idle connection; busy ones close after their message. */
  close(): void {
    this.closed = true;
    for (const c of this.idle.splice(0)) c.quit();
    for (const job of this.queue.splice(0)) job.reject(Object.assign(new Error('the SMTP pool was closed'), { code: 'ECONNECTION' }));
  }

  private pump(): void {
    while (this.queue.length > 0 && this.idle.length > 0) this.run(this.idle.pop()!, this.queue.shift()!);
    // One more connection while messages wait for more than the ones opening will take.
    if (this.queue.length > this.live.size - this.idle.length && this.live.size < (this.options.maxConnections ?? 4)) this.open();
  }

  private open(): void {
    const timeout = this.options.timeoutMs ?? 15_000;
    const options = parseConnectionUrl(this.url);
    const connection = new SMTPConnection({ ...options, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout * 2 });
    this.live.add(connection);
    const gone = (e?: unknown) => {
      if (!this.live.delete(connection)) return;
      const wasReady = this.ready.delete(connection);
      const at = this.idle.indexOf(connection);
      if (at >= 0) this.idle.splice(at, 1);
      // A server that cannot be reached fails what waits for it (retried with backoff) rather than
      // leaving it queued behind one connection attempt after another.
      if (!wasReady && this.ready.size === 0) for (const job of this.queue.splice(0)) job.reject(e ?? Object.assign(new Error('SMTP connection closed'), { code: 'ECONNECTION' }));
      else if (!this.closed) this.pump();
    };
    connection.on('error', gone);
    connection.on('end', () => gone());
    connection.connect((e) => {
      if (e) return gone(e);
      const start = () => {
        this.ready.add(connection);
        this.release(connection);
      };
      if (!options.auth) return start();
      connection.login(options.auth, (e) => (e ? (gone(e), connection.close()) : start()));
    });
  }

  private run(connection: SMTPConnection, job: Job): void {
    connection.send(job.envelope, job.raw, (e, info) => {
      if (!e) {
        job.resolve({ response: String(info.response ?? '') });
        return this.release(connection);
      }
      job.reject(e);
      // The server refused this message, not the connection: reset the session and go on with it.
      if ((e.code === 'EENVELOPE' || e.code === 'EMESSAGE') && e.responseCode !== 421) {
        connection.reset((resetError) => (resetError ? connection.close() : this.release(connection)));
      } else connection.close();
    });
  }

  private release(connection: SMTPConnection): void {
    if (this.closed) return connection.quit();
    this.idle.push(connection);
    this.pump();
  }
}
