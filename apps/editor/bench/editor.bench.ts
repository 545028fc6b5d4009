// Editor benchmark: a 1,000-node scenario opened in Debian's chromium against the real runtime.
// Prints the time from navigation to every node drawn, and the worst frame while a node is dragged.
//   npx tsx apps/editor/bench/editor.bench.ts   (BENCH_DEBUG=1 adds where the drag's time goes)
import { cpus, loadavg } from 'node:os';
import type { GraphInput } from '@nurtureflow/scenario';
import { launchBrowser } from '../../../e2e/support/browser.ts';
import { startRuntime } from '../../../e2e/support/runtime.ts';

const NODES = 1000;
const LANES = 10;

/** A trigger, a 10-way split and ten lanes of mail / wait / score steps ending in an exit: 1,000 nodes. */
function bigScenario(): GraphInput {
  const nodes: GraphInput['nodes'] = {};
  const perLane = Math.floor((NODES - 2) / LANES);
  nodes['t'] = { kind: 'trigger', trigger: { type: 'event', event: 'form_submitted' }, outputs: { next: 's' } };
  nodes['s'] = { kind: 'split', variants: Array.from({ length: LANES }, (_, i) => ({ id: `L${i}`, weight: 100 / LANES })), outputs: Object.fromEntries(Array.from({ length: LANES }, (_, i) => [`L${i}`, `l${i}-0`])) };
  let count = 2;
  for (let lane = 0; lane < LANES; lane++) {
    const size = lane === LANES - 1 ? NODES - count : perLane;
    for (let i = 0; i < size; i++) {
      const id = `l${lane}-${i}`;
      const next = i + 1 < size ? `l${lane}-${i + 1}` : null;
      if (next === null) nodes[id] = { kind: 'exit' };
      else if (i % 3 === 0) nodes[id] = { kind: 'email', template: `mail-${i}`, subject: `ステップメール ${i}`, outputs: { sent: next } };
      else if (i % 3 === 1) nodes[id] = { kind: 'wait', wait: { mode: 'for', duration: { amount: 2, unit: 'businessDays' } }, outputs: { next } };
      else nodes[id] = { kind: 'score', points: 5, outputs: { next } };
    }
    count += size;
  }
  // Placed on a grid 40 nodes wide, as a marketer would arrange a big journey, so it fits the screen.
  const layout = Object.fromEntries(Object.keys(nodes).map((id, i) => [id, { x: (i % 40) * 300, y: Math.floor(i / 40) * 160 }]));
  return { format: 'nurtureflow.scenario', formatVersion: 1, productLine: 'bench', scenarioId: 'bench-1000', version: 0, name: 'Benchmark: 1,000 nodes', nodes, layout, settings: { horizonDays: 3650 } };
}

const rt = await startRuntime({ seed: false });
const browser = await launchBrowser();
try {
  await rt.api('POST', '/product-lines', { id: 'bench', name: 'Bench' });
  const graph = bigScenario();
  await rt.api('POST', '/scenarios', { id: 'bench-1000', productLine: 'bench', name: graph.name, draft: graph });
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  // Records when the canvas first holds every node, from the page's own clock (0 = navigation).
  await page.addInitScript((n: number) => {
    const w = window as unknown as { __allDrawn?: number };
    new MutationObserver((_, obs) => {
      if (document.querySelectorAll('.react-flow__node').length >= n) {
        w.__allDrawn = performance.now();
        obs.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  }, Object.keys(graph.nodes).length);

  const loads: number[] = [];
  for (let run = 0; run < 3; run++) {
    await page.goto(`${rt.url}/scenarios/bench-1000`);
    await page.waitForFunction(() => (window as unknown as { __allDrawn?: number }).__allDrawn !== undefined, null, { timeout: 60_000 });
    loads.push(await page.evaluate(() => (window as unknown as { __allDrawn: number }).__allDrawn));
  }
  await page.waitForTimeout(500);
  // Drag one node across the canvas while a rAF loop records every frame's duration.
  const target = page.locator('[data-testid="node-l4-10"] .flow-node-head');
  const box = await target.boundingBox();
  if (!box) throw new Error('the node to drag is not on the screen');
  // A string, not a function: tsx would wrap a named arrow in a helper the page does not have.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__recording = true;
    let last = performance.now();
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (window.__recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metric = async () => Object.fromEntries(((await cdp.send('Performance.getMetrics')).metrics as { name: string; value: number }[]).map((m) => [m.name, m.value]));
  const m0 = await metric();
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let i = 1; i <= 60; i++) {
    await page.mouse.move(x + i * 4, y + Math.sin(i / 6) * 40);
    await page.waitForTimeout(16);
  }
  await page.mouse.up();
  await page.waitForTimeout(100);
  const frames = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __recording: boolean };
    w.__recording = false;
    return w.__frames.slice(1);
  });
  const m1 = await metric();
  if (process.env['BENCH_DEBUG']) for (const k of ['ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration', 'TaskDuration', 'LayoutCount', 'RecalcStyleCount']) console.log(k, Math.round(((m1[k] ?? 0) - (m0[k] ?? 0)) * 1000) / 1000);
  if (process.env['BENCH_DEBUG']) console.log('longest frames [index, ms]:', frames.map((f, i) => [i, Math.round(f)]).sort((a, b) => (b[1] as number) - (a[1] as number)).slice(0, 6), 'of', frames.length);
  const sorted = [...frames].sort((a, b) => a - b);
  const load = Math.min(...loads);
  const worst = sorted[sorted.length - 1] ?? 0;
  const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? 0;
  console.table({
    'load, all 1,000 nodes drawn (best of 3, ms)': Math.round(load),
    'load runs (ms)': loads.map((l) => Math.round(l)).join(' / '),
    'drag: frames': frames.length,
    'drag: worst frame (ms)': Math.round(worst * 10) / 10,
    'drag: p95 frame (ms)': Math.round(p95 * 10) / 10,
    // Frame times scale with what else runs: the machine's load beside the figures says how busy it was.
    'machine load (1 min) / CPUs': `${loadavg()[0]?.toFixed(2)} / ${cpus().length}`,
  });
  console.log(`bench editor.load_1000_nodes_ms ${Math.round(load)}`);
  console.log(`bench editor.drag_frame_max_ms ${Math.round(worst * 10) / 10}`);
} finally {
  await browser.close();
  await rt.stop();
}
