// A marketer draws a scenario from nothing, fixes what the canvas flags, publishes it, finds it
// published after a reload, undoes and redoes, and watches leads arrive on the nodes.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { keepScreenshot, launchBrowser } from './support/browser.ts';
import { connect, dropKind, selectNode } from './support/canvas.ts';
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

const node = (id: string) => page.locator(`[data-testid="node-${id}"]`);
const badge = (id: string) => node(id).locator('[data-testid="problem-badge"][data-severity="error"]');

it('draws six kinds of node from the palette, connects them, fills their forms, clears a badge, publishes and finds it published after a reload', { timeout: 60_000 }, async () => {
  page.on('dialog', (d) => void d.accept('E2E 資料請求フォロー'));
  await page.goto(`${rt.url}/product-lines/crm-cloud`);
  await page.getByTestId('create-scenario').click();
  await page.getByTestId('canvas').waitFor();

  await dropKind(page, 'trigger', 150, 120);
  await dropKind(page, 'email', 460, 120);
  await dropKind(page, 'waitForEvent', 770, 120);
  await dropKind(page, 'score', 150, 420);
  await dropKind(page, 'wait', 460, 420);
  await dropKind(page, 'exit', 770, 420);
  for (const id of ['trigger-1', 'email-1', 'waitForEvent-1', 'score-1', 'wait-1', 'exit-1']) await node(id).waitFor();
  await expect(node('wait-1').getByTestId('node-summary').innerText()).resolves.toBe('3営業日待つ');

  await connect(page, 'trigger-1', 'next', 'email-1');
  await connect(page, 'email-1', 'sent', 'waitForEvent-1');
  await connect(page, 'waitForEvent-1', 'event', 'score-1');
  await connect(page, 'waitForEvent-1', 'timeout', 'wait-1');
  await connect(page, 'wait-1', 'next', 'exit-1');
  await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(5);

  // The e-mail has no template yet, and the score's output leads nowhere.
  await badge('email-1').waitFor();
  await badge('score-1').waitFor();
  await node('score-1').locator('[data-testid="output-next"].output-problem').waitFor();
  await expect(page.getByTestId('publish').isDisabled()).resolves.toBe(true);
  await keepScreenshot(page, 'draw-badges');

  // A click on the problem brings its node into view and opens its form.
  await page.getByTestId('problem').filter({ hasText: 'email-1' }).first().click();
  await page.getByTestId('form-email-1').waitFor();
  await page.getByTestId('input-template').fill('reminder');
  await page.getByTestId('template-preview').filter({ hasText: '導入事例のご紹介' }).waitFor();
  await page.getByTestId('input-subject').fill('導入事例のご紹介');
  await expect(node('email-1').getByTestId('node-summary').innerText()).resolves.toBe('メール: 導入事例のご紹介');
  await badge('email-1').waitFor({ state: 'detached' });

  await connect(page, 'score-1', 'next', 'exit-1');
  await badge('score-1').waitFor({ state: 'detached' });
  await page.locator('[data-testid="publish"]:not([disabled])').waitFor();
  await page.getByTestId('save-state').filter({ hasText: '保存済み' }).waitFor();
  await keepScreenshot(page, 'draw-valid');

  await page.getByTestId('publish').click();
  await page.getByTestId('publish-note').fill('初版: 資料請求のフォロー');
  await page.getByTestId('publish-submit').click();
  await page.getByTestId('status').filter({ hasText: '公開中 v1' }).waitFor();

  await page.reload();
  await page.getByTestId('status').filter({ hasText: '公開中 v1' }).waitFor();
  await node('email-1').waitFor();
  await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(6);
  await keepScreenshot(page, 'draw-published');
});

it('undoes and redoes a deletion from the keyboard and the toolbar', { timeout: 30_000 }, async () => {
  await selectNode(page, 'score-1');
  await page.keyboard.press('Delete');
  await node('score-1').waitFor({ state: 'detached' });
  await page.getByTestId('undo').click();
  await node('score-1').waitFor();
  await page.keyboard.press('Control+Shift+Z');
  await node('score-1').waitFor({ state: 'detached' });
  await page.keyboard.press('Control+Z');
  await node('score-1').waitFor();
  await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(6);
  await keepScreenshot(page, 'undo-redo');
});

it('moves a node with its connections while it is dragged, saves where it was dropped, and undoes the move in one step', { timeout: 30_000 }, async () => {
  const head = node('wait-1').locator('.flow-node-head');
  const edgePath = () => page.locator('.react-flow__edge[data-id="wait-1:next"] path.react-flow__edge-path').getAttribute('d');
  const before = await head.boundingBox();
  const pathBefore = await edgePath();
  if (!before) throw new Error('wait-1 is not on the screen');
  const x = before.x + 40;
  const y = before.y + before.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(x + i * 6, y + i * 4);
  // Mid-drag, the node and its connection have moved on the screen.
  const during = await head.boundingBox();
  expect(during!.x - before.x).toBeGreaterThan(40);
  expect(await edgePath()).not.toBe(pathBefore);
  await page.mouse.up();
  await page.getByTestId('save-state').filter({ hasText: '保存済み' }).waitFor();
  const scenarioId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? '');
  const savedAt = async () => {
    const { draft } = await rt.api<{ draft: { nodes: { id: string; position: { x: number; y: number } }[] } }>('GET', `/scenarios/${encodeURIComponent(scenarioId)}`);
    return draft.nodes.find((n) => n.id === 'wait-1')!.position;
  };
  const moved = await savedAt();
  await page.getByTestId('undo').click();
  await expect.poll(async () => (await head.boundingBox())!.x).toBeCloseTo(before.x, 0);
  expect(await edgePath()).toBe(pathBefore);
  await page.getByTestId('save-state').filter({ hasText: '保存済み' }).waitFor();
  expect((await savedAt()).x).toBeLessThan(moved.x - 40);
});

it('shows on each node how many leads are there now', { timeout: 30_000 }, async () => {
  const scenarioId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? '');
  const { leads } = await rt.api<{ leads: { id: string }[] }>('GET', '/leads?limit=3');
  await rt.api('POST', '/enrollments', { scenarioId, leadIds: leads.map((l) => l.id) });
  await node('waitForEvent-1').getByTestId('live-count').filter({ hasText: '現在 3' }).waitFor({ timeout: 15_000 });
  // The three passed the trigger and the e-mail on their way.
  await expect(node('email-1').getByTestId('live-count').innerText()).resolves.toMatch(/現在 0\s*通過 3/);
  await expect(node('waitForEvent-1').getByTestId('live-count').innerText()).resolves.toMatch(/通過 3/);
  await keepScreenshot(page, 'live-counts');
});

it('publishing again shows what changed and where leads are in flight; the older version opens read-only', { timeout: 40_000 }, async () => {
  await selectNode(page, 'email-1');
  await page.getByTestId('input-subject').fill('導入事例のご紹介（改訂）');
  await page.getByTestId('save-state').filter({ hasText: '保存済み' }).waitFor();
  await page.getByTestId('publish').click();
  await page.getByTestId('publish-diff').filter({ hasText: 'email-1' }).waitFor();
  await expect(page.getByTestId('publish-diff').innerText()).resolves.toBe('~ 変更: email-1');
  await expect(page.getByTestId('publish-in-flight').innerText()).resolves.toContain('waitForEvent-1に3件');
  await keepScreenshot(page, 'publish-v2');
  await page.getByTestId('publish-note').fill('件名を改訂');
  await page.getByTestId('publish-submit').click();
  await page.getByTestId('status').filter({ hasText: '公開中 v2' }).waitFor();

  await page.getByTestId('versions').click();
  await page.getByTestId('versions-panel').getByText('v1', { exact: true }).click();
  await page.getByTestId('read-only').filter({ hasText: 'バージョン 1' }).waitFor();
  await expect(node('email-1').getByTestId('node-summary').innerText()).resolves.toBe('メール: 導入事例のご紹介');
  await expect(page.getByTestId('palette-email').isDisabled()).resolves.toBe(true);
  await expect(page.getByTestId('undo').isDisabled()).resolves.toBe(true);
  await keepScreenshot(page, 'version-1-read-only');
});

it('a split says when its weights do not add up to 100% and fixes them; a branch case gets a second rule', { timeout: 40_000 }, async () => {
  await page.getByText('下書きに戻る').click();
  await page.getByTestId('palette-email').and(page.locator(':not([disabled])')).waitFor();
  await dropKind(page, 'split', 460, 700);
  await node('split-1').waitFor();
  await page.getByTestId('input-variants.0.weight').fill('70');
  await page.getByTestId('input-variants.1.weight').fill('20');
  await page.getByTestId('field-error-variants').filter({ hasText: '90%' }).waitFor();
  await page.getByTestId('split-hundred').click();
  await page.getByTestId('field-error-variants').waitFor({ state: 'detached' });
  await expect(node('split-1').getByTestId('node-summary').innerText()).resolves.toBe('分岐 A 78% / B 22%');

  await dropKind(page, 'branch', 770, 700);
  await node('branch-1').waitFor();
  await expect(node('branch-1').getByTestId('output-hot').innerText()).resolves.toBe('hot');
  await page.getByTestId('add-rule-cases.0.condition').click();
  await page.getByTestId('input-cases.0.condition.all.1.type').selectOption('tag');
  await page.getByTestId('input-cases.0.condition.all.1.tag').fill('vip');
  await page.getByTestId('input-cases.0.label').fill('ホットなVIP');
  await expect(node('branch-1').getByTestId('output-hot').innerText()).resolves.toBe('ホットなVIP');
  await page.getByTestId('save-state').filter({ hasText: '保存済み' }).waitFor();
  await keepScreenshot(page, 'inspector-split-branch');
  const scenarioId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? '');
  const saved = await rt.api<{ draft: { nodes: { id: string; data: Record<string, unknown> }[] } }>('GET', `/scenarios/${scenarioId}`);
  expect(saved.draft.nodes.find((n) => n.id === 'branch-1')?.data['cases']).toEqual([
    { id: 'hot', label: 'ホットなVIP', condition: { all: [{ type: 'score', op: 'gte', value: 50 }, { type: 'tag', op: 'has', tag: 'vip' }] } },
  ]);
});
