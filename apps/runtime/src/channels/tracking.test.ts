import { aGraph, dur } from '@nurtureflow/scenario/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../routes/testing.ts';
import { createSigner, trackingSigner } from '../tracking/tokens.ts';
import { eachRuntime, type TestRuntime } from '../testing.ts';
import { emailChannel, type EmailChannel } from './email.ts';
import { drainAll, follow, hrefs, pixelUrl, startTestSmtp, type TestSmtp } from './testing.ts';

const HTML = `<html><body><p>{{ lead.name }} 様</p>
<p><a href="https://example.com/pricing?plan=pro&amp;ref=mail">料金</a> · <a href='https://example.com/case'>事例</a></p>
<p><a href="https://example.com/pricing?plan=pro&amp;ref=mail">もう一度 料金</a> <a href="mailto:sales@example.com">mail</a></p></body></html>`;

/** Mail → wait for the open (3 days) → wait for a click (3 days) → goal. */
const graph = aGraph({ productLine: 'track', scenarioId: 'track-flow', name: 'tracking' })
  .trigger('t', { type: 'import' })
  .email('m1', 'hello')
  .waitForEvent('w1', 'email_opened', dur(3, 'days'))
  .waitForEvent('w2', 'link_clicked', dur(3, 'days'))
  .goal('g1', 'clicked')
  .from('w1', 'timeout')
  .exit('x1')
  .connect('w2', 'timeout', 'x1')
  .input();

async function eventRows(t: TestRuntime) {
  return t.rt.db.selectFrom('events').select(['id', 'kind', 'product_line', 'scenario_id', 'node_id', 'effect_key', 'data']).orderBy('seq').execute();
}

async function enrollment(t: TestRuntime, leadId: string) {
  const r = await ok(t, 'GET', `/enrollments?scenarioId=track-flow&leadId=${leadId}`);
  return r.items[0] as { nodeId: string; status: string };
}

describe('tracking opens and clicks', () => {
  eachRuntime('tracking', (current) => {
    let smtp: TestSmtp;
    let channel: EmailChannel;
    beforeAll(async () => {
      smtp = await startTestSmtp();
    });
    afterAll(async () => {
      channel?.close();
      await smtp.stop();
    });

    const setup = async (leadId: string) => {
      const t = current();
      channel ??= emailChannel(t.rt, { baseUrl: 'http://nf.test', smtpUrl: smtp.url });
      if ((await t.call('GET', '/product-lines/track')).status === 404) {
        await ok(t, 'POST', '/product-lines', {
          id: 'track',
          name: 'Tracking',
          settings: { scoring: { rules: [{ id: 'open', event: 'email_opened', points: 5 }, { id: 'click', event: 'link_clicked', points: 10 }], hotThreshold: 1000 } },
        });
        await ok(t, 'POST', '/product-lines/track/templates', { id: 'hello', name: 'hello', subject: 'こんにちは', html: HTML });
        await ok(t, 'POST', '/scenarios', { id: 'track-flow', productLine: 'track', name: 'tracking', draft: graph });
        await ok(t, 'POST', '/scenarios/track-flow/publish', { note: 'v1' });
      }
      await ok(t, 'POST', '/leads', { id: leadId, email: `${leadId}@example.jp`, name: '田中 一郎' });
      await ok(t, 'POST', '/enrollments', { scenarioId: 'track-flow', leadIds: [leadId] });
      await drainAll(t, [channel]);
      const mail = smtp.received.find((m) => m.envelopeTo.includes(`${leadId}@example.jp`));
      if (!mail) throw new Error(`no mail for ${leadId}`);
      return { t, mail };
    };

    it('the pixel and a link from the received mail move a lead waiting for the open, then the click, on', async () => {
      const { t, mail } = await setup('open-click');
      expect(await enrollment(t, 'open-click')).toMatchObject({ nodeId: 'w1', status: 'waiting' });

      const pixel = await follow(t, pixelUrl(mail.html));
      expect(pixel.status).toBe(200);
      expect(pixel.headers.get('content-type')).toBe('image/gif');
      await drainAll(t, [channel]);
      expect(await enrollment(t, 'open-click')).toMatchObject({ nodeId: 'w2', status: 'waiting' });

      // Only the message's own http(s) links are rewritten; a repeated URL shares one token.
      const links = hrefs(mail.html).filter((h) => h.includes('/t/c/'));
      expect(links).toHaveLength(3);
      expect(links[0]).toBe(links[2]);
      expect(hrefs(mail.html)).toContain('mailto:sales@example.com');
      const click = await follow(t, links[0]!);
      expect(click.status).toBe(302);
      expect(click.headers.get('location')).toBe('https://example.com/pricing?plan=pro&ref=mail');
      expect((await follow(t, links[1]!)).headers.get('location')).toBe('https://example.com/case');
      await drainAll(t, [channel]);
      expect(await enrollment(t, 'open-click')).toMatchObject({ nodeId: 'g1', status: 'completed' });

      // Events name the product line, scenario, node and message, so they score and count per node.
      const events = (await eventRows(t)).filter((e) => e.effect_key !== null);
      expect(events.map((e) => e.kind)).toEqual(['email_opened', 'link_clicked', 'link_clicked']);
      for (const e of events) expect(e).toMatchObject({ product_line: 'track', scenario_id: 'track-flow', node_id: 'm1' });
      expect(events[1]!.data).toEqual({ url: 'https://example.com/pricing?plan=pro&ref=mail', link: 0 });
      const lead = await ok(t, 'GET', '/leads/open-click');
      expect(lead.products.find((p: { productLine: string }) => p.productLine === 'track').score).toBe(25);

      // Reloading the pixel within minutes is one open; every click counts.
      await follow(t, pixelUrl(mail.html));
      await follow(t, links[1]!);
      const after = (await eventRows(t)).filter((e) => e.effect_key !== null).map((e) => e.kind);
      expect(after).toEqual(['email_opened', 'link_clicked', 'link_clicked', 'link_clicked']);
    });

    it('tampered, foreign and out-of-range tokens get 404 and record nothing', async () => {
      const { t, mail } = await setup('tamper');
      const before = await eventRows(t);
      const pixel = pixelUrl(mail.html);
      const link = hrefs(mail.html).find((h) => h.includes('/t/c/'))!;
      const token = new URL(link).pathname.split('/').pop()!;
      const [body, tag] = token.split('.') as [string, string];
      const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
      const key = JSON.parse(Buffer.from(body, 'base64url').toString())[2] as string;
      const own = await trackingSigner(t.rt.db, t.rt.db);
      const foreign = createSigner('a secret of some other server');

      const attempts = [
        pixel.slice(0, -3) + (pixel.endsWith('AAA') ? 'BBB' : 'AAA'),
        `http://nf.test/t/c/${flip(body)}.${tag}`,
        `http://nf.test/t/c/${body}.${flip(tag)}`,
        `http://nf.test/t/c/${body}`,
        `http://nf.test/t/c/not-a-token`,
        `http://nf.test/t/o/${foreign.sign({ kind: 'open', leadId: 'tamper', key })}`,
        `http://nf.test/t/c/${foreign.sign({ kind: 'click', leadId: 'tamper', key, index: 0 })}`,
        // Signed by us, but: a link the message does not have, a message never sent, the wrong kind.
        `http://nf.test/t/c/${own.sign({ kind: 'click', leadId: 'tamper', key, index: 7 })}`,
        `http://nf.test/t/o/${own.sign({ kind: 'open', leadId: 'tamper', key: 'en_none:1:0' })}`,
        `http://nf.test/t/o/${token}`,
        `http://nf.test/u/${foreign.sign({ kind: 'unsubscribe', leadId: 'tamper', key, productLine: 'track' })}`,
      ];
      for (const url of attempts) {
        const res = await follow(t, url, url.includes('/u/') ? { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {});
        expect(res.status, url).toBe(404);
        expect(res.headers.get('location'), url).toBeNull();
      }
      expect(await eventRows(t)).toEqual(before);
      expect(await enrollment(t, 'tamper')).toMatchObject({ nodeId: 'w1', status: 'waiting' });
      const lead = await ok(t, 'GET', '/leads/tamper');
      expect(lead.products.find((p: { productLine: string }) => p.productLine === 'track')?.unsubscribed ?? false).toBe(false);
    });

    it('keeps links valid across restarts: the generated secret is stored in the database', async () => {
      const { t, mail } = await setup('restart');
      const token = new URL(pixelUrl(mail.html)).pathname.split('/').pop()!;
      // A new process has no cached signer; it reads the same secret back.
      const again = await trackingSigner({}, t.rt.db);
      expect(again.verify(token)).toMatchObject({ kind: 'open', leadId: 'restart' });
    });
  });
});
