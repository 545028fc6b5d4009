// Accounts in the browser: the editor asks for a login (a wrong password is said so in Japanese),
// the organisation admin logs in, adds a colleague to the product line by e-mail with a role,
// makes an API token (its secret shown once, and it works) and revokes it (it stops working);
// a session ended elsewhere brings the login back over the screen; logging out ends the session;
// the admin makes a newcomer's account from the members page, and the newcomer changes the password.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { keepScreenshot, launchBrowser } from './support/browser.ts';
import { startRuntime, type RunningRuntime } from './support/runtime.ts';

let rt: RunningRuntime;
let browser: Browser;
let context: BrowserContext;
let page: Page;

const COLLEAGUE = { email: 'tanaka@example.jp', displayName: '田中 花子', password: 'colleague-password-0123' };
const NEWCOMER = { email: 'suzuki@example.jp', displayName: '鈴木 一郎', password: 'first-password-0123' };

beforeAll(async () => {
  rt = await startRuntime();
  await rt.api('POST', '/users', COLLEAGUE);
  browser = await launchBrowser();
  // Logged out: a context of its own, not a page made logged in for us.
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

/** Calls the API with an API token. */
const withToken = (secret: string, path: string) => fetch(`${rt.url}/api/v1${path}`, { headers: { authorization: `Bearer ${secret}` } });

it('asks for a login, says a wrong password is wrong, and opens the product line once logged in', { timeout: 40_000 }, async () => {
  await page.goto(`${rt.url}/`);
  await page.getByTestId('login-form').waitFor();
  await page.getByTestId('login-email').fill(rt.admin.email);
  await page.getByTestId('login-password').fill('not the password');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error').innerText()).resolves.toBe('メールアドレスまたはパスワードが違います。');
  await keepScreenshot(page, 'accounts-login-wrong');

  await page.getByTestId('login-password').fill(rt.admin.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('scenario-row-demo-welcome').waitFor();
  await expect(page.getByTestId('current-user').innerText()).resolves.toContain('組織管理者');
  // The cookie is HTTP-only: the page's scripts cannot read it.
  await expect(page.evaluate(() => document.cookie)).resolves.not.toContain('nf_session');
});

it('adds a colleague by e-mail with a role, and makes, uses and revokes an API token', { timeout: 60_000 }, async () => {
  await page.getByTestId('page-members').click();
  await page.getByTestId('members').waitFor();
  await page.getByTestId('member-email').fill('nobody@example.jp');
  await page.getByTestId('member-add').click();
  await expect(page.getByTestId('members-error').innerText()).resolves.toContain('アカウントはありません');

  await page.getByTestId('member-email').fill(COLLEAGUE.email);
  await page.getByTestId('member-role').selectOption('sales');
  await page.getByTestId('member-add').click();
  const row = page.getByTestId(`member-${COLLEAGUE.email}`);
  await row.waitFor();
  await expect(row.innerText()).resolves.toContain(COLLEAGUE.displayName);
  await expect(page.getByTestId(`member-role-${COLLEAGUE.email}`).inputValue()).resolves.toBe('sales');
  const members = await rt.api<{ members: { email: string; role: string }[] }>('GET', '/product-lines/crm-cloud/members');
  expect(members.members).toEqual([expect.objectContaining({ email: COLLEAGUE.email, role: 'sales' })]);

  // Someone with no account yet: the organisation admin makes it here and adds them in one go.
  await page.getByTestId('member-email').fill(NEWCOMER.email);
  await page.getByTestId('member-role').selectOption('analyst');
  await page.getByTestId('member-new-account').check();
  await page.getByTestId('member-display-name').fill(NEWCOMER.displayName);
  await page.getByTestId('member-password').fill(NEWCOMER.password);
  await page.getByTestId('member-add').click();
  await page.getByTestId(`member-${NEWCOMER.email}`).waitFor();
  await expect(page.getByTestId(`member-role-${NEWCOMER.email}`).inputValue()).resolves.toBe('analyst');
  const users = await rt.api<{ users: { email: string; displayName: string; orgAdmin: boolean }[] }>('GET', '/users');
  expect(users.users.find((u) => u.email === NEWCOMER.email)).toMatchObject({ displayName: NEWCOMER.displayName, orgAdmin: false });

  await page.getByTestId('token-name').fill('CRM 連携');
  await page.getByTestId('token-role').selectOption('analyst');
  await page.getByTestId('token-create').click();
  const secret = (await page.getByTestId('token-secret').locator('code').innerText()).trim();
  expect(secret).toMatch(/^nf_/);
  await page.getByTestId('token-CRM 連携').waitFor();
  await keepScreenshot(page, 'accounts-members-tokens');
  const scenarios = await withToken(secret, '/scenarios');
  expect(scenarios.status).toBe(200);
  expect(((await scenarios.json()) as { scenarios: { id: string }[] }).scenarios.map((s) => s.id)).toEqual(['demo-welcome']);

  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('token-revoke-CRM 連携').click();
  await page.getByTestId('token-revoked-CRM 連携').waitFor();
  expect((await withToken(secret, '/scenarios')).status).toBe(401);
});

it('a session ended elsewhere brings the login back over the screen; logging in again carries on', { timeout: 40_000 }, async () => {
  const me = await context.request.get(`${rt.url}/api/v1/auth/me`);
  const { csrfToken } = (await me.json()) as { csrfToken: string };
  const out = await context.request.post(`${rt.url}/api/v1/auth/logout`, { headers: { 'x-csrf-token': csrfToken } });
  expect(out.status()).toBe(204);

  await page.getByTestId('page-list').click();
  await page.getByRole('dialog').getByTestId('login-form').waitFor();
  await expect(page.getByTestId('login-email').inputValue()).resolves.toBe(rt.admin.email);
  await page.getByTestId('login-password').fill(rt.admin.password);
  await page.getByTestId('login-submit').click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  await page.getByTestId('page-members').click();
  await page.getByTestId(`member-${COLLEAGUE.email}`).waitFor();
  await page.getByTestId(`member-${NEWCOMER.email}`).waitFor();
});

it('logging out ends the session: the login page is back and the cookie no longer works', { timeout: 30_000 }, async () => {
  const cookie = (await context.cookies(rt.url)).find((c) => c.name === 'nf_session');
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe('Lax');
  await page.getByTestId('logout').click();
  await page.getByTestId('login-form').waitFor();
  const after = await fetch(`${rt.url}/api/v1/auth/me`, { headers: { cookie: `nf_session=${cookie!.value}` } });
  expect(after.status).toBe(401);
});

it('the newcomer logs in with the password the admin gave and changes it; the old one stops working', { timeout: 40_000 }, async () => {
  await page.getByTestId('login-email').fill(NEWCOMER.email);
  await page.getByTestId('login-password').fill(NEWCOMER.password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('current-user').innerText()).resolves.toBe(NEWCOMER.displayName);

  await page.getByTestId('password-open').click();
  await page.getByTestId('password-current').fill('not my password 0123');
  await page.getByTestId('password-new').fill('second-password-0123');
  await page.getByTestId('password-submit').click();
  await expect(page.getByTestId('password-error').innerText()).resolves.toBe('現在のパスワードが違います。');
  await page.getByTestId('password-current').fill(NEWCOMER.password);
  await page.getByTestId('password-submit').click();
  await page.getByTestId('password-changed').waitFor();
  await keepScreenshot(page, 'accounts-password-changed');
  await page.getByTestId('password-dialog').getByRole('button').click();

  const login = (password: string) => fetch(`${rt.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: NEWCOMER.email, password }) });
  expect((await login(NEWCOMER.password)).status).toBe(401);
  expect((await login('second-password-0123')).status).toBe(200);
  // This session carries on.
  await page.getByTestId('page-list').click();
  await page.getByTestId('scenario-row-demo-welcome').waitFor();
});
