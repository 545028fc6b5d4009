/**
 * Simulator speed: 100,000 generated leads (Japanese and English, made beforehand) through the
 * 20-node nurture scenario over 90 virtual days, with the default personas; leads arrive over the
 * first 30 of those 90 days, so the last of them still has 60 days to run. Prints a table and
 * `bench simulator.node_100k_ms <n>` (the best of three runs, wall clock), `bench
 * simulator.node_100k_cpu_ms <n>` (the CPU time of that best run: steadier on a shared machine) and
 * `bench simulator.peak_mb <n>` (the process's peak resident memory, the leads included).
 */
import { cpus, loadavg } from 'node:os';
import { generateLeads } from '../src/leads/generate.ts';
import { simulate } from '../src/simulate.ts';
import { NURTURE_PRODUCT_LINE, nurtureScenarioInput } from '../src/testing/nurture-scenario.ts';

const LEADS = 100_000;
const NODES = 20;
const DAYS = 90;
const ARRIVAL_DAYS = 30;
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
    behaviour: { arrival: { days: ARRIVAL_DAYS } },
    start: '2026-04-06T09:00:00+09:00',
    days: DAYS,
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
  // The figure stands for this run and no other: every lead, every node, the whole horizon.
  if (report.leads !== LEADS || s.nodes.length !== NODES || report.days !== DAYS || Date.parse(report.end) - Date.parse(report.start) !== DAYS * 86_400_000) {
    throw new Error(`the run is not ${fmt(LEADS)} leads through ${NODES} nodes over ${DAYS} days`);
  }
  return {
    round,
    'leads': fmt(report.leads),
    'node visits': fmt(s.nodes.reduce((a, n) => a + n.entered, 0)),
    'mails sent': fmt(report.kpis.sent),
    'hot leads': fmt(report.kpis.hotLeads),
    'ms': fmt(ms),
    'cpu ms': fmt((used.user + used.system) / 1000),
    'leads/s': fmt((report.leads / ms) * 1000),
    wall: ms,
    cpuMs: (used.user + used.system) / 1000,
  };
});
const best = rounds.reduce((a, b) => (b.wall < a.wall ? b : a));
const peakMb = process.resourceUsage().maxRSS / 1024;

console.log(
  `simulator: ${Object.keys(graph.nodes).length}-node scenario, ${fmt(LEADS)} leads × ${DAYS} days, arrivals over the first ${ARRIVAL_DAYS} (leads generated beforehand in ${fmt(generateMs)} ms; ${cpus().length} CPUs, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')})`,
);
console.table(rounds.map(({ wall: _wall, cpuMs: _cpu, ...row }) => row));
console.log(`bench simulator.node_100k_ms ${Math.round(best.wall)}`);
console.log(`bench simulator.node_100k_cpu_ms ${Math.round(best.cpuMs)}`);
console.log(`bench simulator.peak_mb ${Math.round(peakMb)}`);
