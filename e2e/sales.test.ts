// A sales member of a product line (made by the admin through the API) works through it in the
// browser, logged in with their own session: a hot lead's hand-off with why it came
// (the node's reason, how the score was earned, what the lead did), accepted with a note — and the
// runtime shows it accepted and the lead moved on; the hot lead's reasons; a call task completed
// with its outcome; Japanese names, companies and phone numbers as written, in both languages.
import { aGraph } from '@nurtureflow/scenario/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { keepScreenshot, launchBrowser, pageAs } from './support/browser.ts';
import { startRuntime, type ApiCall, type RunningRuntime } from './support/runtime.ts';

let rt: RunningRuntime;
let browser: Browser;
let page: Page;

const PL = 'sales-e2e';
const ADMIN = { email: 'admin@localhost', password: 'e2e-admin-password-0123' };
const SALES = { email: 'eigyo@example.jp', password: 'sales-password-0123', displayName: '営業 太郎' };

/** Polls `read` until `done` holds of what it returns, for up to `ms`. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting; last value: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}


/** Logs in over the API: JSON calls with that session's cookie and CSRF token. */
let admin: ApiCall;
let sales: ApiCall;

type HandoffPage = { total: number; items: { key: string; record: unknown; answer: { outcome: string; note: string | null } | null; lead: { id: string } }[] };

beforeAll(async () => {
  // The child runtime makes its first organisation admin with this password.
  process.env['NURTUREFLOW_ADMIN_PASSWORD'] ??= ADMIN.password;
  ADMIN.password = process.env['NURTUREFLOW_ADMIN_PASSWORD'];
  rt = await startRuntime({ seed: false });
  admin = await rt.as(ADMIN);
  await admin('POST', '/product-lines', {
    id: PL,
    name: 'セールスE2E',
    settings: {
      scoring: {
        rules: [
          { id: 'wp', event: 'whitepaper_downloaded', points: 30 },
          { id: 'seminar', event: 'seminar_attended', points: 40 },
        ],
        hotThreshold: 60,
      },
    },
  });
  const toSales = aGraph({ productLine: PL, scenarioId: 'hot-to-sales', name: 'ホットリードを営業へ' })
    .trigger('t', { type: 'event', event: 'lead_became_hot' })
    .handoff('h1', { reason: '資料DLとセミナー参加でホット化' })
    .goal('g1', 'meeting')
    .from('h1', 'returned')
    .exit('x')
    .input();
  const calls = aGraph({ productLine: PL, scenarioId: 'call-list', name: '架電リスト' })
    .trigger('t')
    .callTask('c1', { script: '資料の感想と導入時期を確認', maxAttempts: 2 })
    .goal('g2', 'talked')
    .from('c1', 'appointment')
    .goal('g3', 'appointment')
    .from('c1', 'noAnswer')
    .exit('x2')
    .input();
  for (const g of [toSales, calls]) {
    await admin('POST', '/scenarios', { id: g.scenarioId, productLine: PL, name: g.name, draft: g });
    await admin('POST', `/scenarios/${g.scenarioId}/publish`, { note: 'e2e' });
  }
  // 坂本さん downloads a whitepaper, then attends a seminar: 30 + 40 = 70 crosses 60 and she goes to sales.
  await admin('POST', '/leads', { id: 'sakamoto', email: 'sakamoto@sakura.example.jp', name: '坂本 美咲', company: '株式会社サクラ精機', phone: '03-1234-5678' });
  const now = Date.now();
  await admin('POST', '/events/batch', {
    events: [
      { id: 'wp-1', kind: 'whitepaper_downloaded', leadId: 'sakamoto', productLine: PL, at: new Date(now - 86_400_000).toISOString() },
      { id: 'sem-1', kind: 'seminar_attended', leadId: 'sakamoto', productLine: PL, at: new Date(now - 60_000).toISOString() },
    ],
  });
  // 高橋さん is on inside sales' call list.
  await admin('POST', '/leads', { id: 'takahashi', email: 'takahashi@aoba.example.jp', name: '高橋 由美', company: '(株)アオバ商事', phone: '052-345-6789' });
  await admin('POST', '/enrollments', { scenarioId: 'call-list', leadIds: ['takahashi'] });
  // The worker hands her off and the dispatcher writes the record (nobody to notify: it waits in the list).
  await until(() => admin<HandoffPage>('GET', `/product-lines/${PL}/handoffs`), (p) => p.total === 1 && p.items[0]!.record !== null);
  await until(() => admin<{ items: unknown[] }>('GET', `/product-lines/${PL}/call-tasks`), (r) => r.items.length === 1);

  // A sales member of the product line, made by the admin; the browser works as them.
  await rt.addMember(PL, SALES, 'sales');
  sales = await rt.as(SALES);
  browser = await launchBrowser();
  page = await pageAs(browser, SALES, { width: 1400, height: 1000 });
  page.setDefaultTimeout(10_000);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

it('shows the open hand-off with why the lead came, in Japanese, with the name, company and phone as written', { timeout: 40_000 }, async () => {
  // A sales member opens the editor on their product line's sales view, with no links to screens their role does not open.
  await page.goto(`${rt.url}/`);
  await page.waitForURL(`${rt.url}/product-lines/${PL}/sales`);
  const card = page.getByTestId('handoff-sakamoto');
  await card.waitFor();
  await expect(card.getByTestId('lead-name').innerText()).resolves.toBe('坂本 美咲 様');
  await expect(card.getByTestId('lead-company').innerText()).resolves.toBe('株式会社サクラ精機');
  await expect(card.getByTestId('lead-phone').innerText()).resolves.toBe('03-1234-5678');
  await expect(card.getByTestId('lead-phone').getAttribute('href')).resolves.toBe('tel:0312345678');
  await expect(card.getByTestId('handoff-reason').innerText()).resolves.toContain('資料DLとセミナー参加でホット化');
  await expect(card.getByTestId('handoff-node').innerText()).resolves.toBe('シナリオ hot-to-sales のノード h1');
  const history = await card.getByTestId('score-history').innerText();
  expect(history).toContain('資料ダウンロード');
  expect(history).toContain('セミナー参加');
  expect(history).toMatch(/\+40\s+70/);
  await expect(card.getByTestId('recent-events').innerText()).resolves.toContain('ホットリード化');
  await expect.poll(() => page.getByTestId('tab-handoffs').innerText()).toBe('引き継ぎ (1)');
  await expect(page.locator('.product-line-pages a').allInnerTexts()).resolves.toEqual(['営業ビュー']);
  await keepScreenshot(page, 'sales-handoff-ja');
});

it('sales accept the hand-off with a note; the runtime shows it accepted and the lead reaches the goal', { timeout: 40_000 }, async () => {
  const card = page.getByTestId('handoff-sakamoto');
  await card.getByTestId('handoff-note').fill('来週訪問します');
  await card.getByTestId('accept').click();
  await page.getByText('対応待ちの引き継ぎはありません。').waitFor();
  await expect.poll(() => page.getByTestId('tab-handoffs').innerText()).toBe('引き継ぎ (0)');

  const answered = await sales<HandoffPage>('GET', `/product-lines/${PL}/handoffs?state=answered`);
  expect(answered.items.map((h) => [h.lead.id, h.answer?.outcome, h.answer?.note])).toEqual([['sakamoto', 'accepted', '来週訪問します']]);
  const one = await sales<{ status: string }>('GET', `/handoffs/${encodeURIComponent(answered.items[0]!.key)}`);
  expect(one.status).toBe('done');
  const enrollment = await until(
    () => admin<{ items: { status: string; nodeId: string }[] }>('GET', '/enrollments?leadId=sakamoto&scenarioId=hot-to-sales'),
    (r) => r.items[0]?.status === 'completed',
  );
  expect(enrollment.items[0]!.nodeId).toBe('g1');

  await page.getByTestId('handoffs-answered').click();
  await expect(page.getByTestId('handoff-sakamoto').getByTestId('handoff-answer').innerText()).resolves.toMatch(/受け入れ済み — 来週訪問します$/);
  await keepScreenshot(page, 'sales-handoff-accepted');
});

it('lists the hot lead with the reasons it is hot', { timeout: 30_000 }, async () => {
  await page.getByTestId('tab-hot').click();
  const row = page.getByTestId('hot-lead-sakamoto');
  await row.waitFor();
  await expect(row.getByTestId('hot-score').innerText()).resolves.toBe('70');
  await row.getByTestId('why').click();
  await expect(page.getByTestId('hot-leads').getByTestId('score-history').innerText()).resolves.toContain('セミナー参加');
  await expect.poll(() => page.getByTestId('tab-hot').innerText()).toBe('ホットリード (1)');
});

it('inside sales complete a call with its outcome, and the queue empties', { timeout: 30_000 }, async () => {
  await page.getByTestId('tab-calls').click();
  const card = page.getByTestId('call-takahashi');
  await card.waitFor();
  await expect(card.getByTestId('lead-name').innerText()).resolves.toBe('高橋 由美 様');
  await expect(card.getByTestId('lead-company').innerText()).resolves.toBe('(株)アオバ商事');
  await expect(card.innerText()).resolves.toContain('資料の感想と導入時期を確認');
  await expect(card.innerText()).resolves.toContain('2回中 1回目');
  await card.getByTestId('outcome-connected').click();
  await page.getByText('架電タスクはありません。').waitFor();
  const done = await sales<{ items: { status: string; lead: { id: string } }[] }>('GET', `/product-lines/${PL}/call-tasks?state=done`);
  expect(done.items.map((c) => [c.lead.id, c.status])).toEqual([['takahashi', 'done']]);
  const enrollment = await until(
    () => admin<{ items: { status: string; nodeId: string }[] }>('GET', '/enrollments?leadId=takahashi&scenarioId=call-list'),
    (r) => r.items[0]?.status === 'completed',
  );
  expect(enrollment.items[0]!.nodeId).toBe('g2');
});

it('reads in English too: no honorific, English labels', { timeout: 30_000 }, async () => {
  await page.getByTestId('language').selectOption('en');
  await page.getByTestId('tab-handoffs').click();
  await page.getByTestId('handoffs-answered').click();
  const card = page.getByTestId('handoff-sakamoto');
  await expect(card.getByTestId('lead-name').innerText()).resolves.toBe('坂本 美咲');
  await expect(card.getByTestId('handoff-answer').innerText()).resolves.toMatch(/^Accepted /);
  await expect.poll(() => page.getByTestId('tab-hot').innerText()).toBe('Hot leads (1)');
  await keepScreenshot(page, 'sales-en');
  await page.getByTestId('language').selectOption('ja');
});
