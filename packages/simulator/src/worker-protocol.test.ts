import { aGraph, dur } from '@nurtureflow/scenario/testing';
import { describe, expect, it } from 'vitest';
import { generateLeads } from './leads/generate.ts';
import { simulate } from './simulate.ts';
import { serveSimulations, type SimulationResponse } from './worker-protocol.ts';

const START = '2026-04-06T09:00:00+09:00';
const graph = aGraph({ productLine: 'crm', scenarioId: 'w' }).trigger('t', { type: 'import' }).email('m1', 'welcome').exit('x').connect('m1', 'skipped', 'x').input();

/** A worker scope in the test's own thread. */
function fakeWorker() {
  const sent: SimulationResponse[] = [];
  let listener: ((e: { data: unknown }) => void) | undefined;
  serveSimulations({ postMessage: (m) => sent.push(m), addEventListener: (_t, l) => (listener = l) });
  return { sent, post: (data: unknown) => listener!({ data }) };
}

describe('a simulation worker', () => {
  it('reports progress, then the same report simulate gives', () => {
    const w = fakeWorker();
    const input = { graph, leads: generateLeads(4_500, { seed: 2 }), behaviour: {}, start: START, days: 7 };
    w.post({ type: 'simulate', id: 7, input });
    expect(w.sent.filter((m) => m.type === 'progress').map((m) => (m.type === 'progress' ? m.done : 0))).toEqual([2_000, 4_000, 4_500]);
    const last = w.sent.at(-1)!;
    expect(last.type).toBe('report');
    if (last.type === 'report') expect(last.report).toEqual(simulate(input));
  });

  it('answers a broken graph with its problems, naming node and field', () => {
    const w = fakeWorker();
    const broken = aGraph({ scenarioId: 'b' }).trigger('t').waitForEvent('w', 'email_opened', dur(3)).input();
    w.post({ type: 'simulate', id: 1, input: { graph: broken, leads: [], behaviour: {}, start: START, days: 1 } });
    expect(w.sent).toEqual([{ type: 'error', id: 1, message: expect.stringContaining('SCN003'), issues: expect.arrayContaining([{ path: 'nodes.w.outputs.timeout', message: expect.stringMatching(/^SCN003: /) }]) }]);
  });
});
