// Finding one's way: the product line's scenarios with their status and leads, duplicate and
// archive; Japanese by default and English on request, remembered across visits (labels, node
// essentials, outputs and the format's validation messages all follow the switch); live counts.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { keepScreenshot, launchBrowser } from './support/browser.ts';
import { startRuntime, type RunningRuntime } from './support/runtime.ts';

let rt: RunningRuntime;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  rt = await startRuntime();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.setDefaultTimeout(10_000);
});

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

const text = (testId: string) => page.getByTestId(testId).innerText();

it('opens in Japanese, lists the demo scenario as published with its leads', { timeout: 30_000 }, async () => {
  await page.goto(`${rt.url}/`);
  const row = page.getByTestId('scenario-row-demo-welcome');
  await row.waitFor();
  await expect(row.getByTestId('status').innerText()).resolves.toBe('公開中 v1');
  await expect(row.getByTestId('leads-now').innerText()).resolves.toMatch(/^\d+$/);
  await expect(text('create-scenario')).resolves.toBe('新しいシナリオ');
  await keepScreenshot(page, 'languages-list-ja');
});

it('switching to English relabels the palette, the nodes, their outputs and the problems, and is remembered', { timeout: 40_000 }, async () => {
  await page.getByText('デモ: 資料請求フォロー').click();
  const w1 = page.getByTestId('node-w1');
  await w1.waitFor();
  await expect(text('palette-waitForEvent')).resolves.toContain('イベント待ち');
  await expect(w1.getByTestId('output-timeout').innerText()).resolves.toBe('タイムアウト');
  await expect(page.getByTestId('problems').innerText()).resolves.toContain('出力が未接続です');

  await page.getByTestId('language').selectOption('en');
  await expect(text('palette-waitForEvent')).resolves.toContain('Wait for event');
  await expect(w1.getByTestId('output-timeout').innerText()).resolves.toBe('timed out');
  await expect(w1.getByTestId('node-summary').innerText()).resolves.toBe('Wait for email opened, up to 2 minutes');
  await expect(page.getByTestId('node-m2').getByTestId('node-summary').innerText()).resolves.toBe('Email: 導入事例のご紹介');
  await expect(page.getByTestId('problems').innerText()).resolves.toContain('is not connected');
  await keepScreenshot(page, 'languages-editor-en');

  await page.reload();
  await page.getByTestId('node-w1').waitFor();
  await expect(text('palette-email')).resolves.toContain('Email');
  await page.getByTestId('language').selectOption('ja');
  await expect(text('palette-email')).resolves.toContain('メール');
});

it('shows live counts on the nodes of the published demo scenario', { timeout: 30_000 }, async () => {
  await page.getByTestId('live-count').first().waitFor({ timeout: 15_000 });
  const counts = await page.getByTestId('live-count').allInnerTexts();
  expect(counts.length).toBeGreaterThan(0);
  expect(counts.every((c) => /現在 \d+\s*通過 \d+/.test(c))).toBe(true);
  await keepScreenshot(page, 'languages-live-ja');
});

it('duplicates a scenario into a new draft and archives it from the list', { timeout: 30_000 }, async () => {
  await page.goto(`${rt.url}/product-lines/crm-cloud`);
  await page.getByTestId('scenario-row-demo-welcome').getByText('複製').click();
  await page.getByTestId('node-w1').waitFor();
  await expect(page.getByTestId('scenario-name').inputValue()).resolves.toBe('デモ: 資料請求フォローのコピー');
  await expect(page.getByTestId('status').innerText()).resolves.toBe('下書き');
  const copyId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? '');

  page.once('dialog', (d) => void d.accept());
  await page.goto(`${rt.url}/product-lines/crm-cloud`);
  const row = page.getByTestId(`scenario-row-${copyId}`);
  await row.getByText('アーカイブ').click();
  await row.waitFor({ state: 'detached' });
  await page.getByText('アーカイブ済みも表示').click();
  await expect(row.getByTestId('status').innerText()).resolves.toBe('アーカイブ済み');
  await keepScreenshot(page, 'navigation-archived');
});
