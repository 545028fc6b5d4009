// Test helpers for channels: a real SMTP server on loopback (smtp-server) that keeps what arrives,
// parsed with mailparser; and a driver that runs a golden fixture with the worker and the
// dispatcher at every time step, as a process running both would.
import type { AddressInfo } from 'node:net';
import type { GoldenFixture } from '@nurtureflow/engine/golden';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { stepDue } from '../core/worker.ts';
import { driveFixture } from '../golden/drive.ts';
import type { TestRuntime } from '../testing.ts';
import type { Channel } from './dispatcher.ts';
import { dispatchAllDue } from './start-dispatcher.ts';

/** A message as the test SMTP server received it. */
export interface Received {
  key: string;
  /** MAIL FROM: the Return-Path bounce reports go to. */
  envelopeFrom: string;
  envelopeTo: string[];
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: Map<string, unknown>;
  /** The raw header value of List-Unsubscribe (mailparser turns it into an object). */
  listUnsubscribe: string;
  listUnsubscribePost: string;
  /** The message as it arrived, for tests that quote it in a report. */
  raw: string;
}

/** A running (or stopped) test SMTP server. */
export interface TestSmtp {
  readonly url: string;
  readonly port: number;
  readonly received: Received[];
  /** Answer MAIL FROM with this SMTP code (e.g. 451, 550) until set back to null. */
  failWith(code: number | null): void;
  /** Refuse these recipients at RCPT TO with 550 5.1.1 (no such user), as a receiving server does. */
  rejectRecipients(addresses: readonly string[]): void;
  /** Stop listening: connections are refused until `start()`. */
  stop(): Promise<void>;
  /** Listen again on the same port. */
  start(): Promise<void>;
  /** How many messages arrived with each X-Nurtureflow-Key. */
  countByKey(): Map<string, number>;
}

/** Starts an SMTP server on 127.0.0.1 (a free port unless given). */
export async function startTestSmtp(port = 0): Promise<TestSmtp> {
  const received: Received[] = [];
  let failing: number | null = null;
  let rejected = new Set<string>();
  let server: SMTPServer | null = null;
  let boundPort = port;
  const listen = async () => {
    const s = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 50,
      size: 10 * 1024 * 1024,
      onMailFrom(_address, _session, callback) {
        if (failing === null) return callback();
        const err = new Error(failing >= 500 ? 'mailbox unavailable' : 'try again later') as Error & { responseCode: number };
        err.responseCode = failing;
        callback(err);
      },
      onRcptTo(address, _session, callback) {
        if (!rejected.has(address.address.toLowerCase())) return callback();
        const err = new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`) as Error & { responseCode: number };
        err.responseCode = 550;
        callback(err);
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        new Promise<Buffer>((resolve, reject) => (stream.on('end', () => resolve(Buffer.concat(chunks))), stream.on('error', reject)))
          .then(async (raw) => ({ raw, mail: await simpleParser(raw, { skipImageLinks: true }) }))
          .then(({ raw, mail }) => {
            const header = (name: string) => {
              const line = mail.headerLines.find((l) => l.key === name);
              return line ? line.line.slice(line.line.indexOf(':') + 1).replace(/\r?\n\s+/g, ' ').trim() : '';
            };
            received.push({
              key: header('x-nurtureflow-key'),
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              from: mail.from?.text ?? '',
              to: Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : (mail.to?.text ?? ''),
              subject: mail.subject ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
              text: mail.text ?? '',
              headers: mail.headers,
              listUnsubscribe: header('list-unsubscribe'),
              listUnsubscribePost: header('list-unsubscribe-post'),
              raw: raw.toString('utf8'),
            });
            callback();
          })
          .catch((e: Error) => callback(e));
      },
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(boundPort, '127.0.0.1', () => resolve());
    });
    s.on('error', () => undefined);
    boundPort = (s.server.address() as AddressInfo).port;
    server = s;
  };
  await listen();
  return {
    get url() {
      return `smtp://127.0.0.1:${boundPort}`;
    },
    get port() {
      return boundPort;
    },
    received,
    failWith: (code) => void (failing = code),
    rejectRecipients: (addresses) => void (rejected = new Set(addresses.map((a) => a.toLowerCase()))),
    stop: () =>
      new Promise<void>((resolve) => {
        const s = server;
        server = null;
        if (!s) return resolve();
        s.close(() => resolve());
      }),
    start: listen,
    countByKey() {
      const counts = new Map<string, number>();
      for (const m of received) counts.set(m.key, (counts.get(m.key) ?? 0) + 1);
      return counts;
    },
  };
}

/** A request for a URL found in a mail (`http://nf.test/t/o/…`), made to the app by its path. */
export async function follow(t: TestRuntime, url: string, init: RequestInit = {}): Promise<Response> {
  const u = new URL(url);
  return t.app.request(u.pathname + u.search, init);
}

/** The hrefs of a received HTML part, in order. */
export function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
}

/** The open pixel's URL in a received HTML part. */
export function pixelUrl(html: string): string {
  const m = /<img src="([^"]+\/t\/o\/[^"]+)"/.exec(html);
  if (!m) throw new Error('no open pixel in the message');
  return m[1]!;
}

/** Runs the worker and then the dispatcher until nothing is due now. */
export async function drainAll(t: TestRuntime, channels: readonly Channel[]): Promise<void> {
  for (;;) {
    let n = 0;
    while ((await stepDue(t.rt, 500)) > 0) n++;
    n += await dispatchAllDue(t.rt, channels);
    if (n === 0) return;
  }
}

/**
 * Replays a golden fixture through the HTTP API as golden/drive.ts does, with the product lines'
 * templates created first and the dispatcher run with the worker at every time step.
 */
export async function driveWithMail(
  t: TestRuntime,
  fixture: GoldenFixture,
  channels: readonly Channel[],
  templates: Record<string, { subject: string; html: string; text?: string }>,
): Promise<void> {
  await driveFixture(t, fixture, { templates, drain: (x) => drainAll(x, channels) });
}

/** Each product line's e-mail node `nodeId` that the scenario skipped for this lead, with the reason (`why`). */
export async function emailSkips(t: TestRuntime, leadId: string, nodeId: string): Promise<[string, string][]> {
  const rows = await t.rt.db
    .selectFrom('enrollment_history as h')
    .innerJoin('enrollments as e', (j) => j.onRef('e.lead_id', '=', 'h.lead_id').onRef('e.id', '=', 'h.enrollment_id'))
    .select(['e.product_line', 'h.reason'])
    .where('h.lead_id', '=', leadId)
    .where('h.node_id', '=', nodeId)
    .where('h.output', '=', 'skipped')
    .orderBy('e.product_line')
    .execute();
  return rows.map((r) => [r.product_line, String((r.reason as { why?: string }).why)]);
}
