import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Graph } from '@nurtureflow/scenario';
import { arbitraryGraph, arbitraryValidGraph } from '@nurtureflow/scenario/testing';
import { advance, enter } from './engine.ts';
import { aLead, jst } from './testing/a-lead.ts';
import type { AdvanceResult, Effect, EnrollmentState, LeadEvent, LeadView, TraceEntry } from './types.ts';

const HOUR = 3_600_000;
const start = jst('2026-04-06T09:00');
const horizon = start + 120 * 24 * HOUR;

interface Outcome {
  state: EnrollmentState;
  effects: Effect[];
  trace: TraceEntry[];
  lead: LeadView;
  /** Stopped at ROWS history rows (a scenario polling every minute would run for ever). */
  truncated: boolean;
}

const ROWS = 3000;

/** Kinds the graph's waits listen for, plus a couple nobody does. */
function eventKinds(graph: Graph): string[] {
  const kinds = new Set(['email_opened', 'link_clicked']);
  for (const n of Object.values(graph.nodes)) if (n.kind === 'waitForEvent') kinds.add(n.event);
  return [...kinds];
}

const script = fc.record({
  events: fc.array(fc.record({ kindIndex: fc.nat(), afterHours: fc.integer({ min: 0, max: 60 * 24 }), template: fc.constantFrom('a', 'b') }), { maxLength: 8 }),
  lags: fc.array(fc.integer({ min: 0, max: 72 * HOUR }), { minLength: 1, maxLength: 8 }),
  lead: fc.record({ id: fc.constantFrom('L1', 'L2', 'L3'), score: fc.integer({ min: 0, max: 100 }), tags: fc.subarray(['vip', 'newsletter']) }),
});
type Script = typeof script extends fc.Arbitrary<infer S> ? S : never;

/**
 * Runs one enrollment: events at their own times; ticks when waits end, `lag(k)` late for the k-th
 * tick (0 for a runtime on time); a last tick at the horizon.
 */
function drive(graph: Graph, s: Script, lag: (k: number) => number, onAdvance?: (r: AdvanceResult) => void): Outcome {
  const kinds = eventKinds(graph);
  const events: LeadEvent[] = s.events
    // A few milliseconds past the hour, distinct per event: no event shares its instant with another
    // or with a deadline, where the order of the two would be a matter of choice.
    .map((e, i) => ({ id: `ev${i}`, kind: kinds[e.kindIndex % kinds.length]!, at: start + e.afterHours * HOUR + 1 + i, productLine: 'crm', scenarioId: graph.scenarioId, data: { template: e.template } }))
    .sort((a, b) => a.at - b.at);
  const trigger = Object.keys(graph.nodes).find((id) => graph.nodes[id]!.kind === 'trigger')!;
  let lead = aLead({ id: s.lead.id, score: s.lead.score, tags: s.lead.tags });
  let r = enter(graph, { enrollmentId: 'e1', lead, triggerNodeId: trigger, now: start });
  onAdvance?.(r);
  const effects = [...r.effects];
  const trace = [...r.trace];
  let state = r.state;
  lead = r.lead;
  let i = 0;
  let k = 0;
  let clock = start;
  while (trace.length < ROWS) {
    const until = state.status === 'waiting' ? (state.waiting?.until ?? null) : null;
    // A due wait is ticked again at once (a zero-length one is due the moment it starts).
    const tickAt = until === null ? Infinity : Math.max(until + lag(k), clock);
    const next = events[i];
    if (tickAt <= (next?.at ?? Infinity) && tickAt <= horizon) {
      r = advance(graph, state, { type: 'tick', now: tickAt }, lead);
      clock = tickAt;
      k++;
    } else if (next !== undefined && next.at <= horizon) {
      lead = { ...lead, recentEvents: [...lead.recentEvents, next] };
      r = advance(graph, state, { type: 'event', now: next.at, event: next }, lead);
      clock = Math.max(clock, next.at);
      i++;
    } else break;
    onAdvance?.(r);
    state = r.state;
    lead = r.lead;
    effects.push(...r.effects);
    trace.push(...r.trace);
  }
  while (trace.length < ROWS && state.status === 'waiting' && state.waiting?.until !== null && state.waiting!.until <= horizon) {
    r = advance(graph, state, { type: 'tick', now: horizon }, lead);
    onAdvance?.(r);
    state = r.state;
    lead = r.lead;
    effects.push(...r.effects);
    trace.push(...r.trace);
  }
  return { state, effects, trace, lead, truncated: trace.length >= ROWS };
}

describe('the engine, on generated scenarios', () => {
  it('is deterministic: the same inputs give deep-equal outputs', () => {
    fc.assert(
      fc.property(arbitraryValidGraph({ maxNodes: 20 }), script, (graph, s) => {
        expect(drive(graph, s, () => 0)).toEqual(drive(graph, s, () => 0));
      }),
      { numRuns: 150 },
    );
  });

  it('is lag independent: ticking late gives the same states, effects and history as ticking on time', () => {
    fc.assert(
      fc.property(arbitraryValidGraph({ maxNodes: 20 }), script, (graph, s) => {
        const onTime = drive(graph, s, () => 0);
        const late = drive(graph, s, (k) => s.lags[k % s.lags.length]!);
        if (!onTime.truncated && !late.truncated) {
          expect(late.state).toEqual(onTime.state);
          expect(late.effects).toEqual(onTime.effects);
          expect(late.trace).toEqual(onTime.trace);
          return;
        }
        // A scenario that runs for ever: the same history as far as both got, with the same effects.
        const rows = Math.min(onTime.trace.length, late.trace.length);
        const upTo = (o: Outcome) => o.effects.filter((e) => Number(e.key.split(':')[1]) <= rows);
        expect(late.trace.slice(0, rows)).toEqual(onTime.trace.slice(0, rows));
        expect(upTo(late)).toEqual(upTo(onTime));
      }),
      { numRuns: 200 },
    );
  });

  it('gives every effect of an enrollment its own key', () => {
    fc.assert(
      fc.property(arbitraryValidGraph({ maxNodes: 20 }), script, (graph, s) => {
        const keys = drive(graph, s, () => 0).effects.map((e) => e.key);
        expect(new Set(keys).size).toBe(keys.length);
      }),
      { numRuns: 100 },
    );
  });

  it('writes the history row of every effect in the advance that emits it, so the effect happens at the time of that row', () => {
    fc.assert(
      fc.property(arbitraryValidGraph({ maxNodes: 20 }), script, (graph, s) => {
        drive(graph, s, (k) => s.lags[k % s.lags.length]!, (r) => {
          // Keys are `${enrollment}:${row seq}:${n}`; the enrollment here is 'e1'.
          for (const e of r.effects) expect(r.trace.map((t) => t.seq)).toContain(Number(e.key.split(':')[1]));
        });
      }),
      { numRuns: 150 },
    );
  });

  it('never throws, whatever the graph, and ends every failure with a reason', () => {
    fc.assert(
      fc.property(arbitraryGraph({ maxNodes: 15 }), script, (graph, s) => {
        if (!Object.values(graph.nodes).some((n) => n.kind === 'trigger')) return;
        const { state, trace } = drive(graph, s, (k) => s.lags[k % s.lags.length]!);
        if (state.status === 'failed') expect(['missingNode', 'loopGuard']).toContain(trace.at(-1)?.reason.code);
      }),
      { numRuns: 150 },
    );
  });
});
