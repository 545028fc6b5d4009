import { validate } from '@nurtureflow/scenario';
import { nurtureScenarioInput, NURTURE_PRODUCT_LINE } from './src/testing/nurture-scenario.ts';
import { generateLeads } from './src/leads/generate.ts';
import { simulate } from './src/simulate.ts';
const g = nurtureScenarioInput();
console.log(Object.keys(g.nodes).length, validate(g).map(p => `${p.severity} ${p.code} ${p.nodeId} ${p.field}`));
const N = Number(process.argv[2] ?? 10000);
const leads = generateLeads(N, { seed: 1, productLine: 'crm' });
for (let i = 0; i < 2; i++) {
const t = performance.now();
const r = simulate({ graph: g, productLines: { crm: NURTURE_PRODUCT_LINE.settings }, leads, behaviour: { arrival: { days: 30 } }, start: '2026-04-06T09:00:00+09:00', days: 90, seed: 1, trace: ['lead-00001'.padEnd(0)].filter(x => leads.some(l => l.id === x)) });
console.log('ms', performance.now() - t, 'rss', process.memoryUsage().rss / 1e6);
if (i === 1) { console.log(JSON.stringify({ kpis: r.kpis, nodes: r.scenarios[0].nodes.map(n => [n.id, n.entered, n.there, n.timeInNode?.p50Ms]), personas: r.personas, fatigue: { ...r.fatigue, warnings: r.fatigue.warnings.length }, messages: r.messages, stuck: r.scenarios[0].stuck, enr: r.scenarios[0].enrollments, hot: r.hot.leads, standings: r.standings }, null, 0)); }
}
