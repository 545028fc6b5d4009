import { aGraph, dur } from '@nurtureflow/scenario/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepDue } from '../core/worker.ts';
import { ok } from '../routes/testing.ts';
import { eachRuntime, type TestRuntime } from '../testing.ts';
import { emailChannel, type EmailChannel } from './email.ts';
import { dispatchAllDue } from './start-dispatcher.ts';
import { aMail, mailtoOf, postMail } from './report-testing.ts';
import { drainAll, follow, hrefs, startTestSmtp, type TestSmtp } from './testing.ts';

const DAY = 86_400_000;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** A first mail, a day's wait, a second mail: the second shows whether the product line still mails the lead. */
function newsletter(productLine: string) {
  return aGraph({ productLine, scenarioId: `${productLine}-news`, name: 'news' })
    .trigger('t', { type: 'import' })
    .email('m1', 'news', { subject: `${productLine} #1` })
    .wait('w1', dur(1, 'days'))
    .email('m2', 'news', { subject: `${productLine} #2` })
    .exit('x1')
    .connect('m2', 'skipped', 'x1')
    .connect('m1', 'skipped', 'w1')
    .input();
}

describe('unsubscribing through the link in the mail', () => {
  eachRuntime('unsubscribe', (current) => {
    let smtp: TestSmtp;
    let channel: EmailChannel;
    beforeAll(async () => {
      smtp = await startTestSmtp();
      const t = current();
      channel = emailChannel(t.rt, { baseUrl: 'https://nf.test', smtpUrl: smtp.url });
      for (const [id, name] of [
        ['prod-a', '製品A'],
        ['prod-b', '製品B'],
      ] as const) {
        await ok(t, 'POST', '/product-lines', { id, name });
        await ok(t, 'POST', `/product-lines/${id}/templates`, { id: 'news', name: 'news', subject: 'news', html: '<p>{{ lead.name }} 様、{{ product_line.name }}のお知らせです。</p>' });
        await ok(t, 'POST', '/scenarios', { id: `${id}-news`, productLine: id, name: 'news', draft: newsletter(id) });
        await ok(t, 'POST', `/scenarios/${id}-news/publish`, { note: 'v1' });
      }
    });
    afterAll(async () => {
      channel?.close();
      await smtp.stop();
    });

    const subjects = (to: string) => smtp.received.filter((m) => m.envelopeTo.includes(to)).map((m) => m.subject);
    const start = async (t: TestRuntime, leadId: string, scenarios: string[]) => {
      await ok(t, 'POST', '/leads', { id: leadId, email: `${leadId}@example.jp`, name: '鈴木 一郎' });
      for (const s of scenarios) await ok(t, 'POST', '/enrollments', { scenarioId: s, leadIds: [leadId] });
      await drainAll(t, [channel]);
    };
    const unsubscribeLink = (leadId: string, productLine: string) => {
      const mail = smtp.received.find((m) => m.envelopeTo.includes(`${leadId}@example.jp`) && m.subject.startsWith(productLine))!;
      const header = /^<(https:\/\/nf\.test\/u\/[^>]+)>/.exec(mail.listUnsubscribe)![1]!;
      // The same signed link is in the body, for people; the header is for the mail client's button.
      expect(hrefs(mail.html)).toContain(header);
      expect(mail.text).toContain(header);
      return header;
    };
    const standing = async (t: TestRuntime, leadId: string): Promise<Record<string, boolean>> => {
      const lead = await ok(t, 'GET', `/leads/${leadId}`);
      return { all: lead.unsubscribedAll, ...Object.fromEntries(lead.products.map((p: { productLine: string; unsubscribed: boolean }) => [p.productLine, p.unsubscribed])) };
    };

    it("one-click unsubscribe from product A stops A's mail and not B's", async () => {
      const t = current();
      await start(t, 'u1', ['prod-a-news', 'prod-b-news']);
      expect(subjects('u1@example.jp').sort()).toEqual(['prod-a #1', 'prod-b #1']);
      const link = unsubscribeLink('u1', 'prod-a');

      // Opening the link (as a mail scanner would) only shows the page.
      const page = await follow(t, link);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('「製品A」の配信を停止する / Unsubscribe from 製品A');
      expect(html).toContain('すべてのメール配信を停止する');
      expect((await standing(t, 'u1'))['prod-a'] ?? false).toBe(false);

      const res = await follow(t, link, { method: 'POST', headers: FORM, body: 'List-Unsubscribe=One-Click' });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('配信を停止しました');
      expect(await standing(t, 'u1')).toMatchObject({ all: false, 'prod-a': true });

      t.clock.advance(DAY);
      await drainAll(t, [channel]);
      expect(subjects('u1@example.jp').sort()).toEqual(['prod-a #1', 'prod-b #1', 'prod-b #2']);
      const a = await ok(t, 'GET', '/enrollments?scenarioId=prod-a-news&leadId=u1');
      const detail = await ok(t, 'GET', `/enrollments/${a.items[0].id}`);
      expect(JSON.stringify(detail)).toContain('"why":"unsubscribed"');
    });

    it('a mail already queued when the lead unsubscribes is skipped at send time, with the reason', async () => {
      const t = current();
      await start(t, 'u2', ['prod-a-news', 'prod-b-news']);
      const link = unsubscribeLink('u2', 'prod-a');
      t.clock.advance(DAY);
      // The worker takes the step (both second mails are queued) before the dispatcher runs.
      while ((await stepDue(t.rt)) > 0);
      expect(await follow(t, link, { method: 'POST', headers: FORM, body: 'scope=productLine' }).then((r) => r.status)).toBe(200);
      await dispatchAllDue(t.rt, [channel]);
      expect(subjects('u2@example.jp').sort()).toEqual(['prod-a #1', 'prod-b #1', 'prod-b #2']);
      const rows = await ok(t, 'GET', '/messages?leadId=u2');
      const second = rows.items.filter((r: { effect: { nodeId: string } }) => r.effect.nodeId === 'm2');
      expect(second.map((r: { productLine: string; status: string; lastError: string | null }) => [r.productLine, r.status, r.lastError]).sort()).toEqual([
        ['prod-a', 'skipped', 'unsubscribed: the lead unsubscribed from product line "prod-a" before it was sent'],
        ['prod-b', 'sent', null],
      ]);
    });

    it('the global option on the page stops every product line', async () => {
      const t = current();
      await start(t, 'u3', ['prod-a-news', 'prod-b-news']);
      const link = unsubscribeLink('u3', 'prod-b');
      const res = await follow(t, link, { method: 'POST', headers: FORM, body: 'scope=all' });
      expect(await res.text()).toContain('すべてのメールをお送りしません');
      expect((await standing(t, 'u3')).all).toBe(true);
      t.clock.advance(DAY);
      await drainAll(t, [channel]);
      expect(subjects('u3@example.jp').sort()).toEqual(['prod-a #1', 'prod-b #1']);
    });

    it("a mail to the List-Unsubscribe mailto: address stops that product line's mail, as the link does", async () => {
      const t = current();
      await start(t, 'u4', ['prod-a-news', 'prod-b-news']);
      await start(t, 'u5', ['prod-a-news', 'prod-b-news']);
      const mailOf = (leadId: string, productLine: string) => smtp.received.find((m) => m.envelopeTo.includes(`${leadId}@example.jp`) && m.subject.startsWith(productLine))!;
      const { address, subject } = mailtoOf(mailOf('u4', 'prod-a').listUnsubscribe);
      expect(address).toMatch(/^[^+@]+\+u[0-9a-f]{40}@/);
      expect(subject).toMatch(/^unsubscribe u[0-9a-f]{40}$/);

      // An out-of-office reply to the Return-Path is no request to unsubscribe.
      expect((await postMail(t, aMail({ to: mailOf('u4', 'prod-a').envelopeFrom, subject: '自動応答: 不在のお知らせ', from: 'u4@example.jp' }))).body.outcome).toBe('ignored');
      expect((await standing(t, 'u4'))['prod-a'] ?? false).toBe(false);

      const res = await postMail(t, aMail({ to: address, subject, from: 'u4@example.jp' }));
      expect(res).toMatchObject({ status: 200, body: { outcome: 'unsubscribed', leadId: 'u4', productLine: 'prod-a', recorded: true } });
      expect(await standing(t, 'u4')).toMatchObject({ all: false, 'prod-a': true });
      // A mail system that drops the address's extension still delivers the subject the mailto: set.
      const b = mailtoOf(mailOf('u5', 'prod-b').listUnsubscribe);
      expect((await postMail(t, aMail({ to: b.address.replace(/\+[^@]+/, ''), subject: `Re: ${b.subject}`, from: 'u5@example.jp' }))).body).toMatchObject({ outcome: 'unsubscribed', leadId: 'u5', productLine: 'prod-b' });
      expect(await standing(t, 'u5')).toMatchObject({ all: false, 'prod-b': true });

      t.clock.advance(DAY);
      await drainAll(t, [channel]);
      expect(subjects('u4@example.jp').sort()).toEqual(['prod-a #1', 'prod-b #1', 'prod-b #2']);
      expect(subjects('u5@example.jp').sort()).toEqual(['prod-a #1', 'prod-a #2', 'prod-b #1']);
      const lead = await ok(t, 'GET', '/leads/u4');
      expect(lead.timeline.find((e: { kind?: string }) => e.kind === 'unsubscribed')).toMatchObject({ productLine: 'prod-a', data: { via: 'mailto', scope: 'productLine' } });
    });
  });
});
