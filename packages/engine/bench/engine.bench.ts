/**
 * Engine throughput: many leads through a 20-node scenario (branches, a split, score and update
 * nodes, e-mails under quiet hours and caps, waits in days and business days, a wait for an open)
 * to completion, alternating ticks and events as the runtime would. Prints a table and
 * `bench engine.transitions_per_s <n>` (node transitions per second on one core).
 */
import { scoringSchema } from '@nurtureflow/scenario';
import { aGraph, dur } from '../../scenario/src/testing/builder.ts';
import { advance, enter } from '../src/index.ts';
import type { EngineContext, LeadEvent, LeadView } from '../src/index.ts';

const graph = aGraph({ productLine: 'crm', scenarioId: 'bench-nurture', name: 'Bench nurture' })
  .with({
    settings: {
      timezone: 'Asia/Tokyo',
      quietHours: { start: '20:00', end: '08:00', includeNonBusinessDays: false },
      frequencyCaps: { perDay: 1, perWeek: 10 },
    },
  })
  .trigger('t', { type: 'event', event: 'form_submitted' })
  .score('s0', 10, 'form')
  .email('m1', 'welcome')
  .waitForEvent('w1', 'email_opened', dur(3, 'days'))
  .score('s1', 5, 'opened')
  .branch('b1', [
    { id: 'engaged', condition: { type: 'event', event: 'email_opened', within: dur(7, 'days'), op: 'atLeast', count: 1, filters: [] } },
    { id: 'ranked', condition: { type: 'rank', op: 'in', ranks: ['A', 'B'] } },
  ])
  .split('sp1', [
    { id: 'a', weight: 50 },
    { id: 'b', weight: 50 },
  ])
  .email('m3a', 'case-study-a')
  .wait('wt2', dur(2, 'businessDays'))
  .branch('b2', [{ id: 'warm', condition: { all: [{ type: 'score', op: 'gte', value: 30 }, { type: 'tag', op: 'hasNot', tag: 'cold' }] } }])
  .score('s2', 20, 'warm')
  .goal('g1', 'warm')
  .exit('x1')
  .from('b2', 'default')
  .waitUntil('wu', '09:00', true)
  .exit('x2')
  .from('w1', 'timeout')
  .email('m2', 'reminder')
  .connect('m2', 'sent', 'b1')
  .from('sp1', 'b')
  .email('m3b', 'case-study-b')
  .connect('m3b', 'sent', 'wt2')
  .from('b1', 'ranked')
  .update('u1', [{ op: 'addTag', tag: 'ranked' }])
  .connect('u1', 'next', 'wt2')
  .from('b1', 'default')
  .wait('wt1', dur(1, 'days'))
  .email('m4', 'newsletter')
  .connect('m4', 'sent', 'wt2')
  .build();

const ctx: EngineContext = { scoring: { crm: scoringSchema.parse({}) }, globalCaps: { perDay: 5 } };
const DAY = 86_400_000;
const T0 = Date.parse('2026-04-06T09:00:00+09:00');

function leadFor(i: number): LeadView {
  const score = (i * 37) % 90;
  return {
    id: `lead-${i}`,
    attributes: { company: `会社${i}`, employees: (i * 13) % 500 },
    tags: i % 7 === 0 ? ['cold'] : [],
    products: { crm: { score, rank: score >= 80 ? 'A' : score >= 50 ? 'B' : score >= 20 ? 'C' : 'D', stage: 'prospect', hot: false, unsubscribed: false } },
    unsubscribedAll: false,
    recentEvents: [],
    messages: [],
  };
}

/** One lead from entry to the end; returns [advances, transitions]. */
function runLead(i: number): [number, number] {
  let lead = leadFor(i);
  // Leads arrive around the clock, so some land in quiet hours.
  const at = T0 + ((i * 7919) % (7 * 24 * 60)) * 60_000;
  let r = enter(graph, { enrollmentId: `e-${i}`, lead, triggerNodeId: 't', now: at }, ctx);
  let advances = 1;
  let transitions = r.transitions;
  const opens = i % 3 !== 0;
  while (r.state.status === 'waiting') {
    const s = r.state;
    lead = r.lead;
    if (s.nodeId === 'w1' && opens) {
      const event: LeadEvent = { id: `open-${i}-${s.seq}`, kind: 'email_opened', at: s.nodeEnteredAt + DAY / 2, productLine: 'crm', data: {} };
      lead = { ...lead, recentEvents: [...lead.recentEvents, event] };
      r = advance(graph, s, { type: 'event', now: event.at, event }, lead, ctx);
    } else {
      r = advance(graph, s, { type: 'tick', now: s.waiting!.until! }, lead, ctx);
    }
    advances++;
    transitions += r.transitions;
  }
  return [advances, transitions];
}

function round(leads: number): { advances: number; transitions: number; ms: number } {
  let advances = 0;
  let transitions = 0;
  const t = performance.now();
  for (let i = 0; i < leads; i++) {
    const [a, n] = runLead(i);
    advances += a;
    transitions += n;
  }
  return { advances, transitions, ms: performance.now() - t };
}

const nodes = Object.keys(graph.nodes).length;
round(20_000); // warm-up: JIT and the calendar caches
const rounds = [round(100_000), round(100_000), round(100_000)];
const best = rounds.reduce((a, b) => (b.transitions / b.ms > a.transitions / a.ms ? b : a));
const perSecond = Math.round((best.transitions / best.ms) * 1000);

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`engine: ${nodes}-node scenario, 100,000 leads to completion per round (best of ${rounds.length})`);
console.table(
  rounds.map((r, i) => ({
    round: i + 1,
    advances: fmt(r.advances),
    transitions: fmt(r.transitions),
    'ms': fmt(r.ms),
    'transitions/s': fmt((r.transitions / r.ms) * 1000),
    'advances/s': fmt((r.advances / r.ms) * 1000),
    'µs/advance': ((r.ms * 1000) / r.advances).toFixed(2),
  })),
);
console.log(`bench engine.transitions_per_s ${perSecond}`);
