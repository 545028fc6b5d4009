import { aGraph } from '@nurtureflow/scenario/testing';
import { expect, it } from 'vitest';
import { emailChannel } from '../channels/email.ts';
import { drainAll } from '../channels/testing.ts';
import { ok } from '../routes/testing.ts';
import { eachRuntime } from '../testing.ts';
import { trackingSigner } from './tokens.ts';

eachRuntime('tracking hits committed in groups', (current) => {
  it('answers every one of many hits arriving at once, each as its own message and link say, and stores each event once', async () => {
    const t = current();
    await ok(t, 'POST', '/product-lines', { id: 'burst', name: 'Burst', settings: { scoring: { rules: [{ id: 'c', event: 'link_clicked', points: 1 }] } } });
    await ok(t, 'POST', '/product-lines/burst/templates', { id: 'two-links', name: 'two links', subject: 'hi', html: '<p><a href="https://example.com/a">a</a> <a href="https://example.com/b">b</a></p>' });
    const graph = aGraph({ productLine: 'burst', scenarioId: 'burst-flow', name: 'burst' }).trigger('t', { type: 'import' }).email('m1', 'two-links').exit('x').connect('m1', 'skipped', 'x').input();
    await ok(t, 'POST', '/scenarios', { id: 'burst-flow', productLine: 'burst', name: 'burst', draft: graph });
    await ok(t, 'POST', '/scenarios/burst-flow/publish', { note: 'v1' });
    const leads = Array.from({ length: 20 }, (_, i) => `burst-${i}`);
    for (const id of leads) await ok(t, 'POST', '/leads', { id, email: `${id}@example.jp` });
    await ok(t, 'POST', '/enrollments', { scenarioId: 'burst-flow', leadIds: leads });
    await drainAll(t, [emailChannel(t.rt, { baseUrl: 'http://nf.test', smtpUrl: null })]);
    const sent = await t.rt.db.selectFrom('sent_emails').select(['lead_id', 'key']).where('product_line', '=', 'burst').execute();
    expect(sent).toHaveLength(20);

    const signer = await trackingSigner(t.rt.db, t.rt.db);
    const hits: { path: string; want: number; location?: string }[] = [];
    for (const m of sent) {
      for (let i = 0; i < 3; i++) hits.push({ path: `/t/o/${signer.sign({ kind: 'open', leadId: m.lead_id, key: m.key })}`, want: 200 });
      hits.push({ path: `/t/c/${signer.sign({ kind: 'click', leadId: m.lead_id, key: m.key, index: 0 })}`, want: 302, location: 'https://example.com/a' });
      hits.push({ path: `/t/c/${signer.sign({ kind: 'click', leadId: m.lead_id, key: m.key, index: 1 })}`, want: 302, location: 'https://example.com/b' });
      // A link the message did not have, and a message that was never sent to this lead.
      hits.push({ path: `/t/c/${signer.sign({ kind: 'click', leadId: m.lead_id, key: m.key, index: 2 })}`, want: 404 });
      hits.push({ path: `/t/o/${signer.sign({ kind: 'open', leadId: m.lead_id, key: `${m.key}:never-sent` })}`, want: 404 });
    }
    // Shuffled by a fixed permutation, all in flight together: the groups they fall into split them anywhere.
    const order = hits.map((_, i) => (i * 37) % hits.length);
    expect(new Set(order).size).toBe(hits.length);
    const answers = await Promise.all(order.map((i) => t.app.request(hits[i]!.path)));
    answers.forEach((res, k) => {
      const hit = hits[order[k]!]!;
      expect(res.status, hit.path).toBe(hit.want);
      if (hit.location) expect(res.headers.get('location')).toBe(hit.location);
    });

    const events = await t.rt.db.selectFrom('events').select(['kind', 'effect_key']).where('product_line', '=', 'burst').execute();
    const count = (kind: string) => events.filter((e) => e.kind === kind).length;
    // Three loads of each pixel within the window are one open; a click also shows the mail was opened.
    expect(count('email_opened')).toBe(20);
    expect(count('link_clicked')).toBe(40);
    expect(new Set(events.map((e) => e.effect_key))).toEqual(new Set(sent.map((m) => m.key)));
    const standings = await t.rt.db.selectFrom('lead_products').select('score').where('product_line', '=', 'burst').execute();
    expect(standings.map((s) => s.score)).toEqual(Array(20).fill(2));
  });
});
