import { aGraph } from '@nurtureflow/scenario/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../routes/testing.ts';
import { eachRuntime, type TestRuntime } from '../testing.ts';
import { emailChannel, type EmailChannel } from './email.ts';
import { dispatchAllDue } from './start-dispatcher.ts';
import { drainAll, follow, pixelUrl, startTestSmtp, type TestSmtp } from './testing.ts';
import { stepDue } from '../core/worker.ts';

/** One mail of template `tpl`, then the end. */
function oneMail(productLine: string, scenarioId: string, tpl: string) {
  return aGraph({ productLine, scenarioId, name: scenarioId }).trigger('t', { type: 'import' }).email('m1', tpl).exit('x1').connect('m1', 'skipped', 'x1').input();
}

async function scenario(t: TestRuntime, productLine: string, scenarioId: string, tpl: string) {
  await ok(t, 'POST', '/scenarios', { id: scenarioId, productLine, name: scenarioId, draft: oneMail(productLine, scenarioId, tpl) });
  await ok(t, 'POST', `/scenarios/${scenarioId}/publish`, { note: 'v1' });
}

async function enrollNew(t: TestRuntime, scenarioId: string, leadIds: string[]) {
  for (const id of leadIds) await ok(t, 'POST', '/leads', { id, email: `${id}@example.jp`, name: `${id} さん` });
  await ok(t, 'POST', '/enrollments', { scenarioId, leadIds });
  while ((await stepDue(t.rt)) > 0);
}

async function rows(t: TestRuntime, scenarioId: string) {
  return t.rt.db.selectFrom('outbox').select(['key', 'lead_id', 'status', 'attempts', 'last_error']).where('scenario_id', '=', scenarioId).where('type', '=', 'sendEmail').orderBy('lead_id').execute();
}

describe('the e-mail channel', () => {
  eachRuntime('email channel', (current) => {
    let smtp: TestSmtp;
    let channel: EmailChannel;
    beforeAll(async () => {
      smtp = await startTestSmtp();
      const t = current();
      channel = emailChannel(t.rt, { baseUrl: 'http://nf.test', smtpUrl: smtp.url });
      await ok(t, 'POST', '/product-lines', { id: 'mail', name: 'メール', settings: { sender: { name: '事務局', email: 'info@mail.example.jp' } } });
      await ok(t, 'POST', '/product-lines/mail/templates', { id: 'hi', name: 'hi', subject: 'こんにちは {{ lead.name }}', html: '<p>{{ lead.name }}</p><a href="https://example.com/x">x</a>' });
    });
    afterAll(async () => {
      channel?.close();
      await smtp.stop();
    });
    const options = { backoffBaseMs: 1_000 };

    it('delivers what was queued while the SMTP server was down once it is back, none twice', async () => {
      const t = current();
      await scenario(t, 'mail', 'outage', 'hi');
      await smtp.stop();
      await enrollNew(t, 'outage', ['down-1', 'down-2', 'down-3']);

      expect(await dispatchAllDue(t.rt, [channel], options)).toBe(3);
      t.clock.advance(1_000);
      expect(await dispatchAllDue(t.rt, [channel], options)).toBe(3);
      for (const r of await rows(t, 'outage')) expect(r).toMatchObject({ status: 'pending', attempts: 2, last_error: expect.stringMatching(/^SMTP E[A-Z]+/) });
      // Backing off: nothing is due until the doubled wait has passed.
      expect(await dispatchAllDue(t.rt, [channel], options)).toBe(0);

      await smtp.start();
      t.clock.advance(2_000);
      expect(await dispatchAllDue(t.rt, [channel], options)).toBe(3);
      t.clock.advance(3_600_000);
      expect(await dispatchAllDue(t.rt, [channel], options)).toBe(0);
      const sent = await rows(t, 'outage');
      expect(sent.map((r) => [r.status, r.attempts, r.last_error])).toEqual(Array(3).fill(['sent', 3, null]));
      const counts = smtp.countByKey();
      for (const r of sent) expect(counts.get(r.key), r.key).toBe(1);
      // The Message-ID comes from the key too, so a receiver can also tell a repeat by it.
      const ids = smtp.received.filter((m) => sent.some((r) => r.key === m.key)).map((m) => m.headers.get('message-id'));
      expect(new Set(ids).size).toBe(3);
      for (const id of ids) expect(id).toMatch(/^<[0-9a-f]{32}@mail\.example\.jp>$/);
    });

    it('retries a temporary (4xx) refusal and fails a permanent (5xx) one with the reason', async () => {
      const t = current();
      await scenario(t, 'mail', 'refusals', 'hi');
      smtp.failWith(451);
      await enrollNew(t, 'refusals', ['r-1']);
      await dispatchAllDue(t.rt, [channel], options);
      expect((await rows(t, 'refusals'))[0]).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringMatching(/^SMTP 451: .*try again later/) });

      smtp.failWith(550);
      t.clock.advance(1_000);
      await dispatchAllDue(t.rt, [channel], options);
      smtp.failWith(null);
      t.clock.advance(3_600_000);
      await dispatchAllDue(t.rt, [channel], options);
      expect((await rows(t, 'refusals'))[0]).toMatchObject({ status: 'failed', attempts: 2, last_error: expect.stringMatching(/^SMTP 550: .*mailbox unavailable/) });
      expect(smtp.countByKey().has((await rows(t, 'refusals'))[0]!.key)).toBe(false);
    });

    it('fails a mail whose template does not exist, naming it', async () => {
      const t = current();
      await scenario(t, 'mail', 'no-template', 'missing');
      await enrollNew(t, 'no-template', ['nt-1']);
      await dispatchAllDue(t.rt, [channel], options);
      expect((await rows(t, 'no-template'))[0]).toMatchObject({
        status: 'failed',
        attempts: 1,
        last_error: 'missingTemplate: template "missing" does not exist in product line "mail"',
      });
    });

    it("sends through the product line's own SMTP server when it has one", async () => {
      const t = current();
      const own = await startTestSmtp();
      try {
        await ok(t, 'POST', '/product-lines', { id: 'own-smtp', name: 'Own', settings: { smtp: { url: own.url } } });
        await ok(t, 'POST', '/product-lines/own-smtp/templates', { id: 'hi', name: 'hi', subject: 'own', html: '<p>own</p>' });
        await scenario(t, 'own-smtp', 'own-smtp-flow', 'hi');
        await enrollNew(t, 'own-smtp-flow', ['own-1']);
        await dispatchAllDue(t.rt, [channel], options);
        expect(own.received.map((m) => m.subject)).toEqual(['own']);
        expect(smtp.received.some((m) => m.subject === 'own')).toBe(false);
        // No sender set: the product line's name at MAIL_FROM's default address.
        expect(own.received[0]!.from).toBe('"Own" <nurtureflow@localhost>');
      } finally {
        await own.stop();
      }
    });
  });

  eachRuntime('mailbox', (current) => {
    it('keeps every message in the local mailbox when no SMTP server is configured, with working links', async () => {
      const t = current();
      const channel = emailChannel(t.rt, { baseUrl: 'http://nf.test', smtpUrl: null });
      await ok(t, 'POST', '/product-lines', { id: 'local', name: 'ローカル', settings: { sender: { name: '事務局', email: 'info@local.example.jp' } } });
      await ok(t, 'POST', '/product-lines/local/templates', { id: 'hi', name: 'hi', subject: 'ようこそ {{ lead.name }} 様', html: '<p>{{ lead.name }}</p>', text: '{{ lead.name }} 様 https://example.com/start' });
      await scenario(t, 'local', 'local-flow', 'hi');
      await ok(t, 'POST', '/leads', { id: 'mb-1', email: 'mb-1@example.jp', name: '高橋 桜' });
      await ok(t, 'POST', '/enrollments', { scenarioId: 'local-flow', leadIds: ['mb-1'] });
      await drainAll(t, [channel]);

      const list = await ok(t, 'GET', '/mailbox');
      expect(list.items).toHaveLength(1);
      expect(list.items[0]).toMatchObject({ leadId: 'mb-1', productLine: 'local', to: '"高橋 桜" <mb-1@example.jp>', from: '"事務局" <info@local.example.jp>', subject: 'ようこそ 高橋 桜 様' });
      const mail = await ok(t, 'GET', `/mailbox/${encodeURIComponent(list.items[0].key)}`);
      expect(mail.headers).toMatchObject({ 'X-Nurtureflow-Key': list.items[0].key, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click', Subject: 'ようこそ 高橋 桜 様' });
      // The mailto: and the Return-Path carry the message's signed tokens (an unsubscribe by mail, bounce reports).
      expect(mail.headers['List-Unsubscribe']).toMatch(/^<http:\/\/nf\.test\/u\/.+>, <mailto:info\+u[0-9a-f]{40}@local\.example\.jp\?subject=unsubscribe%20u[0-9a-f]{40}>$/);
      expect(mail.headers['Return-Path']).toMatch(/^<info\+b[0-9a-f]{40}@local\.example\.jp>$/);
      // The authored text keeps its words; its link is tracked and the unsubscribe line added.
      expect(mail.text).toMatch(/^高橋 桜 様 http:\/\/nf\.test\/t\/c\/\S+\n\n--\nローカルからのメール配信停止 \/ Unsubscribe: http:\/\/nf\.test\/u\//);
      expect((await follow(t, pixelUrl(mail.html))).status).toBe(200);
      const click = await follow(t, /http:\/\/nf\.test\/t\/c\/\S+/.exec(mail.text)![0]);
      expect(click.headers.get('location')).toBe('https://example.com/start');
      expect((await t.call('GET', '/mailbox/nope')).status).toBe(404);
      expect((await ok(t, 'GET', '/messages?leadId=mb-1')).items[0].status).toBe('sent');
    });
  });
});
