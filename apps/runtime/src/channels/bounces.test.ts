import { aGraph, dur } from '@nurtureflow/scenario/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, writtenRows } from '../routes/testing.ts';
import { eachRuntime, type TestRuntime } from '../testing.ts';
import { createSigner } from '../tracking/tokens.ts';
import { emailChannel, type EmailChannel } from './email.ts';
import { aDsn, anArf, postMail } from './report-testing.ts';
import { bounceAddress, returnId } from './return-path.ts';
import { drainAll, emailSkips, follow, pixelUrl, startTestSmtp, type Received, type TestSmtp } from './testing.ts';

const DAY = 86_400_000;

/** Three mails a day apart: enough messages to bounce one after another. */
function series(productLine: string) {
  return aGraph({ productLine, scenarioId: `${productLine}-series`, name: 'series' })
    .trigger('t', { type: 'import' })
    .email('m1', 'news', { subject: `${productLine} #1` })
    .wait('w1', dur(1, 'days'))
    .email('m2', 'news', { subject: `${productLine} #2` })
    .wait('w2', dur(1, 'days'))
    .email('m3', 'news', { subject: `${productLine} #3` })
    .exit('x1')
    .connect('m1', 'skipped', 'w1')
    .connect('m2', 'skipped', 'w2')
    .connect('m3', 'skipped', 'x1')
    .input();
}

describe('bounces and complaints', () => {
  eachRuntime('bounces', (current) => {
    let smtp: TestSmtp;
    let channel: EmailChannel;
    beforeAll(async () => {
      smtp = await startTestSmtp();
      const t = current();
      channel = emailChannel(t.rt, { baseUrl: 'https://nf.test', smtpUrl: smtp.url, returnAddresses: { bounceAddress: 'bounce@bounces.nf.test' } });
      for (const id of ['bx-a', 'bx-b']) {
        await ok(t, 'POST', '/product-lines', { id, name: id.toUpperCase(), settings: { sender: { name: id, email: `news@${id}.example.jp` } } });
        await ok(t, 'POST', `/product-lines/${id}/templates`, { id: 'news', name: 'news', subject: 'news', html: '<p>{{ lead.name }} 様</p><a href="https://example.jp/news">news</a>' });
        await ok(t, 'POST', '/scenarios', { id: `${id}-series`, productLine: id, name: 'series', draft: series(id) });
        await ok(t, 'POST', `/scenarios/${id}-series/publish`, { note: 'v1' });
      }
    });
    afterAll(async () => {
      channel?.close();
      await smtp.stop();
    });

    const start = async (t: TestRuntime, leadId: string, email: string, scenarios: string[]) => {
      await ok(t, 'POST', '/leads', { id: leadId, email, name: '佐藤 花子' });
      for (const s of scenarios) await ok(t, 'POST', '/enrollments', { scenarioId: s, leadIds: [leadId] });
      await drainAll(t, [channel]);
    };
    const mailTo = (address: string, subject: string): Received => {
      const m = smtp.received.find((r) => r.envelopeTo.includes(address) && r.subject === subject);
      if (!m) throw new Error(`no "${subject}" to ${address}`);
      return m;
    };
    const mails = (leadId: string) =>
      current().rt.db.selectFrom('outbox').select(['key', 'product_line', 'status', 'last_error', 'payload']).where('lead_id', '=', leadId).where('type', '=', 'sendEmail').orderBy('created_at').orderBy('product_line').execute();
    const eventsOf = (leadId: string, kinds: string[]) =>
      current().rt.db.selectFrom('events').select(['id', 'kind', 'product_line', 'scenario_id', 'node_id', 'effect_key', 'data']).where('lead_id', '=', leadId).where('kind', 'in', kinds).orderBy('seq').execute();
    const hardDsn = (mail: Received, status = '5.1.1') =>
      aDsn({ to: mail.envelopeFrom, recipient: mail.envelopeTo[0]!, status, diagnostic: `550 ${status} <${mail.envelopeTo[0]}>: Recipient address rejected: User unknown in local recipient table`, original: mail.raw });

    it('a recipient the SMTP server refuses for good is a hard bounce, and no product line mails that address again until it changes', async () => {
      const t = current();
      smtp.rejectRecipients(['gone@example.jp']);
      await start(t, 'hb-1', 'gone@example.jp', ['bx-a-series']);
      const [first] = await mails('hb-1');
      expect(first).toMatchObject({ product_line: 'bx-a', status: 'failed', last_error: expect.stringMatching(/^SMTP 550: .*User unknown/) });
      expect(await eventsOf('hb-1', ['email_bounced'])).toEqual([
        { id: `bounce:${first!.key}`, kind: 'email_bounced', product_line: 'bx-a', scenario_id: 'bx-a-series', node_id: 'm1', effect_key: first!.key, data: expect.objectContaining({ type: 'hard', source: 'smtp', address: 'gone@example.jp' }) },
      ]);

      // Another product line's mail to the same address is held back, with the reason.
      await ok(t, 'POST', '/enrollments', { scenarioId: 'bx-b-series', leadIds: ['hb-1'] });
      await drainAll(t, [channel]);
      // The scenario takes the e-mail's `skipped` output, and nothing is queued for the address.
      expect((await mails('hb-1')).filter((m) => m.product_line === 'bx-b')).toEqual([]);
      expect(await emailSkips(t, 'hb-1', 'm1')).toEqual([['bx-b', 'bounced']]);
      expect(smtp.received.some((m) => m.envelopeTo.includes('gone@example.jp'))).toBe(false);

      // A new address is mailed again.
      expect((await ok(t, 'GET', '/leads/hb-1')).emailBounced).toMatchObject({ address: 'gone@example.jp', source: 'smtp', productLine: 'bx-a' });
      await ok(t, 'POST', '/leads', { id: 'hb-1', email: 'back@example.jp' });
      expect((await ok(t, 'GET', '/leads/hb-1')).emailBounced).toBeNull();
      t.clock.advance(DAY);
      await drainAll(t, [channel]);
      expect(smtp.received.filter((m) => m.envelopeTo.includes('back@example.jp')).map((m) => m.subject).sort()).toEqual(['bx-a #2', 'bx-b #2']);
      smtp.rejectRecipients([]);
    });

    it('a delivery report mailed back to the Return-Path with 5.x.x is a hard bounce of that message, recorded once', async () => {
      const t = current();
      await start(t, 'dsn-1', 'dsn-1@example.jp', ['bx-a-series']);
      const mail = mailTo('dsn-1@example.jp', 'bx-a #1');
      expect(mail.envelopeFrom).toMatch(/^bounce\+b[0-9a-f]{40}@bounces\.nf\.test$/);

      const first = await postMail(t, hardDsn(mail));
      expect(first).toEqual({ status: 200, body: { outcome: 'hardBounce', reason: expect.stringMatching(/^Status 5\.1\.1: 550 5\.1\.1 <dsn-1@example\.jp>: Recipient address rejected: User unknown in local recipient table$/), leadId: 'dsn-1', outboxKey: mail.key, productLine: 'bx-a', recorded: true, becameHard: false } });
      expect((await postMail(t, hardDsn(mail))).body).toMatchObject({ outcome: 'hardBounce', recorded: false });

      const lead = await ok(t, 'GET', '/leads/dsn-1');
      expect(lead.emailBounced).toEqual({ address: 'dsn-1@example.jp', reason: first.body.reason, source: 'dsn', at: expect.any(String), productLine: 'bx-a', outboxKey: mail.key });
      expect(lead.timeline.filter((e: { kind?: string }) => e.kind === 'email_bounced')).toEqual([
        expect.objectContaining({ type: 'event', kind: 'email_bounced', productLine: 'bx-a', scenarioId: 'bx-a-series', nodeId: 'm1', data: expect.objectContaining({ type: 'hard', source: 'dsn' }) }),
      ]);
      t.clock.advance(DAY);
      await drainAll(t, [channel]);
      expect((await mails('dsn-1')).map((m) => m.status)).toEqual(['sent']);
      expect(await emailSkips(t, 'dsn-1', 'm2')).toEqual([['bx-a', 'bounced']]);
    });

    it(`4.x.x is a soft bounce; three messages in a row that soft-bounce make the address undeliverable, unless a mail was opened in between`, async () => {
      const t = current();
      await start(t, 'soft-1', 'soft-1@example.jp', ['bx-a-series']);
      await start(t, 'soft-2', 'soft-2@example.jp', ['bx-a-series']);
      const softly = (leadId: string, n: number) => postMail(t, hardDsn(mailTo(`${leadId}@example.jp`, `bx-a #${n}`), '4.2.2'));

      expect((await softly('soft-1', 1)).body).toMatchObject({ outcome: 'softBounce', recorded: true, becameHard: false });
      expect((await softly('soft-2', 1)).body).toMatchObject({ outcome: 'softBounce', becameHard: false });
      t.clock.advance(DAY);
      await drainAll(t, [channel]);
      expect((await softly('soft-1', 2)).body).toMatchObject({ outcome: 'softBounce', becameHard: false });
      // The same report again is not a second bounce.
      expect((await softly('soft-1', 2)).body).toMatchObject({ outcome: 'softBounce', recorded: false, becameHard: false });
      // soft-2 opens its second mail: it arrived, so the bounces before it are not "in a row" with later ones.
      expect((await follow(t, pixelUrl(mailTo('soft-2@example.jp', 'bx-a #2').html))).status).toBe(200);
      t.clock.advance(DAY);
      await drainAll(t, [channel]);

      expect((await softly('soft-1', 3)).body).toMatchObject({ outcome: 'softBounce', recorded: true, becameHard: true });
      expect((await softly('soft-2', 3)).body).toMatchObject({ outcome: 'softBounce', becameHard: false });
      const bounced = await t.rt.db.selectFrom('bounced_addresses').selectAll().where('lead_id', 'in', ['soft-1', 'soft-2']).execute();
      expect(bounced).toEqual([expect.objectContaining({ lead_id: 'soft-1', email_norm: 'soft-1@example.jp', source: 'dsn', node_id: 'm3', reason: expect.stringMatching(/^3 soft bounces in a row; the last: Status 4\.2\.2/) })]);
      expect((await eventsOf('soft-1', ['email_soft_bounced', 'email_bounced'])).map((e) => [e.kind, e.node_id])).toEqual([
        ['email_soft_bounced', 'm1'],
        ['email_soft_bounced', 'm2'],
        ['email_soft_bounced', 'm3'],
        ['email_bounced', 'm3'],
      ]);
      // A report of a delay is not a bounce at all.
      const delayed = aDsn({ to: mailTo('soft-2@example.jp', 'bx-a #3').envelopeFrom, recipient: 'soft-2@example.jp', status: '4.4.1', action: 'delayed', original: '' });
      expect((await postMail(t, delayed)).body).toMatchObject({ outcome: 'ignored', reason: expect.stringContaining('no failure') });
    });

    it('a report whose token was altered, or signed by another server, changes nothing', async () => {
      const t = current();
      await start(t, 'forged-1', 'forged-1@example.jp', ['bx-a-series']);
      const mail = mailTo('forged-1@example.jp', 'bx-a #1');
      const token = /\+(b[0-9a-f]{40})@/.exec(mail.envelopeFrom)![1]!;
      const altered = token.slice(0, -1) + (token.endsWith('0') ? '1' : '0');
      const foreign = bounceAddress(createSigner('another server'), 'bounce@bounces.nf.test', returnId(mail.key));
      const before = { ...(await writtenRows(t.rt.db)), bounced: await t.rt.db.selectFrom('bounced_addresses').selectAll().orderBy('lead_id').execute() };

      for (const raw of [hardDsn(mail).replaceAll(token, altered), hardDsn({ ...mail, envelopeFrom: foreign, raw: mail.raw.replaceAll(/\+[bu][0-9a-f]{40}@/g, '+x@') })]) {
        const res = await postMail(t, raw);
        expect(res).toMatchObject({ status: 200, body: { outcome: 'ignored', reason: expect.stringContaining('no valid token') } });
      }
      expect({ ...(await writtenRows(t.rt.db)), bounced: await t.rt.db.selectFrom('bounced_addresses').selectAll().orderBy('lead_id').execute() }).toEqual(before);
      // The real one still works.
      expect((await postMail(t, hardDsn(mail))).body).toMatchObject({ outcome: 'hardBounce', leadId: 'forged-1' });
    });

    it('a complaint report (ARF) records email_complained and stops all mail to the lead', async () => {
      const t = current();
      await start(t, 'arf-1', 'arf-1@example.jp', ['bx-a-series', 'bx-b-series']);
      const mail = mailTo('arf-1@example.jp', 'bx-b #1');
      // Feedback loops send the report to an address of their own choosing: the token is read from the quoted message.
      const res = await postMail(t, anArf({ original: mail.raw, returnPath: mail.envelopeFrom }));
      expect(res).toEqual({ status: 200, body: expect.objectContaining({ outcome: 'complaint', leadId: 'arf-1', outboxKey: mail.key, productLine: 'bx-b', recorded: true, reason: expect.stringContaining('Feedback-Type abuse') }) });
      expect((await eventsOf('arf-1', ['email_complained', 'unsubscribed'])).map((e) => [e.kind, e.product_line, e.node_id, e.effect_key])).toEqual([
        ['email_complained', 'bx-b', 'm1', mail.key],
        ['unsubscribed', null, 'm1', mail.key],
      ]);
      expect((await ok(t, 'GET', '/leads/arf-1')).unsubscribedAll).toBe(true);
      t.clock.advance(DAY);
      await drainAll(t, [channel]);
      expect(smtp.received.filter((m) => m.envelopeTo.includes('arf-1@example.jp')).map((m) => m.subject).sort()).toEqual(['bx-a #1', 'bx-b #1']);
      // A "not spam" report is no complaint.
      expect((await postMail(t, anArf({ original: mail.raw, returnPath: mail.envelopeFrom, feedbackType: 'not-spam' }))).body).toMatchObject({ outcome: 'ignored' });
    });
  });
});
