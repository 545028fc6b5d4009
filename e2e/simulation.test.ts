// A marketer simulates a draft before publishing it: sample leads made up in the browser's web
// worker, counts on every node equal to what the simulator computes in node for the same graph,
// leads and seed, connections as wide as their flow, one lead replayed step by step, the draft
// compared with the published version and one split's variants with each other, a lead file with
// a bad row, and the canvas back to normal once the results are cleared.
import type { GraphInput, ProductLineSettingsInput } from '@nurtureflow/scenario';
import { aGraph, dur } from '@nurtureflow/scenario/testing';
import { generateLeads, simulate, type SimulationReport } from '@nurtureflow/simulator';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { keepScreenshot, launchBrowser } from './support/browser.ts';
import { startRuntime, type RunningRuntime } from './support/runtime.ts';

let rt: RunningRuntime;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const SETTINGS: ProductLineSettingsInput = {
  scoring: {
    rules: [
      { id: 'opened', event: 'email_opened', points: 10 },
      { id: 'clicked', event: 'link_clicked', points: 25 },
    ],
    hotThreshold: 60,
  },
  frequencyCaps: { perWeek: 2 },
};

/** Welcome mail, a wait for the click, scoring, a hot branch to sales, an A/B split of follow-ups. */
function scenario(reminderDays: number): GraphInput {
  const g = aGraph({ productLine: 'sim', scenarioId: 'sim-ab', name: 'シミュレーション E2E', version: 0 })
    .trigger('t', { type: 'import' })
    .email('m1', 'welcome', { subject: 'ようこそ' })
    .waitForEvent('w1', 'link_clicked', dur(4, 'days'))
    .score('s1', 10, 'clicked')
    .branch('b1', [{ id: 'hot', label: 'ホット', condition: { type: 'score', op: 'gte', value: 60 } }])
    .handoff('h1', { reason: 'hot', responseTimeout: dur(3, 'businessDays') })
    .goal('g1', 'handed-over')
    .from('b1', 'default')
    .split('sp', [
      { id: 'a', weight: 50 },
      { id: 'b', weight: 50 },
    ])
    .email('ma', 'case-a', { subject: '事例A' })
    .wait('wa', dur(reminderDays, 'days'))
    .email('m2', 'reminder', { subject: 'リマインド' })
    .exit('x1')
    .from('sp', 'b')
    .email('mb', 'case-b', { subject: '事例B' })
    .connect('mb', 'sent', 'wa')
    .connect('mb', 'skipped', 'wa')
    .connect('ma', 'skipped', 'wa')
    .connect('m2', 'skipped', 'x1')
    .connect('m1', 'skipped', 'x1')
    .connect('w1', 'timeout', 'b1')
    .connect('h1', 'returned', 'x1')
    .connect('h1', 'timeout', 'x1')
    .input();
  const columns = ['t', 'm1', 'w1', 's1', 'b1', 'h1', 'g1'];
  const second = ['sp', 'ma', 'mb', 'wa', 'm2', 'x1'];
  const layout = Object.fromEntries([...columns.map((id, i) => [id, { x: i * 300, y: 0 }]), ...second.map((id, i) => [id, { x: 600 + i * 300, y: 330 }])]);
  return { ...g, layout };
}

const DRAFT = scenario(10);
const PUBLISHED = scenario(60);
const RUN = { count: 600, leadSeed: 3, days: 45, arrivalDays: 10, seed: 7 };

/** What the simulator computes in node for a graph with the run's settings. */
function inNode(graph: GraphInput, trace: string[] = []): SimulationReport {
  return simulate({
    graph,
    productLines: { sim: SETTINGS },
    leads: generateLeads(RUN.count, { seed: RUN.leadSeed, productLine: 'sim', locales: { ja: 7, en: 3 } }),
    behaviour: { arrival: { days: RUN.arrivalDays } },
    start: '2026-04-06T09:00:00+09:00',
    days: RUN.days,
    seed: RUN.seed,
    trace,
  });
}

beforeAll(async () => {
  rt = await startRuntime({ seed: false });
  await rt.api('POST', '/product-lines', { id: 'sim', name: 'シミュレーション', settings: SETTINGS });
  await rt.api('POST', '/scenarios', { id: 'sim-ab', productLine: 'sim', name: 'シミュレーション E2E', draft: PUBLISHED });
  await rt.api('POST', '/scenarios/sim-ab/publish', { note: 'v1' });
  await rt.api('PUT', '/scenarios/sim-ab/draft', DRAFT);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1700, height: 1000 } });
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

const node = (id: string) => page.getByTestId(`node-${id}`);
const int = (s: string) => Number(s.replace(/[^\d-]/g, ''));

/** The counts drawn on a node for run A (or B): in, here, out. */
async function countsOn(id: string, run: 'a' | 'b' = 'a') {
  const row = node(id).getByTestId(`sim-${run}`);
  const [entered, there, exited] = await Promise.all(['sim-entered', 'sim-there', 'sim-exited'].map(async (t) => int(await row.getByTestId(t).innerText())));
  return { entered: entered!, there: there!, exited: exited! };
}

async function fill(testId: string, value: string | number) {
  await page.getByTestId(testId).fill(String(value));
}

it('runs the draft in a web worker and draws on every node the counts the simulator computes in node', { timeout: 90_000 }, async () => {
  await page.goto(`${rt.url}/scenarios/sim-ab`);
  await node('wa').waitFor();
  await page.getByTestId('simulate').click();
  await page.getByTestId('sim-panel').waitFor();
  await fill('sim-count', RUN.count);
  await fill('sim-lead-seed', RUN.leadSeed);
  await fill('sim-days', RUN.days);
  await fill('sim-start', '2026-04-06');
  await fill('sim-arrival', RUN.arrivalDays);
  await fill('sim-seed', RUN.seed);
  await page.getByTestId('sim-run').click();
  await page.locator('[data-testid="sim-status"][data-status="done"]').waitFor({ timeout: 60_000 });
  await page.getByTestId('sim-results').waitFor();

  const expected = inNode(DRAFT);
  const s = expected.scenarios[0]!;
  expect(s.nodes.length).toBe(13);
  for (const n of s.nodes) expect({ id: n.id, ...(await countsOn(n.id)) }).toEqual({ id: n.id, entered: n.entered, there: n.there, exited: n.exited });
  // The leads really went different ways: a split, a hot branch and a wait past the horizon.
  expect(s.nodes.find((n) => n.id === 'ma')!.entered).toBeGreaterThan(0);
  expect(s.nodes.find((n) => n.id === 'mb')!.entered).toBeGreaterThan(0);
  expect(s.nodes.find((n) => n.id === 'h1')!.entered).toBeGreaterThan(0);
  await expect(page.getByTestId('sim-kpi-sent').getAttribute('data-value')).resolves.toBe(String(expected.kpis.sent));
  await expect(page.getByTestId('sim-kpi-hotLeads').getAttribute('data-value')).resolves.toBe(String(expected.kpis.hotLeads));
  await expect(page.getByTestId('sim-hot-bar').count()).resolves.toBeGreaterThan(0);
  // A cap of two mails a week: the report's fatigue section says whether anyone got more.
  await page.getByTestId('sim-fatigue').waitFor();

  // Each connection as wide as its flow, the number on hover.
  const edgeCounts = await page.locator('[data-testid^="sim-edge-"]').evaluateAll((els) => els.map((e) => ({ count: Number(e.getAttribute('data-count')), width: Number(e.getAttribute('data-width')) })));
  const busiest = Math.max(...edgeCounts.map((e) => e.count));
  expect(busiest).toBe(RUN.count);
  expect(edgeCounts.find((e) => e.count === busiest)!.width).toBe(14);
  for (const a of edgeCounts) for (const b of edgeCounts) if (a.count > b.count) expect(a.width).toBeGreaterThan(b.width);
  const toB = s.edges.find((e) => e.from === 'sp' && e.output === 'b')!;
  const edge = page.locator(`[data-testid^="sim-edge-"][data-count="${toB.count}"]`).first();
  const box = await node('mb').locator('.handle-in').boundingBox();
  await page.mouse.move(box!.x - 12, box!.y + box!.height / 2);
  await page.getByTestId('sim-edge-label').filter({ hasText: `${toB.count}` }).waitFor();
  await expect(edge.getAttribute('data-width')).resolves.not.toBe('1');
  await keepScreenshot(page, 'simulation-counts');
});

it('replays one lead step by step: its node highlighted, the connections it took, its events and times', { timeout: 60_000 }, async () => {
  const draft = inNode(DRAFT, generateLeads(RUN.count, { seed: RUN.leadSeed }).map((l) => l.id));
  // A lead that went through the split and its wait: a path of several steps.
  const trace = draft.traces.find((t) => t.rows.some((r) => r.type === 'step' && r.nodeId === 'wa') && t.rows.some((r) => r.type === 'event'))!;
  await page.getByTestId('sim-tab-replay').click();
  await page.getByTestId('sim-lead-search').fill(trace.leadId);
  await page.getByTestId(`sim-lead-${trace.leadId}`).click();
  await page.getByTestId('sim-replay-lead').filter({ hasText: trace.leadId }).waitFor();
  await expect(page.getByTestId('sim-replay-row').count()).resolves.toBe(trace.rows.length);

  const steps = trace.rows.map((r, i) => ({ r, i })).filter(({ r }) => r.type === 'step');
  // Step to the row where the lead moves from the split, and see it on the canvas.
  const fromSplit = steps.find(({ r }) => r.type === 'step' && r.nodeId === 'sp')!;
  for (let i = 0; i < fromSplit.i; i++) await page.getByTestId('sim-replay-next').click();
  await expect(page.getByTestId('sim-replay-position').innerText()).resolves.toContain(String(fromSplit.i + 1));
  const to = fromSplit.r.type === 'step' ? fromSplit.r.to! : '';
  await node(to).getByTestId('sim-here').waitFor();
  await expect(page.locator('[data-here="true"]').count()).resolves.toBe(1);
  const output = fromSplit.r.type === 'step' ? fromSplit.r.output : '';
  await page.locator(`[data-testid^="sim-edge-"][data-taken="true"]`).first().waitFor();
  const taken = await page.locator('[data-testid^="sim-edge-"][data-taken="true"]').count();
  expect(taken).toBe(new Set(steps.filter(({ r, i }) => i <= fromSplit.i && r.type === 'step' && r.to !== null).map(({ r }) => (r.type === 'step' ? `${r.nodeId}:${r.output}` : ''))).size);
  expect(output === 'a' || output === 'b').toBe(true);
  await expect(page.locator('[data-testid="sim-replay-row"][aria-current="step"]').innerText()).resolves.toContain(`sp → ${to}`);
  await keepScreenshot(page, 'simulation-replay');

  await page.getByTestId('sim-replay-play').click();
  await page.locator('[data-testid="sim-replay-row"][aria-current="step"]').filter({ hasText: 'リードの行動' }).or(page.locator('[data-testid="sim-replay-row"]:last-child[aria-current="step"]')).first().waitFor({ timeout: 30_000 });
});

it('compares the draft with the published version, and two variants of the split over the same leads', { timeout: 90_000 }, async () => {
  await page.getByTestId('sim-tab-compare').click();
  await page.getByTestId('sim-compare-against').selectOption('v1');
  await page.getByTestId('sim-compare-run').click();
  await page.getByTestId('sim-compare-kpis').waitFor({ timeout: 60_000 });
  const draft = inNode(DRAFT);
  const published = inNode({ ...PUBLISHED, version: 1 });
  for (const n of published.scenarios[0]!.nodes) expect({ id: n.id, ...(await countsOn(n.id, 'b')) }).toEqual({ id: n.id, entered: n.entered, there: n.there, exited: n.exited });
  await expect(page.getByTestId('sim-compare-sent').getAttribute('data-diff')).resolves.toBe(String(published.kpis.sent - draft.kpis.sent));
  // v1 waits 60 days before the reminder: past the 45-day horizon, so it never goes out.
  const m2 = draft.scenarios[0]!.nodes.find((n) => n.id === 'm2')!.entered;
  expect(m2).toBeGreaterThan(0);
  await expect(node('m2').getByTestId('sim-diff').innerText()).resolves.toBe(`-${m2}`);
  await keepScreenshot(page, 'simulation-compare-version');

  await page.getByTestId('sim-compare-against').selectOption('split');
  await page.getByTestId('sim-compare-run').click();
  await page.getByTestId('sim-compare-kpis').filter({ hasText: 'sp: b' }).waitFor({ timeout: 60_000 });
  const a = await countsOn('ma', 'a');
  const b = await countsOn('mb', 'b');
  expect(a.entered).toBe(b.entered);
  await expect(countsOn('mb', 'a')).resolves.toMatchObject({ entered: 0 });
  await keepScreenshot(page, 'simulation-compare-variants');
});

it('reads a lead file, lists its bad row, runs the good ones, and clearing returns the canvas to normal', { timeout: 60_000 }, async () => {
  await page.getByTestId('sim-tab-setup').click();
  await page.getByTestId('sim-source-file').check();
  const csv = 'リードID,氏名,会社名,従業員数\nL1,山田 太郎,株式会社A,120\nL2,佐藤 花子,株式会社B,たくさん\nL3,John Smith,Acme,40\n';
  await page.getByTestId('sim-file').setInputFiles({ name: 'leads.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByTestId('sim-file-read').filter({ hasText: '2件' }).waitFor();
  await expect(page.getByTestId('sim-row-error').innerText()).resolves.toContain('従業員数');
  await page.getByTestId('sim-run').click();
  await page.locator('[data-testid="sim-status"][data-status="done"]').waitFor();
  await expect(countsOn('t')).resolves.toEqual({ entered: 2, there: 0, exited: 2 });
  await keepScreenshot(page, 'simulation-file');

  await page.getByTestId('sim-clear').click();
  await expect(page.getByTestId('sim-counts').count()).resolves.toBe(0);
  await expect(page.locator('[data-testid^="sim-edge-"]').count()).resolves.toBe(0);
  await expect(page.locator('.react-flow__edge').count()).resolves.toBeGreaterThan(10);
  expect(pageErrors).toEqual([]);
});

it('cancels a long run at once, and speaks English when asked', { timeout: 60_000 }, async () => {
  await page.getByTestId('sim-tab-setup').click();
  // A persona that clicks more than it opens is refused before anything runs, in Japanese.
  await page.getByTestId('sim-persona-average-click').fill('30');
  await page.getByTestId('sim-personas').locator('td.invalid').waitFor();
  await page.getByText('標準 / Average · クリック: 開封の確率以下にしてください（クリックは開封も含みます）').waitFor();
  await page.getByText('既定値に戻す').click();
  await expect(page.getByTestId('sim-personas').locator('td.invalid').count()).resolves.toBe(0);
  await page.getByTestId('sim-source-generate').check();
  await fill('sim-count', 150_000);
  await page.getByTestId('sim-run').click();
  await page.getByTestId('sim-cancel').click();
  await page.locator('[data-testid="sim-status"][data-status="cancelled"]').waitFor();
  await expect(page.getByTestId('sim-counts').count()).resolves.toBe(0);

  await fill('sim-count', 50);
  await page.getByTestId('language').selectOption('en');
  await page.getByTestId('sim-run').click();
  await page.locator('[data-testid="sim-status"][data-status="done"]').waitFor();
  await expect(node('t').getByTestId('sim-entered').innerText()).resolves.toBe('In 50');
  await expect(page.getByTestId('sim-tab-replay').innerText()).resolves.toBe('Lead replay');
  await keepScreenshot(page, 'simulation-en');
  await page.getByTestId('language').selectOption('ja');
  expect(pageErrors).toEqual([]);
});
