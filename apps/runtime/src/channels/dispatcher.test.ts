import type { AddressInfo } from 'node:net';
import { createDatabase } from '@nurtureflow/db';
import { aGraph } from '@nurtureflow/scenario/testing';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Runtime } from '../runtime.ts';
import { eachRuntime, type TestRuntime } from '../testing.ts';
import { claimDue, deliverClaimed, dispatchDue, recordOutcomes } from './dispatcher.ts';
import { emailChannel, type EmailChannel } from './email.ts';
import { enroll, ok, publish } from './sales-testing.ts';

/** An SMTP server on loopback that can hold every message at the end of DATA, as a stalling server does. */
async function stallingSmtp() {
  const accepted: { key: string; messageId: string }[] = [];
  const held: (() => void)[] = [];
  let holding = false;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 50,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (c: Buffer) => void (head += c.toString('latin1')));
      stream.on('end', () => {
        const accept = () => {
          accepted.push({ key: /^X-Nurtureflow-Key: (.+)$/im.exec(head)?.[1]?.trim() ?? '', messageId: /^Message-ID: (.+)$/im.exec(head)?.[1]?.trim() ?? '' });
          callback();
        };
        if (holding) held.push(accept);
        else accept();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    accepted,
    hold: () => void (holding = true),
    /** Resolves once `n` messages wait for the server's answer. */
    async holding(n: number) {
      while (held.length < n) await new Promise((r) => setTimeout(r, 5));
    },
    release() {
      holding = false;
      for (const accept of held.splice(0)) accept();
    },
    keys: (key: string) => accepted.filter((m) => m.key === key),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A product line with one template and a one-mail scenario; `leads` enrolled and stepped, so their mails wait in the outbox. */
async function queuedMails(t: TestRuntime, productLine: string, leads: string[]): Promise<Runtime> {
  await publish(t, aGraph({ productLine, scenarioId: `${productLine}-flow`, name: 'one mail' }).trigger('t', { type: 'import' }).email('m1', 'hi').exit('x').connect('m1', 'skipped', 'x').input(), {
    sender: { name: '事務局', email: 'info@dispatch.example.jp' },
  });
  await ok(t, 'POST', `/product-lines/${productLine}/templates`, { id: 'hi', name: 'hi', subject: 'こんにちは {{ lead.name }}', html: '<p>{{ lead.name }} 様</p>' });
  await enroll(t, `${productLine}-flow`, leads.map((id) => ({ id, email: `${id}@example.jp`, name: `${id} さん` })));
  return { ...t.rt, productLines: [productLine] };
}

async function outboxOf(t: TestRuntime, productLine: string) {
  return t.rt.db.selectFrom('outbox').select(['key', 'status', 'attempts', 'last_error']).where('product_line', '=', productLine).where('type', '=', 'sendEmail').orderBy('key').execute();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

eachRuntime('outbox dispatcher', (current, dialect) => {
  let smtp: Awaited<ReturnType<typeof stallingSmtp>>;
  let channel: EmailChannel;
  beforeAll(async () => {
    smtp = await stallingSmtp();
    channel = emailChannel(current().rt, { baseUrl: 'http://nf.test', smtpUrl: smtp.url });
  });
  afterAll(async () => {
    channel?.close();
    smtp.release();
    await smtp.close();
  });

  it('holds no transaction while the SMTP server answers: an API write completes while the server stalls', async () => {
    const t = current();
    const rt = await queuedMails(t, 'stall', ['stall-1', 'stall-2']);
    smtp.hold();
    const dispatching = dispatchDue(rt, [channel]);
    await smtp.holding(1);
    // On the single-connection PGlite an open transaction would keep this write waiting until the server answered.
    const write = ok(t, 'POST', '/leads', { id: 'written-meanwhile', email: 'meanwhile@example.jp' }).then(() => 'written');
    expect(await Promise.race([write, sleep(10_000).then(() => 'still waiting')])).toBe('written');
    smtp.release();
    expect(await dispatching).toBe(2);
    expect((await outboxOf(t, 'stall')).map((r) => r.status)).toEqual(['sent', 'sent']);
  });

  it('a row claimed by one dispatcher is not sent by a second one (another process on Postgres) while the first delivers it', async () => {
    const t = current();
    const rt = await queuedMails(t, 'two', ['two-1', 'two-2', 'two-3']);
    const other = dialect === 'postgres' ? await createDatabase({ databaseUrl: t.database.databaseUrl!, schema: t.database.schema!, max: 2 }) : null;
    const otherChannel = emailChannel(t.rt, { baseUrl: 'http://nf.test', smtpUrl: smtp.url });
    try {
      smtp.hold();
      const first = dispatchDue(rt, [channel]);
      await smtp.holding(1);
      expect(await dispatchDue({ ...rt, db: other?.db ?? rt.db, workerId: 'second' }, [otherChannel])).toBe(0);
      smtp.release();
      expect(await first).toBe(3);
      const rows = await outboxOf(t, 'two');
      expect(rows.map((r) => [r.status, r.attempts])).toEqual(Array(3).fill(['sent', 1]));
      for (const r of rows) expect(smtp.keys(r.key), r.key).toHaveLength(1);
    } finally {
      otherChannel.close();
      await other?.close();
    }
  });

  it('a crash between the SMTP server accepting a mail and its outcome being recorded sends it again after the lease, with the same key and Message-ID', async () => {
    const t = current();
    const rt = await queuedMails(t, 'crash', ['crash-1']);
    const claimed = await claimDue(rt, ['sendEmail']);
    expect(claimed).toHaveLength(1);
    // Handed to the SMTP server; the process dies before recordOutcomes.
    expect(await deliverClaimed(rt, new Map([['sendEmail', channel]]), claimed)).toMatchObject([{ status: 'sent' }]);
    const key = claimed[0]!.key;
    expect(smtp.keys(key)).toHaveLength(1);

    // Nobody else takes the row while its lease runs…
    t.clock.advance(299_000);
    expect(await dispatchDue(rt, [channel])).toBe(0);
    // …and once it has run out, the next dispatcher sends it again.
    t.clock.advance(1_000);
    expect(await dispatchDue(rt, [channel])).toBe(1);
    const twice = smtp.keys(key);
    expect(twice).toHaveLength(2);
    expect(twice[1]!.messageId).toBe(twice[0]!.messageId);
    expect(twice[0]!.messageId).toMatch(/^<[0-9a-f]{32}@dispatch\.example\.jp>$/);
    expect(await outboxOf(t, 'crash')).toMatchObject([{ key, status: 'sent', attempts: 2, last_error: null }]);
    expect(await t.rt.db.selectFrom('sent_emails').select('message_id').where('key', '=', key).execute()).toEqual([{ message_id: twice[0]!.messageId }]);
  });

  it('a dispatcher whose lease ran out does not overwrite what the one that claimed the row again recorded', async () => {
    const t = current();
    const rt = await queuedMails(t, 'late', ['late-1']);
    const stale = await claimDue(rt, ['sendEmail']);
    t.clock.advance(300_000);
    expect(await dispatchDue(rt, [channel])).toBe(1);
    await recordOutcomes(rt, stale, [{ status: 'retry', error: 'SMTP ETIMEDOUT: the first dispatcher gave up late' }]);
    expect(await outboxOf(t, 'late')).toMatchObject([{ status: 'sent', attempts: 2, last_error: null }]);
  });
});
