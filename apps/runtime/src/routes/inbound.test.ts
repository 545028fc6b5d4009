import { aGraph, dur } from '@nurtureflow/scenario/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailChannel, type EmailChannel } from '../channels/email.ts';
import { aMail, postMail } from '../channels/report-testing.ts';
import { drainAll, emailSkips } from '../channels/testing.ts';
import { eachRuntime, type TestRuntime } from '../testing.ts';
import { issuePaths, ok, writtenRows } from './testing.ts';

const DAY = 86_400_000;
const SERVER_SECRET = 'server-inbound-secret-0123';
const PL_SECRET = 'ib-a-own-inbound-secret-01';
const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

function twoMails(productLine: string) {
  return aGraph({ productLine, scenarioId: `${productLine}-two`, name: 'two' })
    .trigger('t', { type: 'import' })
    .email('m1', 'news', { subject: `${productLine} #1` })
    .wait('w1', dur(1, 'days'))
    .email('m2', 'news', { subject: `${productLine} #2` })
    .exit('x1')
    .connect('m1', 'skipped', 'w1')
    .connect('m2', 'skipped', 'x1')
    .input();
}

async function productLine(t: TestRuntime, id: string, settings: object = {}) {
  await ok(t, 'POST', '/product-lines', { id, name: id, settings });
  await ok(t, 'POST', `/product-lines/${id}/templates`, { id: 'news', name: 'news', subject: 'news', html: '<p>news</p>' });
  await ok(t, 'POST', '/scenarios', { id: `${id}-two`, productLine: id, name: 'two', draft: twoMails(id) });
  await ok(t, 'POST', `/scenarios/${id}-two/publish`, { note: 'v1' });
}

describe("providers' bounce notifications", () => {
  eachRuntime('inbound with no secret configured', (current) => {
    it('refuses every notification, saying what to configure', async () => {
      const t = current();
      delete process.env['INBOUND_SECRET'];
      const res = await t.call('POST', '/inbound/bounces', { type: 'hard', email: 'x@example.jp' }, bearer('anything-at-all-0123'));
      expect(res.status).toBe(401);
      expect(res.body.error.message).toMatch(/^no inbound secret is configured: set INBOUND_SECRET/);
    });
  });

  eachRuntime('inbound', (current) => {
    let channel: EmailChannel;
    beforeAll(async () => {
      process.env['INBOUND_SECRET'] = SERVER_SECRET;
      const t = current();
      channel = emailChannel(t.rt, { baseUrl: 'https://nf.test', smtpUrl: null });
      await productLine(t, 'ib-a', { inboundSecret: PL_SECRET });
      await productLine(t, 'ib-b');
    });
    afterAll(() => {
      delete process.env['INBOUND_SECRET'];
      channel?.close();
    });

    const start = async (t: TestRuntime, leadId: string, scenarios = ['ib-a-two', 'ib-b-two']) => {
      await ok(t, 'POST', '/leads', { id: leadId, email: `${leadId}@example.jp` });
      for (const s of scenarios) await ok(t, 'POST', '/enrollments', { scenarioId: s, leadIds: [leadId] });
      await drainAll(t, [channel]);
    };
    const keyOf = async (t: TestRuntime, leadId: string, productLine: string) =>
      (await t.rt.db.selectFrom('sent_emails').select('key').where('lead_id', '=', leadId).where('product_line', '=', productLine).orderBy('sent_at').executeTakeFirstOrThrow()).key;
    const secondMails = async (t: TestRuntime, leadId: string) => {
      t.clock.advance(DAY);
      await drainAll(t, [channel]);
      const rows = await t.rt.db.selectFrom('outbox').select(['product_line', 'status', 'last_error', 'payload']).where('lead_id', '=', leadId).where('type', '=', 'sendEmail').orderBy('product_line').execute();
      const queued = rows.filter((r) => r.payload.type === 'sendEmail' && r.payload.nodeId === 'm2').map((r) => [r.product_line, r.status, r.last_error?.split(' ')[0] ?? null]);
      // A send the scenario skipped itself (the address known to bounce when it got there) queues nothing.
      const skipped = (await emailSkips(t, leadId, 'm2')).map(([pl, why]) => [pl, 'skipped', why]);
      return [...queued, ...skipped].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    };

    it('refuses a missing or wrong secret, writing nothing', async () => {
      const t = current();
      await start(t, 'auth-1');
      const before = await writtenRows(t.rt.db);
      for (const headers of [{}, bearer('not-the-secret-0123456789'), { authorization: SERVER_SECRET }]) {
        const res = await t.call('POST', '/inbound/bounces', { type: 'hard', email: 'auth-1@example.jp' }, headers);
        expect(res.status, JSON.stringify(headers)).toBe(401);
        expect(issuePaths(res)).toEqual(['headers.authorization']);
      }
      expect(await writtenRows(t.rt.db)).toEqual(before);
    });

    it('a hard bounce by address stops mail to it from every product line', async () => {
      const t = current();
      await start(t, 'hard-1');
      const res = await t.call('POST', '/inbound/bounces', { type: 'hard', email: 'Hard-1@Example.jp', reason: '550 5.1.1 user unknown', id: 'prov-1' }, bearer(SERVER_SECRET));
      expect(res).toEqual({ status: 200, body: { results: [{ outcome: 'hardBounce', reason: '550 5.1.1 user unknown', leadId: 'hard-1', recorded: true, becameHard: false, productLine: null }] } });
      // The provider retries: nothing new.
      expect((await t.call('POST', '/inbound/bounces', { type: 'hard', email: 'hard-1@example.jp', reason: '550 5.1.1 user unknown', id: 'prov-1' }, bearer(SERVER_SECRET))).body.results[0].recorded).toBe(false);
      expect(await secondMails(t, 'hard-1')).toEqual([
        ['ib-a', 'skipped', 'bounced'],
        ['ib-b', 'skipped', 'bounced'],
      ]);
    });

    it('a complaint by outbox key (Basic credentials, as in a URL) unsubscribes the lead from all mail', async () => {
      const t = current();
      await start(t, 'cmp-1');
      const key = await keyOf(t, 'cmp-1', 'ib-b');
      const basic = { authorization: `Basic ${Buffer.from(`provider:${SERVER_SECRET}`).toString('base64')}` };
      const res = await t.call('POST', '/inbound/bounces', { type: 'complaint', outboxKey: key }, basic);
      expect(res.body.results).toEqual([expect.objectContaining({ outcome: 'complaint', leadId: 'cmp-1', outboxKey: key, productLine: 'ib-b' })]);
      const lead = await ok(t, 'GET', '/leads/cmp-1');
      expect(lead.unsubscribedAll).toBe(true);
      expect(lead.timeline.find((e: { kind?: string }) => e.kind === 'email_complained')).toMatchObject({ productLine: 'ib-b', nodeId: 'm1' });
      expect((await secondMails(t, 'cmp-1')).map(([pl, status]) => [pl, status])).not.toContainEqual(expect.arrayContaining(['sent']));
    });

    it('three soft bounces in a row become a hard one', async () => {
      const t = current();
      await start(t, 'soft-n', ['ib-a-two']);
      const results = [];
      for (const id of ['s1', 's2', 's3']) {
        const res = await t.call('POST', '/inbound/bounces', { type: 'soft', email: 'soft-n@example.jp', reason: '452 mailbox full', id: `soft-n-${id}` }, bearer(SERVER_SECRET));
        results.push(res.body.results[0]);
      }
      expect(results.map((r) => [r.outcome, r.becameHard])).toEqual([
        ['softBounce', false],
        ['softBounce', false],
        ['softBounce', true],
      ]);
      expect(await secondMails(t, 'soft-n')).toEqual([['ib-a', 'skipped', 'bounced']]);
    });

    it("a product line's own secret reaches only that product line's messages", async () => {
      const t = current();
      await start(t, 'scope-1');
      const other = await t.call('POST', '/inbound/bounces', { type: 'hard', outboxKey: await keyOf(t, 'scope-1', 'ib-b') }, bearer(PL_SECRET));
      expect(other.status).toBe(404);
      expect(issuePaths(other)).toEqual(['body.outboxKey']);
      const own = await t.call('POST', '/inbound/bounces', { type: 'hard', outboxKey: await keyOf(t, 'scope-1', 'ib-a') }, bearer(PL_SECRET));
      expect(own.body.results).toEqual([expect.objectContaining({ outcome: 'hardBounce', leadId: 'scope-1', productLine: 'ib-a' })]);
    });

    it('bad notifications get a 400 naming the field, unknown addresses and keys a 404', async () => {
      const t = current();
      const cases: [body: unknown, status: number, path: string][] = [
        [{ type: 'bounced', email: 'a@example.jp' }, 400, 'body.type'],
        [{ type: 'hard' }, 400, 'body.email'],
        [{ type: 'hard', email: 'not an address' }, 400, 'body.email'],
        [{ type: 'hard', email: 'a@example.jp', colour: 'red' }, 400, 'body'],
        [{ type: 'hard', email: 'nobody-here@example.jp' }, 404, 'body.email'],
        [{ type: 'soft', outboxKey: 'no-such-key' }, 404, 'body.outboxKey'],
      ];
      for (const [body, status, path] of cases) {
        const res = await t.call('POST', '/inbound/bounces', body, bearer(SERVER_SECRET));
        expect(res.status, JSON.stringify(body)).toBe(status);
        expect(issuePaths(res), JSON.stringify(body)).toContain(path);
      }
    });

    it('with INBOUND_SECRET set, mail posted to /inbound/mail must carry it too', async () => {
      const t = current();
      const raw = aMail({ to: 'unsubscribe@nf.test', subject: 'hello' });
      expect((await postMail(t, raw)).status).toBe(401);
      expect(await postMail(t, raw, '', bearer(SERVER_SECRET))).toMatchObject({ status: 200, body: { outcome: 'ignored' } });
      expect((await postMail(t, '', '', bearer(SERVER_SECRET))).status).toBe(400);
    });
  });
});
