import { expect, it } from 'vitest';
import { eachRuntime, type TestRuntime } from '../testing.ts';
import { issuePaths, ok } from './testing.ts';

const SMTP = 'smtp://mailer:s3cr%40t-pass@smtp.example.jp:587';
const WEBHOOK = 'webhook-secret-0123456789';
const INBOUND = 'inbound-secret-0123456789';

const stored = async (t: TestRuntime, id: string) => (await t.rt.db.selectFrom('product_lines').select('settings').where('id', '=', id).executeTakeFirstOrThrow()).settings;

eachRuntime('product line secrets', (current) => {
  it('are never shown: the SMTP password reads ******** and the other secrets only say they are set', async () => {
    const t = current();
    const created = await ok(t, 'POST', '/product-lines', { id: 'sec', name: 'Secrets', settings: { smtp: { url: SMTP }, webhookSecret: WEBHOOK, inboundSecret: INBOUND, salesEmail: 'sales@example.jp' } }, 201);
    for (const view of [created, await ok(t, 'GET', '/product-lines/sec'), (await ok(t, 'GET', '/product-lines')).productLines.find((p: { id: string }) => p.id === 'sec')]) {
      expect(view).toMatchObject({ hasWebhookSecret: true, hasInboundSecret: true, settings: { smtp: { url: 'smtp://mailer:********@smtp.example.jp:587' }, salesEmail: 'sales@example.jp' } });
      expect(view.settings).not.toHaveProperty('webhookSecret');
      expect(view.settings).not.toHaveProperty('inboundSecret');
      const text = JSON.stringify(view);
      for (const secret of ['s3cr', WEBHOOK, INBOUND]) expect(text).not.toContain(secret);
    }
    expect(await stored(t, 'sec')).toMatchObject({ smtp: { url: SMTP }, webhookSecret: WEBHOOK, inboundSecret: INBOUND });
    const plain = await ok(t, 'POST', '/product-lines', { id: 'plain', name: 'Plain' }, 201);
    expect(plain).toMatchObject({ hasWebhookSecret: false, hasInboundSecret: false });
  });

  it('a PATCH that sends back what it read, or leaves the secrets out, keeps the stored ones', async () => {
    const t = current();
    await ok(t, 'POST', '/product-lines', { id: 'keep', name: 'Keep', settings: { smtp: { url: SMTP }, webhookSecret: WEBHOOK, inboundSecret: INBOUND } }, 201);
    const read = await ok(t, 'GET', '/product-lines/keep');
    // The form changes one setting and sends the rest back as read (flags included, which are ignored).
    const roundTrip = await ok(t, 'PATCH', '/product-lines/keep', { settings: { ...read.settings, salesEmail: 'new-sales@example.jp', webhookSecret: '********' } });
    expect(roundTrip).toMatchObject({ hasWebhookSecret: true, hasInboundSecret: true, settings: { salesEmail: 'new-sales@example.jp', smtp: { url: 'smtp://mailer:********@smtp.example.jp:587' } } });
    expect(await stored(t, 'keep')).toMatchObject({ smtp: { url: SMTP }, webhookSecret: WEBHOOK, inboundSecret: INBOUND, salesEmail: 'new-sales@example.jp' });

    await ok(t, 'PATCH', '/product-lines/keep', { settings: { scoring: { hotThreshold: 30 } } });
    expect(await stored(t, 'keep')).toMatchObject({ smtp: { url: SMTP }, webhookSecret: WEBHOOK, inboundSecret: INBOUND, scoring: { hotThreshold: 30 } });

    // A new secret replaces the old. The mask stands for the stored password on the same server (a query added is fine), on no other.
    await ok(t, 'PATCH', '/product-lines/keep', { settings: { webhookSecret: 'another-webhook-secret-01', smtp: { url: 'smtp://mailer:********@smtp.example.jp:587?pool=true' } } });
    expect(await stored(t, 'keep')).toMatchObject({ webhookSecret: 'another-webhook-secret-01', smtp: { url: 'smtp://mailer:s3cr%40t-pass@smtp.example.jp:587?pool=true' } });
    for (const url of ['smtp://mailer:********@evil.example.com:587', 'smtp://mailer:********@smtp.example.jp:2525', 'smtps://mailer:********@smtp.example.jp:587', 'smtp://other:********@smtp.example.jp:587']) {
      const res = await t.call('PATCH', '/product-lines/keep', { settings: { smtp: { url } } });
      expect(res.status, url).toBe(400);
      expect(issuePaths(res)).toEqual(['body.settings.smtp.url']);
    }
    expect((await stored(t, 'keep'))['smtp']).toEqual({ url: 'smtp://mailer:s3cr%40t-pass@smtp.example.jp:587?pool=true' });

    // null removes a secret.
    const removed = await ok(t, 'PATCH', '/product-lines/keep', { settings: { smtp: null, webhookSecret: null } });
    expect(removed).toMatchObject({ hasWebhookSecret: false, hasInboundSecret: true });
    expect(removed.settings).not.toHaveProperty('smtp');
    expect(await stored(t, 'keep')).not.toHaveProperty('webhookSecret');
  });

  it('the mask is no password for a new product line, and a secret too short is refused as before', async () => {
    const t = current();
    const masked = await t.call('POST', '/product-lines', { id: 'masked', name: 'x', settings: { smtp: { url: 'smtp://u:********@smtp.example.jp' } } });
    expect(masked.status).toBe(400);
    expect(issuePaths(masked)).toEqual(['body.settings.smtp.url']);
    expect((await t.call('GET', '/product-lines/masked')).status).toBe(404);
    const short = await t.call('POST', '/product-lines', { id: 'short', name: 'x', settings: { webhookSecret: '********' } });
    expect(short.status).toBe(400);
    expect(issuePaths(short)).toEqual(['body.settings.webhookSecret']);
  });
});
