import { aGraph, dur } from '@nurtureflow/scenario/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { drain } from '../golden/drive.ts';
import { eachRuntime, type TestRuntime } from '../testing.ts';
import { handoffChannel } from './handoff.ts';
import { dispatch, enrollmentOf, loopbackOptions, ok, publish, SECRET } from './sales-testing.ts';
import { startReceiver, type Receiver } from './test-receiver.ts';
import { startTestSmtp } from './testing.ts';

const scoring = {
  rules: [
    { id: 'whitepaper', event: 'whitepaper_downloaded', points: 30 },
    { id: 'seminar', event: 'seminar_attended', points: 40 },
  ],
  hotThreshold: 60,
};

/** Hot leads go to sales; a returned lead waits a month in nurturing before it is looked at again. */
function hotToSales(productLine: string) {
  return aGraph({ productLine, scenarioId: `${productLine}-hot`, name: 'ホットリードを営業へ' })
    .trigger('t', { type: 'event', event: 'lead_became_hot' })
    .handoff('h1', { reason: '資料DLとセミナー参加でホット化' })
    .goal('g1', 'meeting')
    .from('h1', 'returned')
    .wait('nurture', dur(30, 'days'))
    .exit('x')
    .input();
}

/** The lead downloads a whitepaper, then attends a seminar a day later: 30 + 40 = 70 crosses 60. */
async function becomeHot(t: TestRuntime, productLine: string, lead: { id: string; email: string; name?: string; company?: string; phone?: string }) {
  await ok(t, 'POST', '/leads', lead);
  const at = t.clock.now();
  await ok(t, 'POST', '/events', { id: `${lead.id}-wp`, kind: 'whitepaper_downloaded', leadId: lead.id, productLine, at: new Date(at - 86_400_000).toISOString() });
  await ok(t, 'POST', '/events', { id: `${lead.id}-sem`, kind: 'seminar_attended', leadId: lead.id, productLine, at: new Date(at).toISOString() });
  await drain(t);
}

eachRuntime('sales hand-off channel', (current) => {
  let sales: Receiver;
  beforeAll(async () => {
    sales = await startReceiver(SECRET);
  });
  afterAll(() => sales.close());

  it('tells the sales webhook why the lead came, signed; sales accept one, return another, and the returned lead goes back to nurturing', async () => {
    const t = current();
    await publish(t, hotToSales('ho'), { scoring, salesWebhook: `${sales.url}/sales` });
    await becomeHot(t, 'ho', { id: 'ho-1', email: 'kimura@epsilon.example.jp', name: '木村 健', company: 'イプシロン株式会社', phone: '06-1111-2222' });
    await becomeHot(t, 'ho', { id: 'ho-2', email: 'hayashi@zeta.example.jp', name: '林 美咲', company: 'ゼータ株式会社' });

    expect(await dispatch(t, 'ho', [handoffChannel(t.rt, loopbackOptions())])).toBe(2);

    expect(sales.calls).toHaveLength(2);
    expect(sales.calls.every((c) => c.signatureValid && c.path === '/sales')).toBe(true);
    const call = sales.calls.find((c) => c.body.handoff.lead.id === 'ho-1')!;
    const { items } = await ok(t, 'GET', '/handoffs?productLine=ho&leadId=ho-1');
    const key = items[0].key;
    expect(call.headers['x-nurtureflow-key']).toBe(key);
    expect(call.body).toMatchObject({
      type: 'nurtureflow.handoff',
      key,
      links: { accept: `https://nf.example.jp/api/v1/handoffs/${encodeURIComponent(key)}/accept`, return: `https://nf.example.jp/api/v1/handoffs/${encodeURIComponent(key)}/return` },
      handoff: {
        productLine: 'ho',
        scenario: { id: 'ho-hot' },
        node: { id: 'h1', reason: '資料DLとセミナー参加でホット化', to: 'sales' },
        lead: { id: 'ho-1', name: '木村 健', company: 'イプシロン株式会社', phone: '06-1111-2222', score: 70, rank: 'B', hot: true },
        standing: { score: 70, rank: 'B', hot: true, hotAt: expect.any(String) },
        scoreHistory: [
          { source: 'event', kind: 'whitepaper_downloaded', rules: ['whitepaper'], points: 30, score: 30 },
          { source: 'event', kind: 'seminar_attended', rules: ['seminar'], points: 40, score: 70 },
        ],
      },
    });
    expect(call.body.handoff.recentEvents.map((e: { kind: string }) => e.kind)).toEqual(['lead_became_hot', 'seminar_attended', 'whitepaper_downloaded']);
    expect(call.body.handoff.path.map((p: { nodeId: string }) => p.nodeId)).toEqual(['t', 'h1']);

    // The API lists the hand-off with the same record and how sales were told.
    expect(items[0]).toMatchObject({ status: 'sent', record: call.body.handoff, notification: { via: 'webhook', to: `${sales.url}/sales`, status: 'sent' } });
    expect(await ok(t, 'GET', `/handoffs/${encodeURIComponent(key)}`)).toMatchObject({ key, record: { node: { id: 'h1' } } });

    await ok(t, 'POST', `/handoffs/${encodeURIComponent(key)}/accept`, { note: '来週訪問' });
    const returned = (await ok(t, 'GET', '/handoffs?productLine=ho&leadId=ho-2')).items[0].key;
    await ok(t, 'POST', `/handoffs/${encodeURIComponent(returned)}/return`, { note: '予算時期が来期' });
    await drain(t);

    expect(await enrollmentOf(t, 'ho-1', 'ho-hot')).toMatchObject({ status: 'completed', nodeId: 'g1' });
    expect(await enrollmentOf(t, 'ho-2', 'ho-hot')).toMatchObject({ status: 'waiting', nodeId: 'nurture' });
    expect((await ok(t, 'GET', '/handoffs?productLine=ho')).items.map((h: { status: string }) => h.status)).toEqual(['done', 'done']);
  });

  it('retries the sales webhook when it is down, keeping the record as first written, and sales can already read it', async () => {
    const t = current();
    await publish(t, hotToSales('ho-down'), { scoring, salesWebhook: `${sales.url}/down` });
    await becomeHot(t, 'ho-down', { id: 'ho-3', email: 'mori@eta.example.jp' });
    sales.calls.length = 0;
    sales.answer(503);

    expect(await dispatch(t, 'ho-down', [handoffChannel(t.rt, loopbackOptions())])).toBe(1);
    const [pending] = (await ok(t, 'GET', '/handoffs?productLine=ho-down')).items;
    expect(pending).toMatchObject({ status: 'pending', attempts: 1, record: { lead: { id: 'ho-3' } }, notification: { via: 'webhook', status: 'retrying', error: expect.stringMatching(/^HTTP 503/) } });

    sales.answer(200);
    t.clock.advance(1000);
    expect(await dispatch(t, 'ho-down', [handoffChannel(t.rt, loopbackOptions())])).toBe(1);
    expect(sales.calls).toHaveLength(2);
    expect(sales.calls[1]!.body.handoff).toEqual(sales.calls[0]!.body.handoff);
    expect((await ok(t, 'GET', '/handoffs?productLine=ho-down')).items[0]).toMatchObject({ status: 'sent', notification: { status: 'sent' } });
  });

  it("with only a sales address, mails sales the hand-off in Japanese and English through SMTP, once per hand-off even when SMTP was down", async () => {
    const t = current();
    const smtp = await startTestSmtp();
    const channel = handoffChannel(t.rt, loopbackOptions({ smtpUrl: smtp.url }));
    try {
      await publish(t, hotToSales('ho-mail'), { scoring, salesEmail: 'sales@example.jp', sender: { name: 'CRM事務局', email: 'crm@example.jp' } });
      await becomeHot(t, 'ho-mail', { id: 'ho-4', email: 'ogawa@theta.example.jp', name: '小川 翔', company: 'シータ商事', phone: '03-5555-6666' });
      const calls = sales.calls.length;

      expect(await dispatch(t, 'ho-mail', [channel])).toBe(1);
      expect(sales.calls).toHaveLength(calls);
      const [handoff] = (await ok(t, 'GET', '/handoffs?productLine=ho-mail')).items;
      const view = `https://nf.example.jp/api/v1/handoffs/${encodeURIComponent(handoff.key)}`;
      expect(smtp.received).toHaveLength(1);
      const mail = smtp.received[0]!;
      expect(mail).toMatchObject({ key: handoff.key, envelopeTo: ['sales@example.jp'], from: '"CRM事務局" <crm@example.jp>', subject: '[Nurtureflow] 営業引き継ぎ / Hand-off: 小川 翔 (シータ商事) — ho-mail' });
      for (const line of [
        '小川 翔 (シータ商事) 様を営業に引き継ぎます（ho-mail、シナリオ ho-mail-hot のノード h1）。',
        '理由: 資料DLとセミナー参加でホット化',
        'スコア 70、ランク B、ホット',
        '電話: 03-5555-6666',
        'whitepaper_downloaded',
        `引き継ぎの詳細: ${view}`,
        `受け入れる: POST ${view}/accept`,
        'Why: 資料DLとセミナー参加でホット化',
        'Score 70, rank B, hot',
        `The hand-off: ${view}`,
        `Return to nurturing: POST ${view}/return`,
      ]) {
        expect(mail.text).toContain(line);
      }
      expect(mail.html).toContain(`<a href="${view}">`);
      expect(handoff).toMatchObject({ status: 'sent', notification: { via: 'email', to: 'sales@example.jp', status: 'sent', transport: 'smtp', subject: mail.subject, text: mail.text } });

      // SMTP is down: the notification waits and is retried, then arrives once.
      await becomeHot(t, 'ho-mail', { id: 'ho-6', email: 'ishii@kappa.example.jp', name: '石井 優' });
      await smtp.stop();
      expect(await dispatch(t, 'ho-mail', [channel])).toBe(1);
      const waiting = (await ok(t, 'GET', '/handoffs?productLine=ho-mail&leadId=ho-6')).items[0];
      expect(waiting).toMatchObject({ status: 'pending', attempts: 1, notification: { via: 'email', status: 'retrying', error: expect.stringMatching(/^SMTP E[A-Z]+/) } });
      await smtp.start();
      t.clock.advance(1000);
      expect(await dispatch(t, 'ho-mail', [channel])).toBe(1);
      expect(smtp.countByKey().get(waiting.key)).toBe(1);
      expect((await ok(t, 'GET', '/handoffs?productLine=ho-mail&leadId=ho-6')).items[0]).toMatchObject({ status: 'sent', notification: { status: 'sent' } });
    } finally {
      channel.close();
      await smtp.stop();
    }
  });

  it('with no SMTP server the mail to sales is kept in the local mailbox; with neither address nor webhook, the record waits in the list', async () => {
    const t = current();
    const channel = handoffChannel(t.rt, loopbackOptions({ smtpUrl: null }));
    await publish(t, hotToSales('ho-box'), { scoring, salesEmail: 'sales@example.jp' });
    await becomeHot(t, 'ho-box', { id: 'ho-7', email: 'kato@lambda.example.jp', name: '加藤 蓮' });
    await publish(t, hotToSales('ho-none'), { scoring });
    await becomeHot(t, 'ho-none', { id: 'ho-5', email: 'abe@iota.example.jp' });

    expect(await dispatch(t, 'ho-box', [channel])).toBe(1);
    expect(await dispatch(t, 'ho-none', [channel])).toBe(1);

    const [kept] = (await ok(t, 'GET', '/mailbox?productLine=ho-box')).items;
    expect(kept).toMatchObject({ leadId: 'ho-7', to: 'sales@example.jp', subject: '[Nurtureflow] 営業引き継ぎ / Hand-off: 加藤 蓮 — ho-box' });
    const [handoff] = (await ok(t, 'GET', '/handoffs?productLine=ho-box')).items;
    expect(kept.key).toBe(handoff.key);
    expect(handoff).toMatchObject({ status: 'sent', notification: { via: 'email', status: 'sent', transport: 'mailbox' } });
    const [none] = (await ok(t, 'GET', '/handoffs?productLine=ho-none')).items;
    expect(none).toMatchObject({ status: 'sent', notification: { via: 'none' }, record: { lead: { id: 'ho-5' } } });
    channel.close();
  });
});
