import { aGraph } from '@nurtureflow/scenario/testing';
import { expect, it } from 'vitest';
import { handoffChannel } from '../channels/handoff.ts';
import { printJobChannel } from '../channels/print-job.ts';
import { dispatch, loopbackOptions, ok, publish } from '../channels/sales-testing.ts';
import { drain } from '../golden/drive.ts';
import { eachRuntime } from '../testing.ts';

eachRuntime('hand-offs and print jobs of a lead merged away (名寄せ)', (current) => {
  it('move to the survivor: sales see and accept it there, and the DM personal URL records on the survivor', async () => {
    const t = current();
    const graph = aGraph({ productLine: 'ms', scenarioId: 'ms-dm', name: 'DM then sales' })
      .trigger('t', { type: 'import' })
      .directMail('d1', 'coupon', 'https://example.jp/coupon')
      .handoff('h1', { reason: 'DM sent' })
      .exit('x')
      .connect('h1', 'returned', 'x')
      .input();
    await publish(t, graph);
    await ok(t, 'POST', '/leads', { id: 'ms-b', email: 'taro@merge.example.jp', attributes: { postalCode: '100-0001', prefecture: '東京都', city: '千代田区', address1: '1-1' } });
    await ok(t, 'POST', '/enrollments', { scenarioId: 'ms-dm', leadIds: ['ms-b'] });
    await drain(t);
    const channels = [printJobChannel(t.rt, loopbackOptions()), handoffChannel(t.rt, loopbackOptions())];
    expect(await dispatch(t, 'ms', channels)).toBe(2);
    const [job] = (await ok(t, 'GET', '/print-jobs?leadId=ms-b')).items;
    const [handoff] = (await ok(t, 'GET', '/handoffs?leadId=ms-b')).items;
    expect(handoff.record).not.toBeNull();

    // A, known so far by phone, turns out to be the same person.
    await ok(t, 'POST', '/leads', { id: 'ms-a', phone: '03-1234-5678' });
    expect(await ok(t, 'POST', '/leads', { id: 'ms-a', email: 'taro@merge.example.jp' })).toMatchObject({ mergedLeadIds: ['ms-b'] });

    for (const table of ['handoffs', 'print_jobs'] as const) {
      expect(await t.rt.db.selectFrom(table).select(['lead_id', 'key']).where('lead_id', 'in', ['ms-a', 'ms-b']).execute(), table).toEqual([{ lead_id: 'ms-a', key: table === 'handoffs' ? handoff.key : job.key }]);
    }
    const [moved] = (await ok(t, 'GET', '/handoffs?leadId=ms-a')).items;
    expect(moved).toMatchObject({ key: handoff.key, leadId: 'ms-a', record: handoff.record });
    expect((await ok(t, 'GET', '/print-jobs?leadId=ms-a')).items.map((i: { print: { code: string } }) => i.print.code)).toEqual([job.print.code]);
    await ok(t, 'POST', `/handoffs/${encodeURIComponent(handoff.key)}/accept`, { note: '対応します' });

    // The code printed on the DM names the job, which now belongs to the survivor.
    const visit = await t.app.request(`/t/d/${job.print.code}`, { redirect: 'manual' });
    expect(visit.status).toBe(302);
    const lead = await ok(t, 'GET', '/leads/ms-a');
    expect(lead.timeline.filter((e: { kind?: string }) => e.kind === 'dm_url_visited')).toEqual([expect.objectContaining({ productLine: 'ms', nodeId: 'd1' })]);
    for (const c of channels) (c as { close?: () => void }).close?.();
  });
});
