// A marketer — the product line's admin, logged in with their own session — tunes its scoring in
// the browser: the preview counts the current leads per rank and hot under the rules as edited,
// beside where they stand now; a bad field is named under it and blocks saving; the new rules are
// saved into the product line's settings, and the change is in its audit log.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { keepScreenshot, launchBrowser, pageAs } from './support/browser.ts';
import { startRuntime, type ApiCall, type RunningRuntime } from './support/runtime.ts';

let rt: RunningRuntime;
let browser: Browser;
let page: Page;

const PL = 'scoring-e2e';
const ADMIN = { email: 'admin@localhost', password: 'e2e-admin-password-0123' };
/** The product line's admin: scoring is part of its settings. */
const MARKETER = { email: 'marketing@example.jp', password: 'marketing-password-0123', displayName: '販促 花子' };


/** Logs in over the API: JSON calls with that session's cookie and CSRF token. */
let admin: ApiCall;

const scoring = {
  rules: [
    { id: 'wp', event: 'whitepaper_downloaded', points: 30 },
    { id: 'seminar', event: 'seminar_attended', points: 40 },
    { id: 'opened', event: 'email_opened', points: 5, maxPerDay: 5 },
  ],
  hotThreshold: 60,
};

beforeAll(async () => {
  // The child runtime makes its first organisation admin with this password.
  process.env['NURTUREFLOW_ADMIN_PASSWORD'] ??= ADMIN.password;
  ADMIN.password = process.env['NURTUREFLOW_ADMIN_PASSWORD'];
  rt = await startRuntime({ seed: false });
  admin = await rt.as(ADMIN);
  await admin('POST', '/product-lines', { id: PL, name: 'スコアリングE2E', settings: { scoring } });
  // 70 (B, hot), 40 (C), 30 (C), 5 (D) with the default ranks A 80, B 50, C 20.
  const leads: [string, string[]][] = [
    ['lead-1', ['whitepaper_downloaded', 'seminar_attended']],
    ['lead-2', ['seminar_attended']],
    ['lead-3', ['whitepaper_downloaded']],
    ['lead-4', ['email_opened']],
  ];
  const at = new Date(Date.now() - 3_600_000).toISOString();
  for (const [id, kinds] of leads) {
    await admin('POST', '/leads', { id, email: `${id}@example.jp` });
    await admin('POST', '/events/batch', { events: kinds.map((kind, i) => ({ id: `${id}-${i}`, kind, leadId: id, productLine: PL, at })) });
  }
  await rt.addMember(PL, MARKETER, 'admin');
  browser = await launchBrowser();
  page = await pageAs(browser, MARKETER, { width: 1400, height: 1100 });
  page.setDefaultTimeout(10_000);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

/** The preview row of a rank (or `hot`): [now, proposed]. */
async function row(key: string): Promise<[string, string]> {
  const r = page.getByTestId(`preview-${key}`);
  return [await r.getByTestId('now').innerText(), await r.getByTestId('proposed').innerText()];
}

/** Waits for the preview of the form as it is now (not a stale one). */
async function fresh(): Promise<void> {
  await page.locator('[data-testid="scoring-preview-result"]:not(.stale)').waitFor();
}

it('opens with the saved rules and a preview of the current leads: the same counts now and under them', { timeout: 40_000 }, async () => {
  await page.goto(`${rt.url}/product-lines/${PL}/scoring`);
  await page.getByTestId('scoring-form').waitFor();
  await expect(page.getByTestId('input-hotThreshold').inputValue()).resolves.toBe('60');
  await expect(page.getByTestId('input-rules.0.event').inputValue()).resolves.toBe('whitepaper_downloaded');
  await fresh();
  await expect(page.getByTestId('preview-leads').innerText()).resolves.toBe('現在のリード 4件');
  expect([await row('A'), await row('B'), await row('C'), await row('D'), await row('hot')]).toEqual([
    ['0', '0'],
    ['1', '1'],
    ['2', '2'],
    ['1', '1'],
    ['1', '1'],
  ]);
  await expect(page.getByTestId('scoring-save').isDisabled()).resolves.toBe(true);
  await keepScreenshot(page, 'scoring-open');
});

it('a lower hot threshold shows one more hot lead in the preview; an emptied field is named and blocks saving', { timeout: 40_000 }, async () => {
  await page.getByTestId('input-hotThreshold').fill('');
  await expect(page.getByTestId('field-error-hotThreshold').innerText()).resolves.toBe('入力してください');
  await expect(page.getByTestId('scoring-save').isDisabled()).resolves.toBe(true);

  await page.getByTestId('input-hotThreshold').fill('35');
  await page.getByTestId('field-error-hotThreshold').waitFor({ state: 'detached' });
  await fresh();
  await expect(row('hot')).resolves.toEqual(['1', '2']);
  await expect(row('B')).resolves.toEqual(['1', '1']);

  // More points for a whitepaper: 30 → 50 makes lead-1 90 (A) and lead-3 50 (B, and hot at 35).
  await page.getByTestId('input-rules.0.points').fill('50');
  await fresh();
  expect([await row('A'), await row('B'), await row('C'), await row('D'), await row('hot')]).toEqual([
    ['0', '1'],
    ['1', '1'],
    ['2', '1'],
    ['1', '1'],
    ['1', '3'],
  ]);
  await keepScreenshot(page, 'scoring-preview');
});

it('saves the rules into the product line’s settings', { timeout: 30_000 }, async () => {
  await page.getByTestId('scoring-save').click();
  await expect(page.getByTestId('scoring-message').innerText()).resolves.toContain('保存しました');
  const line = await admin<{ settings: { scoring: { hotThreshold: number; rules: { id: string; points: number }[] } } }>('GET', `/product-lines/${PL}`);
  expect(line.settings.scoring.hotThreshold).toBe(35);
  expect(line.settings.scoring.rules.map((r) => [r.id, r.points])).toEqual([
    ['wp', 50],
    ['seminar', 40],
    ['opened', 5],
  ]);
  // The save is in the product line's audit log with the scoring before and after.
  const audit = await admin<{ items: { action: string; actor: string; details: { before: { hotThreshold: number }; after: { hotThreshold: number } } }[] }>('GET', `/product-lines/${PL}/audit?action=scoring.changed`);
  expect(audit.items.map((e) => [e.action, e.actor, e.details.before.hotThreshold, e.details.after.hotThreshold])).toEqual([['scoring.changed', MARKETER.email, 60, 35]]);
  await page.reload();
  await page.getByTestId('scoring-unchanged').waitFor();
  await expect(page.getByTestId('input-hotThreshold').inputValue()).resolves.toBe('35');
});

it('names a rule id used twice under the field, in English too', { timeout: 30_000 }, async () => {
  await page.getByTestId('language').selectOption('en');
  await page.getByTestId('input-rules.1.id').fill('wp');
  await expect(page.getByTestId('field-error-rules.1.id').innerText()).resolves.toBe('Another rule has this ID (daily limits count per rule ID)');
  await expect(page.getByTestId('scoring-save').isDisabled()).resolves.toBe(true);
  await page.getByTestId('scoring-reset').click();
  await page.getByTestId('field-error-rules.1.id').waitFor({ state: 'detached' });
  await page.getByTestId('language').selectOption('ja');
});
