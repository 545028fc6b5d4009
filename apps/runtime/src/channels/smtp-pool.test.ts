import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { SmtpPool } from './smtp-pool.ts';
import { SmtpTransports, type OutgoingMail } from './smtp.ts';

/** A real SMTP server on loopback that counts sessions and keeps the recipients of what it accepted. */
async function server(options: SMTPServerOptions = {}) {
  const accepted: string[] = [];
  let sessions = 0;
  const s = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 50,
    onConnect: (_session, callback) => (sessions++, callback()),
    onData(stream, session, callback) {
      stream.resume();
      stream.on('end', () => (accepted.push(...session.envelope.rcptTo.map((r) => r.address)), callback()));
    },
    ...options,
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.server.address() as AddressInfo).port;
  return { port, accepted, sessions: () => sessions, close: () => new Promise<void>((r) => s.close(() => r())) };
}

const raw = (to: string) => Buffer.from(`From: info@pool.example.jp\r\nTo: ${to}\r\nSubject: test\r\n\r\nhello\r\n`);
const mail = (to: string): OutgoingMail => ({ from: { name: '事務局', address: 'info@pool.example.jp' }, to: { name: '', address: to }, subject: 'テスト', html: '<p>こんにちは</p>', text: 'こんにちは', messageId: '<0123456789abcdef@pool.example.jp>', headers: {} });

describe('pooled SMTP connections', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0)) await f();
  });

  it('sends message after message over the connections it keeps, at most maxConnections of them', async () => {
    const s = await server();
    const pool = new SmtpPool(`smtp://127.0.0.1:${s.port}`, { maxConnections: 2 });
    cleanup.push(() => pool.close(), s.close);
    const to = Array.from({ length: 20 }, (_, i) => `lead-${i}@example.jp`);
    await Promise.all(to.map((t) => pool.send({ from: 'info@pool.example.jp', to: [t] }, raw(t))));
    expect(s.accepted.sort()).toEqual([...to].sort());
    expect(s.sessions()).toBe(2);
  });

  it('replaces a connection the server closed while it was idle, and the next message goes out', async () => {
    const s = await server({ socketTimeout: 200 });
    const pool = new SmtpPool(`smtp://127.0.0.1:${s.port}`, { maxConnections: 1 });
    cleanup.push(() => pool.close(), s.close);
    await pool.send({ from: 'info@pool.example.jp', to: ['first@example.jp'] }, raw('first@example.jp'));
    await new Promise((r) => setTimeout(r, 500));
    await pool.send({ from: 'info@pool.example.jp', to: ['second@example.jp'] }, raw('second@example.jp'));
    expect(s.accepted).toEqual(['first@example.jp', 'second@example.jp']);
    expect(s.sessions()).toBe(2);
  });

  it('goes on over the same connection after the server refused one recipient', async () => {
    const s = await server({
      onRcptTo(address, _session, callback) {
        if (address.address !== 'gone@example.jp') return callback();
        callback(Object.assign(new Error('5.1.1 user unknown'), { responseCode: 550 }));
      },
    });
    const pool = new SmtpPool(`smtp://127.0.0.1:${s.port}`, { maxConnections: 1 });
    cleanup.push(() => pool.close(), s.close);
    const refused = await pool.send({ from: 'info@pool.example.jp', to: ['gone@example.jp'] }, raw('gone@example.jp')).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' });
    await pool.send({ from: 'info@pool.example.jp', to: ['here@example.jp'] }, raw('here@example.jp'));
    expect(s.accepted).toEqual(['here@example.jp']);
    expect(s.sessions()).toBe(1);
  });

  it("logs in with the URL's credentials from the sending thread; refused credentials are the operator's to fix and retried", async () => {
    const s = await server({
      authOptional: false,
      allowInsecureAuth: true,
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth: (auth, _session, callback) => (auth.username === 'mailer' && auth.password === 'p@ss' ? callback(null, { user: 'mailer' }) : callback(new Error('invalid credentials'))),
    });
    const transports = new SmtpTransports();
    cleanup.push(() => transports.close(), s.close);
    expect(await transports.send(`smtp://mailer:${encodeURIComponent('p@ss')}@127.0.0.1:${s.port}`, mail('in@example.jp'))).toMatchObject({ status: 'sent' });
    expect(await transports.send(`smtp://mailer:wrong@127.0.0.1:${s.port}`, mail('out@example.jp'))).toMatchObject({ status: 'retry', error: expect.stringMatching(/^SMTP 535/) });
    expect(s.accepted).toEqual(['in@example.jp']);
  });

  it('fails what waits for a server that cannot be reached, so the dispatcher retries it later', async () => {
    const s = await server();
    await s.close();
    const pool = new SmtpPool(`smtp://127.0.0.1:${s.port}`, { maxConnections: 2 });
    cleanup.push(() => pool.close());
    const outcomes = await Promise.all(Array.from({ length: 5 }, (_, i) => pool.send({ from: 'info@pool.example.jp', to: [`x${i}@example.jp`] }, raw('x')).catch((e: unknown) => e)));
    for (const e of outcomes) expect(e).toMatchObject({ code: 'ESOCKET' });
  });
});
