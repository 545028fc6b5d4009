import { aGraph } from '@nurtureflow/scenario/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eachRuntime } from '../testing.ts';
import { dispatch, enroll, loopbackOptions, ok, publish, SECRET } from './sales-testing.ts';
import { startReceiver, type Receiver } from './test-receiver.ts';
import { webhookChannel } from './webhook.ts';

/** A scenario that calls `url` once and ends. */
function calling(productLine: string, url: string) {
  return aGraph({ productLine, scenarioId: `${productLine}-hook`, name: 'CRM sync' })
    .trigger('t', { type: 'import' })
    .add('h1', { kind: 'webhook', url, channel: 'crm', payload: { campaign: '春の展示会', list: 42 } })
    .exit('x')
    .input();
}

eachRuntime('webhook channel', (current) => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver(SECRET);
  });
  afterAll(() => receiver.close());

  it('POSTs the lead, scenario, node, payload and key to a loopback receiver, signed with HMAC-SHA256', async () => {
    const t = current();
    await publish(t, calling('wh-ok', `${receiver.url}/crm`));
    await enroll(t, 'wh-ok-hook', [{ id: 'wh-1', email: 'sato@alpha.example.jp', name: '佐藤 花子', company: '株式会社アルファ', phone: '03-1234-5678' }]);
    receiver.calls.length = 0;

    expect(await dispatch(t, 'wh-ok', [webhookChannel(t.rt, loopbackOptions())])).toBe(1);

    expect(receiver.calls).toHaveLength(1);
    const call = receiver.calls[0]!;
    expect(call.signatureValid).toBe(true);
    const { items } = await ok(t, 'GET', '/webhooks?productLine=wh-ok');
    expect(items).toMatchObject([{ status: 'sent', attempts: 1, lastError: null }]);
    expect(call.path).toBe('/crm');
    expect(call.headers['x-nurtureflow-key']).toBe(items[0].key);
    expect(call.headers['content-type']).toMatch(/^application\/json/);
    expect(call.body).toMatchObject({
      type: 'nurtureflow.webhook',
      key: items[0].key,
      channel: 'crm',
      productLine: 'wh-ok',
      scenario: { id: 'wh-ok-hook' },
      node: { id: 'h1' },
      lead: { id: 'wh-1', name: '佐藤 花子', company: '株式会社アルファ', phone: '03-1234-5678', email: 'sato@alpha.example.jp', score: 0 },
      payload: { campaign: '春の展示会', list: 42 },
    });
    // Delivered once: a later round has nothing to send.
    expect(await dispatch(t, 'wh-ok', [webhookChannel(t.rt, loopbackOptions())])).toBe(0);
  });

  it('retries a receiver answering 500 with backoff, keeps it as a dead letter after the last attempt, and sends it again when requeued', async () => {
    const t = current();
    await publish(t, calling('wh-down', `${receiver.url}/down`));
    await enroll(t, 'wh-down-hook', [{ id: 'wh-2', email: 'suzuki@beta.example.jp' }]);
    receiver.calls.length = 0;
    receiver.answer(500);
    const channels = [webhookChannel(t.rt, loopbackOptions())];

    expect(await dispatch(t, 'wh-down', channels)).toBe(1);
    // Not due again before the backoff (1 s, then 2 s) has passed.
    expect(await dispatch(t, 'wh-down', channels)).toBe(0);
    t.clock.advance(1000);
    expect(await dispatch(t, 'wh-down', channels)).toBe(1);
    t.clock.advance(1999);
    expect(await dispatch(t, 'wh-down', channels)).toBe(0);
    t.clock.advance(1);
    expect(await dispatch(t, 'wh-down', channels)).toBe(1);

    expect(receiver.calls).toHaveLength(3);
    const keys = new Set(receiver.calls.map((c) => c.headers['x-nurtureflow-key']));
    expect(keys.size).toBe(1);
    expect(receiver.calls.map((c) => c.body.attempt)).toEqual([1, 2, 3]);
    const dead = await ok(t, 'GET', '/webhooks/dead-letters?productLine=wh-down');
    expect(dead.items).toMatchObject([{ key: [...keys][0], type: 'callWebhook', leadId: 'wh-2', url: `${receiver.url}/down`, attempts: 3, lastError: expect.stringMatching(/^HTTP 500 from 127\.0\.0\.1:\d+: receiver is down$/) }]);
    t.clock.advance(3_600_000);
    expect(await dispatch(t, 'wh-down', channels)).toBe(0);

    receiver.answer(200);
    const key = dead.items[0].key;
    expect((await t.call('POST', `/webhooks/dead-letters/${encodeURIComponent(key)}/retry`)).status).toBe(202);
    expect(await dispatch(t, 'wh-down', channels)).toBe(1);
    expect(receiver.calls).toHaveLength(4);
    expect(receiver.calls[3]!.signatureValid).toBe(true);
    expect((await ok(t, 'GET', '/webhooks/dead-letters?productLine=wh-down')).items).toEqual([]);
    expect((await ok(t, 'GET', '/webhooks?productLine=wh-down')).items).toMatchObject([{ key, status: 'sent', attempts: 1, lastError: null }]);
    // Requeueing what is not a dead letter is refused.
    const again = await t.call('POST', `/webhooks/dead-letters/${encodeURIComponent(key)}/retry`);
    expect(again.status).toBe(409);
    expect(again.body.error.issues).toEqual([{ path: 'params.key', message: 'is sent' }]);
    expect((await t.call('POST', '/webhooks/dead-letters/no-such-key/retry')).status).toBe(404);
  });

  it('refuses a loopback target unless the operator allows it: failed with the reason, no request made', async () => {
    const t = current();
    await publish(t, calling('wh-ssrf', `${receiver.url}/internal`));
    await publish(t, aGraph({ productLine: 'wh-ssrf', scenarioId: 'wh-ssrf-name', name: 'by name' }).trigger('t', { type: 'import' }).add('h1', { kind: 'webhook', url: `${receiver.url.replace('127.0.0.1', 'localhost')}/internal`, channel: 'crm', payload: {} }).exit('x').input());
    await enroll(t, 'wh-ssrf-hook', [{ id: 'wh-3', email: 'takahashi@gamma.example.jp' }]);
    await enroll(t, 'wh-ssrf-name', [{ id: 'wh-4', email: 'tanaka@gamma.example.jp' }]);
    receiver.calls.length = 0;
    const guarded = webhookChannel(t.rt, loopbackOptions({ policy: { allowPrivate: false, allowHosts: [] } }));

    expect(await dispatch(t, 'wh-ssrf', [guarded])).toBe(2);

    expect(receiver.calls).toEqual([]);
    const dead = await ok(t, 'GET', '/webhooks/dead-letters?productLine=wh-ssrf');
    const byLead = Object.fromEntries(dead.items.map((d: { leadId: string; lastError: string; attempts: number }) => [d.leadId, d]));
    expect(byLead['wh-3']).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/^refused target 127\.0\.0\.1: a loopback address; allow it with WEBHOOK_ALLOW_PRIVATE=true/) });
    // A host name is judged by what it resolves to.
    expect(byLead['wh-4']).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/^refused target localhost \((127\.0\.0\.1|::1)\): a loopback address/) });

    // Listing the host lets it through.
    for (const d of dead.items) await ok(t, 'POST', `/webhooks/dead-letters/${encodeURIComponent(d.key)}/retry`);
    const allowed = webhookChannel(t.rt, loopbackOptions({ policy: { allowPrivate: false, allowHosts: ['127.0.0.1', 'localhost'] } }));
    expect(await dispatch(t, 'wh-ssrf', [allowed])).toBe(2);
    expect(receiver.calls).toHaveLength(2);
    expect(receiver.calls.every((c) => c.signatureValid)).toBe(true);
  });

  it('signs with the product line\'s own secret, gives a stuck receiver the timeout, and fails with no secret at all', async () => {
    const t = current();
    const own = 'crm-line-own-secret-9876543210';
    await publish(t, calling('wh-own', `${receiver.url}/own`), { webhookSecret: own });
    await enroll(t, 'wh-own-hook', [{ id: 'wh-5', email: 'ito@delta.example.jp' }]);
    receiver.calls.length = 0;
    receiver.answer('hang');
    const channels = [webhookChannel(t.rt, loopbackOptions({ timeoutMs: 150 }))];

    expect(await dispatch(t, 'wh-own', channels)).toBe(1);
    expect((await ok(t, 'GET', '/webhooks?productLine=wh-own')).items).toMatchObject([{ status: 'pending', attempts: 1, lastError: expect.stringMatching(/^no answer from 127\.0\.0\.1:\d+ within 150 ms$/) }]);

    receiver.answer(200);
    t.clock.advance(1000);
    expect(await dispatch(t, 'wh-own', channels)).toBe(1);
    const last = receiver.calls[receiver.calls.length - 1]!;
    expect(last.signatureValid).toBe(false);
    const { createHmac } = await import('node:crypto');
    expect(last.headers['x-nurtureflow-signature']).toBe(`sha256=${createHmac('sha256', own).update(last.raw).digest('hex')}`);

    await publish(t, calling('wh-nosecret', `${receiver.url}/none`));
    await enroll(t, 'wh-nosecret-hook', [{ id: 'wh-6', email: 'kato@delta.example.jp' }]);
    const before = receiver.calls.length;
    expect(await dispatch(t, 'wh-nosecret', [webhookChannel(t.rt, loopbackOptions({ webhookSecret: null }))])).toBe(1);
    expect(receiver.calls).toHaveLength(before);
    expect((await ok(t, 'GET', '/webhooks/dead-letters?productLine=wh-nosecret')).items).toMatchObject([{ lastError: expect.stringMatching(/^no signing secret: set WEBHOOK_SECRET/) }]);
  });
});
