// The simulation panel's worker in Chromium: 100,000 generated leads (made beforehand in the
// worker) through the 20-node nurture scenario over 90 virtual days, with the default personas and
// arrivals over the first 30 days — the same run as `simulator.node_100k_ms`, in the browser.
// Timed from posting the run message to the report in the page's hands (the panel's performance
// measure), best of three. Prints `bench simulator.browser_100k_ms <n>` and the worker's peak
// JavaScript heap, sampled over the DevTools protocol while it runs (`simulator.browser_peak_mb`).
//   npx tsx apps/editor/bench/simulator.browser.bench.ts
import { cpus, loadavg } from 'node:os';
import type { CDPSession } from 'playwright-core';
import { launchBrowser } from '../../../e2e/support/browser.ts';
import { startRuntime } from '../../../e2e/support/runtime.ts';
import { NURTURE_PRODUCT_LINE, nurtureScenarioInput } from '../../../packages/simulator/src/testing/nurture-scenario.ts';

const LEADS = 100_000;
const ROUNDS = 3;
const MEASURE = 'nurtureflow.simulation.run';

/**
 * Samples a dedicated worker's used JS heap through the browser's DevTools session: the worker is
 * busy with one long computation, but the inspector answers between its instructions.
 */
async function heapSampler(cdp: CDPSession): Promise<{ stop(): Promise<{ peak: number; samples: number }> } | null> {
  const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string }[] };
  const worker = targetInfos.find((t) => t.type === 'worker');
  if (!worker) return null;
  const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: worker.targetId, flatten: false })) as { sessionId: string };
  let next = 1;
  const waiting = new Map<number, (v: { usedSize: number }) => void>();
  cdp.on('Target.receivedMessageFromTarget', (e: { sessionId: string; message: string }) => {
    if (e.sessionId !== sessionId) return;
    const m = JSON.parse(e.message) as { id?: number; result?: { usedSize: number } };
    if (m.id !== undefined && m.result) waiting.get(m.id)?.(m.result);
  });
  const usage = () =>
    new Promise<{ usedSize: number }>((resolve) => {
      const id = next++;
      waiting.set(id, resolve);
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) });
    });
  let peak = 0;
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const r = await Promise.race([usage(), new Promise<null>((res) => setTimeout(() => res(null), 2000))]);
      if (r) {
        peak = Math.max(peak, r.usedSize);
        samples++;
      }
      await new Promise((res) => setTimeout(res, 50));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { peak, samples };
    },
  };
}

const rt = await startRuntime({ seed: false });
const browser = await launchBrowser();
try {
  await rt.api('POST', '/product-lines', { id: NURTURE_PRODUCT_LINE.id, name: 'CRM', settings: NURTURE_PRODUCT_LINE.settings });
  const graph = nurtureScenarioInput();
  await rt.api('POST', '/scenarios', { id: graph.scenarioId, productLine: graph.productLine, name: graph.name, draft: graph });
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.setDefaultTimeout(120_000);
  await page.goto(`${rt.url}/scenarios/${graph.scenarioId}`);
  await page.getByTestId('node-m1').waitFor();
  await page.getByTestId('simulate').click();
  for (const [id, v] of [['sim-count', LEADS], ['sim-lead-seed', 1], ['sim-days', 90], ['sim-arrival', 30], ['sim-seed', 1]] as const) await page.getByTestId(id).fill(String(v));
  await page.getByTestId('sim-start').fill('2026-04-06');

  const cdp = await browser.newBrowserCDPSession();
  const runs: { wall: number; worker: number; leadsMs: number | null; heapMb: number | null; samples: number }[] = [];
  let peakBytes = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const before = await page.evaluate((name) => performance.getEntriesByName(name).length, MEASURE);
    const clicked = performance.now();
    await page.getByTestId('sim-run').click();
    // The first round makes the leads in the worker before the run message; later rounds reuse them.
    await page.locator('[data-testid="sim-status"][data-status="running"]').waitFor();
    const leadsMs = round === 0 ? performance.now() - clicked : null;
    const sampler = await heapSampler(cdp);
    await page.locator('[data-testid="sim-status"][data-status="done"]').waitFor({ timeout: 300_000 });
    const heap = sampler ? await sampler.stop() : null;
    if (heap) peakBytes = Math.max(peakBytes, heap.peak);
    const wall = await page.evaluate(({ name, before }) => performance.getEntriesByName(name)[before]!.duration, { name: MEASURE, before });
    const worker = Number(await page.getByTestId('sim-status').getAttribute('data-elapsed-ms'));
    runs.push({ wall, worker, leadsMs, heapMb: heap && heap.samples > 0 ? heap.peak / 1024 / 1024 : null, samples: heap?.samples ?? 0 });
  }
  const sent = await page.getByTestId('sim-kpi-sent').getAttribute('data-value');
  const hot = await page.getByTestId('sim-kpi-hotLeads').getAttribute('data-value');
  const best = Math.min(...runs.map((r) => r.wall));
  console.log(`simulator in the editor's web worker (Chromium): ${Object.keys(graph.nodes).length}-node scenario, ${LEADS.toLocaleString('en-US')} leads × 90 days`);
  console.table(
    Object.fromEntries(
      runs.map((r, i) => [
        `round ${i + 1}`,
        {
          'run message → report (ms)': Math.round(r.wall),
          'in the worker (ms)': Math.round(r.worker),
          'making the leads first (ms)': r.leadsMs === null ? '' : Math.round(r.leadsMs),
          'worker heap peak (MB)': r.heapMb === null ? '' : Math.round(r.heapMb),
          'heap samples': r.samples,
        },
      ]),
    ),
  );
  console.table({ 'mails sent': Number(sent).toLocaleString('en-US'), 'hot leads': Number(hot).toLocaleString('en-US'), 'machine load (1 min) / CPUs': `${loadavg()[0]?.toFixed(2)} / ${cpus().length}` });
  console.log(`bench simulator.browser_100k_ms ${Math.round(best)}`);
  if (peakBytes > 0) console.log(`bench simulator.browser_peak_mb ${Math.round(peakBytes / 1024 / 1024)}`);
  else console.log('(the worker’s heap could not be sampled)');
} finally {
  await browser.close();
  await rt.stop();
}
