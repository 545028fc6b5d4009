// An analyst opens the KPI dashboard of the demo product line and sees the daily chart drawn, the
// KPI cards, the breakdown, the audit log with the change that made them a member, and downloads
// the CSV.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { keepScreenshot, launchBrowser, pageAs } from './support/browser.ts';
import { startRuntime, type RunningRuntime } from './support/runtime.ts';

const PL = 'crm-cloud';
const ANALYST = { email: 'analyst@example.jp', password: 'analyst-password-0123', displayName: '分析 花子' };

let rt: RunningRuntime;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  rt = await startRuntime();
  // The admin makes an analyst of the demo product line, who then logs in.
  await rt.addMember(PL, ANALYST, 'analyst');
  browser = await launchBrowser();
  page = await pageAs(browser, ANALYST, { width: 1440, height: 1100 });
  page.setDefaultTimeout(15_000);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

it('an analyst sees the daily chart, the KPI cards, the breakdown and the audit log, and gets the CSV', { timeout: 60_000 }, async () => {
  await page.goto(`${rt.url}/product-lines/${PL}/dashboard`);
  const chart = page.getByTestId('kpi-chart');
  await chart.locator('svg').first().waitFor();
  await page.locator('[data-testid="kpi-chart"][data-ready="true"]').waitFor();
  // The legend names the series in Japanese; one bar or line per series is drawn.
  const text = await chart.innerText();
  for (const label of ['送信', '開封', 'クリック', 'ホットリード', 'ゴール', '開封率']) expect(text).toContain(label);
  expect(await chart.locator('svg path').count()).toBeGreaterThan(8);

  // An analyst's links: the product line's screens that read, not its members.
  await expect(page.getByTestId('page-dashboard').getAttribute('aria-current')).resolves.toBe('page');
  await expect(page.getByTestId('page-members').count()).resolves.toBe(0);
  await expect(page.getByTestId('kpi-sends').innerText()).resolves.toContain('送信数');
  await expect(page.getByTestId('kpi-leads').innerText()).resolves.toMatch(/流入リード数\s*\d+/);
  await page.getByTestId('kpi-table-scenario').waitFor();
  await expect(page.getByTestId('kpi-table-scenario').innerText()).resolves.toContain('デモ: 資料請求フォロー');

  // Who made the analyst a member is in the audit log.
  const audit = page.getByTestId('audit-list');
  await audit.getByTestId('audit-entry').first().waitFor();
  await expect(audit.innerText()).resolves.toContain('メンバーを追加');

  // A/B results appear for a chosen scenario.
  await page.getByTestId('dashboard-scenario').selectOption('demo-welcome');
  await page.getByTestId('ab-results').waitFor();
  await keepScreenshot(page, 'dashboard-analyst-ja');

  // The CSV downloads with the session, UTF-8 with a BOM for Excel.
  const href = await page.getByTestId('kpi-csv').getAttribute('href');
  const csv = await page.context().request.get(`${rt.url}${href}`);
  expect(csv.status()).toBe(200);
  const bytes = await csv.body();
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(bytes.subarray(3).toString('utf8').split('\r\n')[0]).toMatch(/^シナリオ,リード数,送信数/);

  // In English too.
  await page.getByTestId('language').selectOption('en');
  await page.waitForFunction(() => document.querySelector('[data-testid="kpi-chart"]')?.textContent?.includes('Click rate'));
  await expect(page.getByTestId('kpi-sends').innerText()).resolves.toContain('Mails sent');
  await keepScreenshot(page, 'dashboard-analyst-en');
});
