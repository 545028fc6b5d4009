// KPIs counted from a scripted scenario equal the numbers worked out by hand, on both databases:
// six leads through an A/B split, mails, opens, clicks, a bounce, an unsubscribe, hot leads, hand-offs
// accepted and returned, and goals.
import { splitBucket } from '@nurtureflow/engine';
import { aGraph, dur } from '@nurtureflow/scenario/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailChannel, type EmailChannel } from '../channels/email.ts';
import { drainAll, follow, hrefs, pixelUrl, startTestSmtp, type TestSmtp } from '../channels/testing.ts';
import { ok } from '../routes/testing.ts';
import { eachRuntime, type TestRuntime } from '../testing.ts';

const PL = 'kp';
const INBOUND_SECRET = 'kpi-inbound-secret-0123456789';

/** Split A/B → a mail each → wait up to 3 days for a click → hand-off → accepted: goal; returned or no click: exit. */
const graph = aGraph({ productLine: PL, scenarioId: 'kp-flow', name: 'KPI の流れ' })
  .trigger('t', { type: 'import' })
  .split('s', [
    { id: 'A', weight: 1 },
    { id: 'B', weight: 1 },
  ])
  .email('mA', 'a')
  .waitForEvent('w', 'link_clicked', dur(3, 'days'))
  .handoff('h', { reason: 'クリックした' })
  .goal('g', 'deal')
  .from('h', 'returned')
  .exit('x1')
  .from('w', 'timeout')
  .exit('x2')
  .from('s', 'B')
  .email('mB', 'b')
  .connect('mB', 'sent', 'w')
  .input();

// The split is a stable hash of (lead, scenario, node): these ids fall in A and B (checked below).
const A = ['kp-1', 'kp-2', 'kp-3'] as const;
const B = ['kp-4', 'kp-8', 'kp-9'] as const;
const [a1, a2, a3] = A;
const [b1, b2, b3] = B;

const HTML = '<p>{{ lead.name }} 様</p><p><a href="https://example.jp/case">導入事例</a></p>';
const DAY = 86_400_000;

describe('the leads are where the script says', () => {
  it('A and B by the split bucket', () => {
    for (const id of A) expect(splitBucket(id, 'kp-flow', 's')).toBeLessThan(0.5);
    for (const id of B) expect(splitBucket(id, 'kp-flow', 's')).toBeGreaterThanOrEqual(0.5);
  });
});

eachRuntime('KPIs of a scripted scenario', (current) => {
  let smtp: TestSmtp;
  let channel: EmailChannel | undefined;
  let scripted: Promise<void> | undefined;
  beforeAll(async () => {
    smtp = await startTestSmtp();
  });
  afterAll(async () => {
    channel?.close();
    await smtp.stop();
  });

  const mailTo = (lead: string) => {
    const m = smtp.received.find((r) => r.envelopeTo.includes(`${lead}@example.jp`));
    if (!m) throw new Error(`no mail for ${lead}`);
    return m;
  };
  const click = (t: TestRuntime, lead: string) => follow(t, hrefs(mailTo(lead).html).find((h) => h.includes('/t/c/'))!);
  const open = (t: TestRuntime, lead: string) => follow(t, pixelUrl(mailTo(lead).html));
  const answer = async (t: TestRuntime, lead: string, how: 'accept' | 'return') => {
    const { items } = await ok(t, 'GET', `/handoffs?leadId=${lead}&scenarioId=kp-flow`);
    expect(items, `hand-off of ${lead}`).toHaveLength(1);
    await ok(t, 'POST', `/handoffs/${encodeURIComponent(items[0].key)}/${how}`, {});
  };

  /**
   * The script (times UTC; the product line counts days in Asia/Tokyo, 9 hours ahead):
   * 04-06 00:00 all six enrol and are mailed. A2 opens and clicks (01:00), B3 clicks (02:00): both
   * hot (10 + 40 points) and handed off. A3's mail bounces (03:00).
   * 04-07 01:00 B1 clicks twice (hot, handed off), B2 opens and unsubscribes; sales return B1 (05:00).
   * 04-08 01:00 sales accept A2 and B3: goal. A1 never reacts and leaves at the timeout (04-09).
   */
  const script = async (t: TestRuntime) => {
    channel = emailChannel(t.rt, { baseUrl: 'http://nf.test', smtpUrl: smtp.url });
    const scoring = { rules: [{ id: 'open', event: 'email_opened', points: 10 }, { id: 'click', event: 'link_clicked', points: 40 }], hotThreshold: 50 };
    await ok(t, 'POST', '/product-lines', { id: PL, name: 'KPI 商材', settings: { scoring, inboundSecret: INBOUND_SECRET } });
    for (const id of ['a', 'b']) await ok(t, 'POST', `/product-lines/${PL}/templates`, { id, name: id, subject: `件名 ${id}`, html: HTML });
    await ok(t, 'POST', '/scenarios', { id: 'kp-flow', productLine: PL, name: graph.name, draft: graph });
    await ok(t, 'POST', '/scenarios/kp-flow/publish', { note: 'v1' });
    for (const id of [...A, ...B]) await ok(t, 'POST', '/leads', { id, email: `${id}@example.jp`, name: `リード ${id}` });
    await ok(t, 'POST', '/enrollments', { scenarioId: 'kp-flow', leadIds: [...A, ...B] });
    const run = () => drainAll(t, [channel!]);
    await run();
    expect(smtp.received.filter((m) => m.subject.startsWith('件名'))).toHaveLength(6);

    t.clock.set(Date.parse('2026-04-06T01:00:00Z'));
    await open(t, a2);
    await click(t, a2);
    t.clock.set(Date.parse('2026-04-06T02:00:00Z'));
    await click(t, b3);
    await run();
    t.clock.set(Date.parse('2026-04-06T03:00:00Z'));
    const bounced = await t.rt.db.selectFrom('sent_emails').select('key').where('lead_id', '=', a3).executeTakeFirstOrThrow();
    const res = await t.call('POST', '/inbound/bounces', { type: 'hard', outboxKey: bounced.key, reason: '550 5.1.1 user unknown', id: 'kp-bounce' }, { authorization: `Bearer ${INBOUND_SECRET}` });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await run();

    t.clock.set(Date.parse('2026-04-07T01:00:00Z'));
    await click(t, b1);
    await click(t, b1);
    await open(t, b2);
    const unsubscribe = /<(https?:\/\/[^>]+\/u\/[^>]+)>/.exec(mailTo(b2).listUnsubscribe)![1]!;
    expect((await follow(t, unsubscribe, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' })).status).toBe(200);
    await run();
    t.clock.set(Date.parse('2026-04-07T05:00:00Z'));
    await answer(t, b1, 'return');
    await run();

    t.clock.set(Date.parse('2026-04-08T01:00:00Z'));
    await answer(t, a2, 'accept');
    await answer(t, b3, 'accept');
    await run();
    t.clock.set(Date.parse('2026-04-10T00:00:00Z'));
    await run();

    // The script did what it says: where each lead ended.
    const { items } = await ok(t, 'GET', '/enrollments?scenarioId=kp-flow');
    const at = Object.fromEntries(items.map((e: { leadId: string; nodeId: string }) => [e.leadId, e.nodeId]));
    expect(at).toEqual({ [a1]: 'x2', [a2]: 'g', [a3]: 'x2', [b1]: 'x1', [b2]: 'x2', [b3]: 'g' });
  };
  const ready = () => (scripted ??= script(current()));
  // The script drives a worker, a dispatcher and an SMTP server through five days: give it time on a busy machine.
  beforeAll(() => ready(), 180_000);
  const kpis = async (query: string) => {
    await ready();
    return ok(current(), 'GET', `/product-lines/${PL}/kpis?from=2026-04-06&to=2026-04-10&${query}`);
  };

  const zero = { leads: 0, sends: 0, deliveries: 0, bounces: 0, opens: 0, clicks: 0, totalClicks: 0, unsubscribes: 0, hotLeads: 0, handoffs: 0, handoffsAccepted: 0, handoffsReturned: 0, goals: 0, openRate: null, clickRate: null };
  // Worked out by hand from the script. Mails: 6 sent, A3's bounced → 5 delivered; opened by A2, B1,
  // B2, B3 (a click is an open) → 4/5; clicked by A2, B1, B3 → 3/5, B1 twice → 4 clicks in all.
  const totals = {
    ...zero,
    leads: 6, sends: 6, deliveries: 5, bounces: 1, opens: 4, openRate: 0.8, clicks: 3, clickRate: 0.6, totalClicks: 4,
    unsubscribes: 1, hotLeads: 3, handoffs: 3, handoffsAccepted: 2, handoffsReturned: 1, goals: 2,
  };

  it('totals and days: mail figures on the day the mail was sent, the rest on the day it happened (Asia/Tokyo)', async () => {
    const r = await kpis('groupBy=day');
    expect(r).toMatchObject({ productLine: PL, timezone: 'Asia/Tokyo', from: '2026-04-06', to: '2026-04-10', groupBy: 'day' });
    expect(r.totals).toEqual(totals);
    expect(r.rows).toEqual([
      { day: '2026-04-06', ...zero, leads: 6, sends: 6, deliveries: 5, bounces: 1, opens: 4, openRate: 0.8, clicks: 3, clickRate: 0.6, totalClicks: 4, hotLeads: 2, handoffs: 2 },
      { day: '2026-04-07', ...zero, unsubscribes: 1, hotLeads: 1, handoffs: 1, handoffsReturned: 1 },
      { day: '2026-04-08', ...zero, handoffsAccepted: 2, goals: 2 },
      { day: '2026-04-09', ...zero },
      { day: '2026-04-10', ...zero },
    ]);
  });

  it('per split variant: the figures of the leads that took each', async () => {
    const r = await kpis('groupBy=variant&scenarioId=kp-flow');
    expect(r.rows).toEqual([
      { scenarioId: 'kp-flow', splitNodeId: 's', variant: 'A', ...zero, leads: 3, sends: 3, deliveries: 2, bounces: 1, opens: 1, openRate: 0.5, clicks: 1, clickRate: 0.5, totalClicks: 1, hotLeads: 1, handoffs: 1, handoffsAccepted: 1, goals: 1 },
      { scenarioId: 'kp-flow', splitNodeId: 's', variant: 'B', ...zero, leads: 3, sends: 3, deliveries: 3, opens: 3, openRate: 1, clicks: 2, clickRate: 2 / 3, totalClicks: 3, unsubscribes: 1, hotLeads: 2, handoffs: 2, handoffsAccepted: 1, handoffsReturned: 1, goals: 1 },
    ]);
    expect(r.totals).toEqual(totals);
  });

  it('per node: mails at their mail node, hot leads at the mail that made them hot, hand-offs and goals at theirs', async () => {
    const r = await kpis('groupBy=node');
    expect(r.rows).toEqual([
      { scenarioId: 'kp-flow', nodeId: 'g', ...zero, goals: 2 },
      { scenarioId: 'kp-flow', nodeId: 'h', ...zero, handoffs: 3, handoffsAccepted: 2, handoffsReturned: 1 },
      { scenarioId: 'kp-flow', nodeId: 'mA', ...zero, sends: 3, deliveries: 2, bounces: 1, opens: 1, openRate: 0.5, clicks: 1, clickRate: 0.5, totalClicks: 1, hotLeads: 1 },
      { scenarioId: 'kp-flow', nodeId: 'mB', ...zero, sends: 3, deliveries: 3, opens: 3, openRate: 1, clicks: 2, clickRate: 2 / 3, totalClicks: 3, unsubscribes: 1, hotLeads: 2 },
      { scenarioId: 'kp-flow', nodeId: null, ...zero, leads: 6 },
    ]);
  });

  it('per scenario and per version: everything here is version 1 of the one scenario', async () => {
    expect((await kpis('groupBy=scenario')).rows).toEqual([{ scenarioId: 'kp-flow', ...totals }]);
    const byVersion = await kpis('groupBy=version&scenarioId=kp-flow&version=1');
    expect(byVersion.rows).toEqual([{ scenarioId: 'kp-flow', version: 1, ...totals }]);
    expect((await kpis('scenarioId=kp-flow&version=2')).totals).toEqual(zero);
  });

  it('a range counts only its days', async () => {
    const r = await ok(current(), 'GET', `/product-lines/${PL}/kpis?from=2026-04-07&to=2026-04-08`);
    expect(r.totals).toEqual({ ...zero, unsubscribes: 1, hotLeads: 1, handoffs: 1, handoffsReturned: 1, handoffsAccepted: 2, goals: 2 });
  });

  it('CSV for Excel: a BOM, CRLF, the same figures and the totals last', async () => {
    await ready();
    const res = await current().app.request(`/api/v1/product-lines/${PL}/kpis.csv?from=2026-04-06&to=2026-04-08&lang=ja`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="kpis-kp-day-2026-04-06-2026-04-08.csv"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).split('\r\n');
    expect(lines[0]).toBe('日付,リード数,送信数,配信数,バウンス数,開封数,開封率,クリック数,クリック率,総クリック数,配信停止数,ホットリード数,営業引き継ぎ数,引き継ぎ受諾数,引き継ぎ差し戻し数,ゴール到達数');
    expect(lines[1]).toBe('2026-04-06,6,6,5,1,4,0.8,3,0.6,4,0,2,2,0,0,0');
    expect(lines[2]).toBe('2026-04-07,0,0,0,0,0,,0,,0,1,1,1,0,1,0');
    expect(lines[4]).toBe('合計,6,6,5,1,4,0.8,3,0.6,4,1,3,3,2,1,2');
  });

  it('A/B results: per variant leads, conversions, rate, difference and the z-test', async () => {
    await ready();
    const t = current();
    const clicks = await ok(t, 'GET', '/scenarios/kp-flow/splits?metric=click');
    expect(clicks).toMatchObject({ scenarioId: 'kp-flow', productLine: PL, metric: 'click', level: 0.95 });
    const [s] = clicks.splits;
    expect(s).toMatchObject({ nodeId: 's', control: 'A', winner: null });
    expect(s.variants[0]).toEqual({ variant: 'A', label: '', holdout: false, share: 0.5, control: true, leads: 3, conversions: 1, rate: 1 / 3, difference: null, z: null, pValue: null, confidence: null, verdict: null });
    // 1/3 against 2/3: pooled 1/2, z = (1/3) / sqrt(1/4 · 2/3) = 0.8165, p = 0.4142 (Python's math.erfc).
    expect(s.variants[1]).toMatchObject({ variant: 'B', control: false, leads: 3, conversions: 2, verdict: { kind: 'tooFewLeads', level: 0.95 } });
    expect(s.variants[1].rate).toBeCloseTo(2 / 3, 12);
    expect(s.variants[1].difference).toBeCloseTo(1 / 3, 12);
    expect(s.variants[1].z).toBeCloseTo(0.816496581, 8);
    expect(s.variants[1].pValue).toBeCloseTo(0.4142161782, 6);

    const byMetric = async (metric: string) => (await ok(t, 'GET', `/scenarios/kp-flow/splits?metric=${metric}`)).splits[0].variants.map((v: { conversions: number }) => v.conversions);
    expect(await byMetric('open')).toEqual([1, 3]);
    expect(await byMetric('goal')).toEqual([1, 1]);
    expect(await byMetric('hot')).toEqual([1, 2]);
    const withB = await ok(t, 'GET', '/scenarios/kp-flow/splits?metric=open&control=B');
    expect(withB.splits[0].control).toBe('B');
    expect(withB.splits[0].variants[0].difference).toBeCloseTo(1 / 3 - 1, 12);
  });

  it('refuses a bad range, a version without its scenario and another product line’s scenario, naming the field', async () => {
    await ready();
    const t = current();
    const bad = async (query: string, status: number, field: string) => {
      const res = await t.call('GET', `/product-lines/${PL}/kpis?${query}`);
      expect(res.status, `${query} → ${JSON.stringify(res.body)}`).toBe(status);
      expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain(field);
    };
    await bad('from=2026-04-10&to=2026-04-06', 400, 'query.from');
    await bad('from=2026-04-31', 400, 'query.from');
    await bad('from=2025-01-01&to=2026-04-06', 400, 'query.to');
    await bad('groupBy=week', 400, 'query.groupBy');
    await bad('version=1', 400, 'query.version');
    await bad('scenarioId=nope', 404, 'query.scenarioId');
    expect((await t.call('GET', '/product-lines/nope/kpis')).status).toBe(404);
    expect((await t.call('GET', '/scenarios/kp-flow/splits?metric=revenue')).status).toBe(400);
    expect((await t.call('GET', '/scenarios/nope/splits')).status).toBe(404);
  });
});
