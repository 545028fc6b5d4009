import { aGraph } from '@nurtureflow/scenario/testing';
import { expect, it } from 'vitest';
import { emailChannel } from '../channels/email.ts';
import { aDsn, postMail } from '../channels/report-testing.ts';
import { drainAll, emailSkips, follow, hrefs } from '../channels/testing.ts';
import { ok } from '../routes/testing.ts';
import { eachRuntime } from '../testing.ts';

eachRuntime('mail of a lead merged away (名寄せ)', (current) => {
  it('moves to the survivor with its bounce record, and a click on a link in it records the event on the survivor', async () => {
    const t = current();
    const channel = emailChannel(t.rt, { baseUrl: 'http://nf.test', smtpUrl: null });
    await ok(t, 'POST', '/product-lines', { id: 'mg', name: 'MG', settings: { scoring: { rules: [{ id: 'click', event: 'link_clicked', points: 10 }] } } });
    await ok(t, 'POST', '/product-lines/mg/templates', { id: 'hi', name: 'hi', subject: 'hi', html: '<p><a href="https://example.jp/case-study">導入事例</a></p>' });
    const graph = aGraph({ productLine: 'mg', scenarioId: 'mg-one', name: 'one' }).trigger('t', { type: 'import' }).email('m1', 'hi').exit('x1').connect('m1', 'skipped', 'x1').input();
    await ok(t, 'POST', '/scenarios', { id: 'mg-one', productLine: 'mg', name: 'one', draft: graph });
    await ok(t, 'POST', '/scenarios/mg-one/publish', { note: 'v1' });

    // B gets a mail; A, known only by phone so far, turns out to be the same person.
    await ok(t, 'POST', '/leads', { id: 'mg-b', email: 'hanako@merge.example.jp' });
    await ok(t, 'POST', '/enrollments', { scenarioId: 'mg-one', leadIds: ['mg-b'] });
    await drainAll(t, [channel]);
    const [listed] = (await ok(t, 'GET', '/mailbox?leadId=mg-b')).items;
    const mail = await ok(t, 'GET', `/mailbox/${encodeURIComponent(listed.key)}`);
    const returnPath = /^<(.+)>$/.exec(mail.headers['Return-Path'])![1]!;
    expect((await postMail(t, aDsn({ to: returnPath, recipient: 'hanako@merge.example.jp', status: '5.2.1', original: '' }))).body).toMatchObject({ outcome: 'hardBounce', leadId: 'mg-b' });
    await ok(t, 'POST', '/leads', { id: 'mg-a', phone: '03-1111-2222', name: '山田 花子' });

    const merged = await ok(t, 'POST', '/leads', { id: 'mg-a', email: 'hanako@merge.example.jp' });
    expect(merged).toMatchObject({ lead: { id: 'mg-a' }, mergedLeadIds: ['mg-b'] });

    for (const table of ['sent_emails', 'mailbox', 'bounced_addresses'] as const) {
      expect(await t.rt.db.selectFrom(table).select('lead_id').where('lead_id', 'in', ['mg-a', 'mg-b']).execute(), table).toEqual([{ lead_id: 'mg-a' }]);
    }
    expect((await ok(t, 'GET', '/mailbox?leadId=mg-a')).items.map((m: { key: string }) => m.key)).toEqual([listed.key]);

    // The link in the mail still names mg-b: the click lands on mg-a.
    const link = hrefs(mail.html).find((h) => h.startsWith('http://nf.test/t/c/'))!;
    const click = await follow(t, link);
    expect(click.status).toBe(302);
    expect(click.headers.get('location')).toBe('https://example.jp/case-study');
    const lead = await ok(t, 'GET', '/leads/mg-a');
    expect(lead.timeline.filter((e: { kind?: string }) => e.kind === 'link_clicked')).toEqual([
      expect.objectContaining({ productLine: 'mg', scenarioId: 'mg-one', nodeId: 'm1', data: { url: 'https://example.jp/case-study', link: 0 } }),
    ]);
    expect(lead.products.find((p: { productLine: string }) => p.productLine === 'mg')).toMatchObject({ score: 10 });
    // And the bounce moved with it: the survivor's address is the one that bounced.
    const second = aGraph({ productLine: 'mg', scenarioId: 'mg-two', name: 'two' }).trigger('t', { type: 'import' }).email('m1', 'hi').exit('x1').connect('m1', 'skipped', 'x1').input();
    await ok(t, 'POST', '/scenarios', { id: 'mg-two', productLine: 'mg', name: 'two', draft: second });
    await ok(t, 'POST', '/scenarios/mg-two/publish', { note: 'v1' });
    await ok(t, 'POST', '/enrollments', { scenarioId: 'mg-two', leadIds: ['mg-a'] });
    await drainAll(t, [channel]);
    const again = await t.rt.db.selectFrom('outbox').select(['status', 'last_error']).where('lead_id', '=', 'mg-a').where('type', '=', 'sendEmail').where('key', '!=', listed.key).execute();
    expect(again).toEqual([]);
    expect(await emailSkips(t, 'mg-a', 'm1')).toEqual([['mg', 'bounced']]);
    channel.close();
  });
});
