import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CALL_OUTCOMES, validate, type Graph } from '@nurtureflow/scenario';
import { arbitraryGraph, arbitraryValidGraph } from '@nurtureflow/scenario/testing';
import { advance, enter } from './index.ts';
import type { AdvanceResult, EngineContext, EnrollmentState, LeadEvent, LeadView } from './types.ts';

const T0 = Date.parse('2026-04-06T09:00:00+09:00');

const lead = (id: string): LeadView => ({
  id,
  attributes: { industry: 'manufacturing', employees: 120 },
  tags: [],
  products: {},
  unsubscribedAll: false,
  recentEvents: [],
  messages: [],
});

/** Drive one enrollment for a while: wake it when due, or answer what it waits for. */
function drive(graph: Graph, first: AdvanceResult, choices: number[], ctx: EngineContext = {}): AdvanceResult[] {
  const results = [first];
  let state: EnrollmentState = first.state;
  let view = first.lead;
  for (const [i, choice] of choices.entries()) {
    if (state.status !== 'waiting' || !state.waiting) break;
    const w = state.waiting;
    const now = Math.max(state.nodeEnteredAt, T0) + 3_600_000 * (i + 1);
    let r: AdvanceResult;
    if (w.events.length > 0 && (choice % 3 !== 0 || w.until === null)) {
      const kind = w.events[choice % w.events.length]!;
      const event: LeadEvent = {
        id: `e${i}`,
        kind,
        at: w.until === null ? now : Math.min(now, w.until - 1),
        productLine: graph.productLine,
        scenarioId: graph.scenarioId,
        effectKey: state.pendingKey,
        data: { outcome: CALL_OUTCOMES[choice % CALL_OUTCOMES.length]! },
      };
      r = advance(graph, state, { type: 'event', now: Math.max(now, event.at), event }, view, ctx);
    } else {
      r = advance(graph, state, { type: 'tick', now: w.until! }, view, ctx);
    }
    results.push(r);
    state = r.state;
    view = r.lead;
  }
  return results;
}

describe('random graphs', () => {
  it('a graph that passes validate never crashes the engine and never loops without a wait', () => {
    fc.assert(
      fc.property(arbitraryValidGraph({ maxNodes: 20 }), fc.array(fc.nat(), { maxLength: 30 }), (graph, choices) => {
        expect(validate(graph).filter((p) => p.severity === 'error')).toEqual([]);
        const nodeCount = Object.keys(graph.nodes).length;
        for (const [id, node] of Object.entries(graph.nodes)) {
          if (node.kind !== 'trigger') continue;
          const first = enter(graph, { enrollmentId: `e-${id}`, lead: lead('L1'), triggerNodeId: id, now: T0 });
          for (const r of drive(graph, first, choices)) {
            // Without a wait no node can come round again within one advance.
            expect(r.transitions).toBeLessThanOrEqual(nodeCount);
            expect(r.state.status).not.toBe('failed');
            expect(r.state.seq).toBeGreaterThanOrEqual(0);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('any schema-valid graph, even a broken one, is answered with a state, never an exception', () => {
    fc.assert(
      fc.property(arbitraryGraph({ maxNodes: 15 }), fc.array(fc.nat(), { maxLength: 10 }), (graph, choices) => {
        for (const [id, node] of Object.entries(graph.nodes)) {
          if (node.kind !== 'trigger') continue;
          const ctx = { maxTransitions: 200 };
          const first = enter(graph, { enrollmentId: `e-${id}`, lead: lead('L2'), triggerNodeId: id, now: T0 }, ctx);
          for (const r of drive(graph, first, choices, ctx)) {
            expect(['active', 'waiting', 'completed', 'exited', 'failed']).toContain(r.state.status);
            expect(r.transitions).toBeLessThanOrEqual(200);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
