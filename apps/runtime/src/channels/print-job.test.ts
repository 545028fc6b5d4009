import { dormantCoupon } from '@nurtureflow/engine/golden';
import { parse } from 'csv-parse/sync';
import { expect, it } from 'vitest';
import { drain, driveFixture } from '../golden/drive.ts';
import { writtenRows } from '../routes/testing.ts';
import { eachRuntime, type TestRuntime } from '../testing.ts';
import { printJobChannel } from './print-job.ts';
import { dispatch, loopbackOptions, ok } from './sales-testing.ts';

const [expectedL1] = dormantCoupon.expect;
/** The fixture up to its first sweep: the dormant customers L1 and L2 get a coupon DM. */
const firstSweep = { ...dormantCoupon, timeline: dormantCoupon.timeline.slice(0, 1), until: '2026-04-06T10:00:00+09:00' };
const visitAt = '2026-04-10T20:00:00+09:00';

async function get(t: TestRuntime, path: string): Promise<Response> {
  return t.app.request(path, { redirect: 'manual' });
}

async function pathOf(t: TestRuntime, leadId: string): Promise<{ path: string[]; status: string; nodeId: string }> {
  const { items } = await ok(t, 'GET', `/enrollments?leadId=${leadId}&scenarioId=dormant-dm`);
  const e = await ok(t, 'GET', `/enrollments/${items[0].id}`);
  return { path: [e.history[0].nodeId, ...e.history.filter((h: { to: string | null }) => h.to !== null).map((h: { to: string }) => h.to)], status: e.status, nodeId: e.nodeId };
}

eachRuntime('direct mail print jobs (golden dormant-coupon)', (current) => {
  it('readies each coupon DM with a personal tracking URL and QR code, and exports the print shop CSV with a BOM', async () => {
    const t = current();
    await driveFixture(t, firstSweep);
    await ok(t, 'PATCH', '/leads/L1', { attributes: { postalCode: '150-0002', prefecture: '東京都', city: '渋谷区渋谷', address1: '2-21-1', address2: 'ヒカリエ 8F', department: '総務部' } });
    await ok(t, 'PATCH', '/leads/L2', { attributes: { 郵便番号: '530-0001', 都道府県: '大阪府', 市区町村: '大阪市北区梅田', 住所: '=1+2', fax: '06-0000-1111' } });
    expect((await ok(t, 'GET', '/print-jobs?productLine=crm-cloud')).items.map((i: { status: string; print: unknown }) => [i.status, i.print])).toEqual([
      ['pending', null],
      ['pending', null],
    ]);

    expect(await dispatch(t, 'crm-cloud', [printJobChannel(t.rt, loopbackOptions())])).toBe(2);

    const { items } = await ok(t, 'GET', '/print-jobs?productLine=crm-cloud&status=sent');
    expect(items.map((i: { leadId: string }) => i.leadId).sort()).toEqual(['L1', 'L2']);
    const l1 = items.find((i: { leadId: string }) => i.leadId === 'L1');
    expect(l1).toMatchObject({
      status: 'sent',
      effect: { type: 'printJob', nodeId: 'd1', medium: 'mail', template: 'coupon-spring', landingUrl: 'https://example.com/coupon' },
      recipient: { name: '伊藤 恵子', company: '株式会社デルタ', postalCode: '150-0002', prefecture: '東京都', city: '渋谷区渋谷', address1: '2-21-1', address2: 'ヒカリエ 8F', department: '総務部' },
      print: { trackingUrl: expect.stringMatching(/^https:\/\/nf\.example\.jp\/t\/d\/[a-z2-9]{16}$/), batchDay: '2026-04-06', visits: 0 },
    });
    expect(l1.print.trackingUrl).toBe(`https://nf.example.jp/t/d/${l1.print.code}`);
    expect(Buffer.from(l1.print.qrSvgDataUrl.replace(/^data:image\/svg\+xml;base64,/, ''), 'base64').toString()).toMatch(/^<svg /);
    expect((await ok(t, 'GET', '/print-jobs?productLine=crm-cloud&day=2026-04-07')).items).toEqual([]);

    const res = await t.app.request('/api/v1/print-jobs/export.csv?productLine=crm-cloud&day=2026-04-06');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows: Record<string, string>[] = parse(bytes, { bom: true, columns: true });
    const byLead = Object.fromEntries(rows.map((r) => [r['lead_id'], r]));
    expect(byLead['L1']).toMatchObject({ name: '伊藤 恵子', company: '株式会社デルタ', postal_code: '150-0002', address2: 'ヒカリエ 8F', tracking_url: l1.print.trackingUrl, qr_url: `${l1.print.trackingUrl}/qr.svg`, batch_day: '2026-04-06' });
    // From the Japanese column names of an Excel import; a formula from a web form is escaped.
    expect(byLead['L2']).toMatchObject({ name: '渡辺 誠', postal_code: '530-0001', prefecture: '大阪府', address1: "'=1+2", fax: '06-0000-1111' });

    const qr = await get(t, `/t/d/${l1.print.code}/qr.svg`);
    expect(qr.status).toBe(200);
    expect(qr.headers.get('content-type')).toBe('image/svg+xml');
  });

  it('a visit to the personal URL records dm_url_visited for the job and moves the lead on, as the golden fixture expects', async () => {
    const t = current();
    const { items } = await ok(t, 'GET', '/print-jobs?productLine=crm-cloud&leadId=L1');
    const code = items[0].print.code;
    t.clock.set(visitAt);
    // A link checker's HEAD only sees the redirect: no visit, no event.
    const head = await t.app.request(`/t/d/${code}`, { method: 'HEAD', redirect: 'manual' });
    expect(head.status).toBe(302);
    expect((await ok(t, 'GET', '/print-jobs?leadId=L1')).items[0].print.visits).toBe(0);

    const res = await get(t, `/t/d/${code}`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://example.com/coupon');
    await drain(t);

    const { path, status, nodeId } = await pathOf(t, 'L1');
    expect({ path, status, nodeId }).toEqual({ path: expectedL1!.runs[0]!.path, status: 'completed', nodeId: 'g1' });
    const lead = await ok(t, 'GET', '/leads/L1');
    expect(lead.tags).toContain('reactivated');
    expect(lead.products).toMatchObject([{ productLine: 'crm-cloud', stage: 'existing' }]);
    const events = lead.timeline.filter((e: { type: string; kind?: string }) => e.type === 'event' && e.kind === 'dm_url_visited');
    expect(events).toMatchObject([{ productLine: 'crm-cloud', scenarioId: 'dormant-dm', nodeId: 'd1', at: new Date(visitAt).toISOString() }]);

    // A second visit still lands but is not a second response.
    expect((await get(t, `/t/d/${code}`)).status).toBe(302);
    const again = await ok(t, 'GET', '/leads/L1');
    expect(again.timeline.filter((e: { kind?: string }) => e.kind === 'dm_url_visited')).toHaveLength(1);
    expect((await ok(t, 'GET', '/print-jobs?leadId=L1')).items[0].print).toMatchObject({ visits: 2, firstVisitAt: new Date(visitAt).toISOString() });
    // L2, who did not visit, still waits.
    expect(await pathOf(t, 'L2')).toMatchObject({ status: 'waiting', nodeId: 'w1' });
  });

  it('an unknown or malformed code is a 404 that records nothing', async () => {
    const t = current();
    const before = await writtenRows(t.rt.db);
    for (const path of ['/t/d/abcdefghjkmnpqrs', '/t/d/short', '/t/d/ABCDEFGHJKMNPQRS', '/t/d/abcdefghjkmnpqrs/qr.svg']) {
      const res = await get(t, path);
      expect(res.status, path).toBe(404);
    }
    expect(await writtenRows(t.rt.db)).toEqual(before);
  });
});
