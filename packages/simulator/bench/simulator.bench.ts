/**
 * Simulator speed: 100,000 generated leads (Japanese and English, made beforehand) through the
 * 20-node nurture scenario over 90 virtual days, with the default personas and arrivals spread
 * over the first 30 days. Prints a table and `bench simulator.node_100k_ms <n>` (the best of three
 * runs, wall clock) and `bench simulator.peak_mb <n>` (the process's peak resident memory).
 */
import { generateLeads } from '../src/leads/generate.ts';
import { simulate } from '../src/simulate.ts';
import { NURTURE_PRODUCT_LINE, nurtureScenarioInput } from '../src/testing/nurture-scenario.ts';

const LEADS = 100_000;
const graph = nurtureScenarioInput();
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

let t = performance.now();
const leads = generateLeads(LEADS, { seed: 1, productLine: NURTURE_PRODUCT_LINE.id });
const generateMs = performance.now() - t;

const run = (n: number) =>
  simulate({
    graph,
    productLines: { [NURTURE_PRODUCT_LINE.id]: NURTURE_PRODUCT_LINE.settings },
    leads: n === leads.length ? leads : leads.slice(0, n),
    behaviour: { arrival: { days: 30 } },
    start: '2026-04-06T09:00:00+09:00',
    days: 90,
    seed: 1,
  });

run(10_000); // warm-up: JIT and the calendar caches
const rounds = [1, 2, 3].map((round) => {
  const cpu = process.cpuUsage();
  t = performance.now();
  const report = run(LEADS);
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  const s = report.scenarios[0]!;
  return {
    round,
    'leads': fmt(report.leads),
    'node visits': fmt(s.nodes.reduce((a, n) => a + n.entered, 0)),
    'mails sent': fmt(report.kpis.sent),
    'hot leads': fmt(report.kpis.hotLeads),
    'ms': fmt(ms),
    'cpu ms': fmt((used.user + used.system) / 1000),
    'leads/s': fmt((report.leads / ms) * 1000),
  };
});
const best = Math.min(...rounds.map((r) => Number(r.ms.replace(/,/g, ''))));
const peakMb = process.resourceUsage().maxRSS / 1024;

console.log(`simulator: ${Object.keys(graph.nodes).length}-node scenario, ${fmt(LEADS)} leads × 90 days (leads generated beforehand in ${fmt(generateMs)} ms)`);
console.table(rounds);
console.log(`bench simulator.node_100k_ms ${Math.round(best)}`);
console.log(`bench simulator.peak_mb ${Math.round(peakMb)}`);
