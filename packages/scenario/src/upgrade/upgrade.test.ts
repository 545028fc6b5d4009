import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Condition, Duration } from '../common.ts';
import { FORMAT, type Graph } from '../graph.ts';
import { arbitraryValidGraph } from '../testing/arbitrary.ts';
import { aGraph, dur } from '../testing/builder.ts';
import { validate } from '../validate/index.ts';
import { upgrade, type GraphV0, type NodeV0 } from './index.ts';

/** The welcome journey as the version 0 importer wrote it. */
const welcomeV0: GraphV0 = {
  format: FORMAT,
  formatVersion: 0,
  productLine: 'crm',
  scenarioId: 'welcome',
  version: 3,
  name: 'Welcome',
  settings: { tz: 'America/New_York', horizonDays: 200 },
  entry: { reEntry: { mode: 'after', period: { days: 30 } } },
  goals: [{ id: 'won', condition: { type: 'event', event: 'purchased', within: { weeks: 12 }, op: 'atLeast' } }],
  nodes: [
    { id: 't', type: 'trigger', trigger: { type: 'event', event: 'form_submitted' }, next: 'm', position: { x: 0, y: 0 } },
    { id: 'm', type: 'email', label: 'Welcome mail', template: 'welcome', next: { sent: 'w', skipped: 'x' }, position: { x: 300, y: 0 } },
    { id: 'w', type: 'wait', wait: { businessDays: 2 }, next: { next: 'o' } },
    { id: 'o', type: 'waitEvent', event: 'email_opened', timeout: { days: 5 }, next: { event: 'c', timeout: 'b' } },
    { id: 'c', type: 'call', dueIn: { hours: 4 }, retryInterval: { businessDays: 1 }, next: { connected: 'x', noAnswer: 'x', appointment: 'x', refused: 'x' } },
    {
      id: 'b',
      type: 'branch',
      cases: [{ id: 'active', condition: { all: [{ type: 'event', event: 'link_clicked', within: { days: 14 }, op: 'atLeast' }] } }],
      next: { active: 'd', default: 'x' },
    },
    { id: 'd', type: 'dm', template: 'catalogue', landingUrl: 'https://example.com/catalogue', next: 'u' },
    { id: 'u', type: 'wait', wait: { until: '09:00', businessDaysOnly: true }, next: 'x' },
    { id: 'x', type: 'exit' },
  ],
};

describe('upgrade from format version 0', () => {
  it('gives a version 1 graph that validates with no problems', () => {
    const r = upgrade(welcomeV0);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.from).toBe(0);
    expect(r.graph.formatVersion).toBe(1);
    expect(validate(r.graph)).toEqual([]);
  });

  it('turns the node list into a map, type into kind (with the renamed kinds), next into outputs and label into name', () => {
    const r = upgrade(welcomeV0);
    if (!r.ok) throw new Error('expected an upgrade');
    expect(Object.keys(r.graph.nodes)).toEqual(['t', 'm', 'w', 'o', 'c', 'b', 'd', 'u', 'x']);
    expect(r.graph.nodes['m']).toEqual({ kind: 'email', name: 'Welcome mail', template: 'welcome', outputs: { sent: 'w', skipped: 'x' } });
    expect(r.graph.nodes['t']?.outputs).toEqual({ next: 'm' });
    expect([r.graph.nodes['c']?.kind, r.graph.nodes['o']?.kind, r.graph.nodes['d']?.kind]).toEqual(['callTask', 'waitForEvent', 'directMail']);
    expect(r.graph.nodes['x']).toEqual({ kind: 'exit', outputs: {} });
  });

  it('rewrites every duration, including waits, re-entry periods and event windows in conditions', () => {
    const r = upgrade(welcomeV0);
    if (!r.ok) throw new Error('expected an upgrade');
    const { nodes } = r.graph;
    expect(nodes['w']).toMatchObject({ wait: { mode: 'for', duration: { amount: 2, unit: 'businessDays' } } });
    expect(nodes['u']).toMatchObject({ wait: { mode: 'until', time: '09:00', businessDaysOnly: true } });
    expect(nodes['o']).toMatchObject({ timeout: { amount: 5, unit: 'days' } });
    expect(nodes['c']).toMatchObject({ dueIn: { amount: 4, unit: 'hours' }, retryInterval: { amount: 1, unit: 'businessDays' } });
    expect(nodes['b']).toMatchObject({ cases: [{ condition: { all: [{ within: { amount: 14, unit: 'days' } }] } }] });
    expect(r.graph.entry).toEqual({ reEntry: { mode: 'after', period: { amount: 30, unit: 'days' } } });
    expect(r.graph.goals?.[0]?.condition).toMatchObject({ within: { amount: 12, unit: 'weeks' } });
  });

  it('moves settings.tz to settings.timezone and node positions to the layout', () => {
    const r = upgrade(welcomeV0);
    if (!r.ok) throw new Error('expected an upgrade');
    expect(r.graph.settings).toEqual({ timezone: 'America/New_York', horizonDays: 200 });
    expect(r.graph.layout).toEqual({ t: { x: 0, y: 0 }, m: { x: 300, y: 0 } });
  });

  it('a version 0 document whose nodes are not a list cannot be upgraded (SCN001)', () => {
    const r = upgrade({ ...welcomeV0, nodes: {} });
    expect(r.ok ? [] : r.problems.map((p) => [p.code, p.field])).toEqual([['SCN001', 'nodes']]);
  });

  it('a version 0 node without an id, or two nodes with one id, cannot be upgraded', () => {
    const nodes = [...welcomeV0.nodes, { type: 'exit' } as NodeV0, { id: 'x', type: 'exit' }];
    const r = upgrade({ ...welcomeV0, nodes });
    expect(r.ok ? [] : r.problems.map((p) => [p.code, p.nodeId, p.field])).toEqual([
      ['SCN001', null, 'nodes.9.id'],
      ['SCN011', 'x', 'nodes.10.id'],
    ]);
  });

  it('what version 1 does not accept is carried over for validate to report', () => {
    const nodes = welcomeV0.nodes.map((n) => (n.id === 'w' ? { ...n, wait: { fortnights: 1 } } : n));
    const r = upgrade({ ...welcomeV0, nodes });
    if (!r.ok) throw new Error('expected an upgrade');
    expect(validate(r.graph).map((p) => [p.code, p.nodeId, p.field])).toEqual([
      ['SCN001', 'w', 'wait.duration.amount'],
      ['SCN001', 'w', 'wait.duration.unit'],
    ]);
  });
});

describe('upgrade of other documents', () => {
  it('a version 1 graph passes through unchanged', () => {
    const g = aGraph().trigger('t').wait('w', dur(3)).exit('x').input();
    const r = upgrade(g);
    expect(r).toEqual({ ok: true, graph: g, from: 1 });
  });

  it('a document from a newer release, another format or no format at all is SCN019', () => {
    for (const doc of [{ ...welcomeV0, formatVersion: 2 }, { ...welcomeV0, formatVersion: -1 }, { ...welcomeV0, format: 'other' }, [], 'x', null]) {
      const r = upgrade(doc);
      expect(r.ok ? [] : r.problems.map((p) => p.code)).toEqual(['SCN019']);
    }
  });
});

// Writes a graph the way version 0 did, to check upgrade undoes exactly that.
function toV0(g: Graph): GraphV0 {
  const d0 = (d: Duration) => ({ [d.unit]: d.amount });
  const c0 = (c: Condition): unknown =>
    'all' in c ? { all: c.all.map(c0) } : 'any' in c ? { any: c.any.map(c0) } : 'not' in c ? { not: c0(c.not) } : c.type === 'event' ? { ...c, within: d0(c.within) } : c;
  const renames: Record<string, string> = { callTask: 'call', directMail: 'dm', waitForEvent: 'waitEvent' };
  const nodes = Object.entries(g.nodes).map(([id, n]): NodeV0 => {
    const { kind, outputs, name, ...fields } = n as typeof n & { name?: string };
    const f: Record<string, unknown> = { ...fields };
    for (const key of ['timeout', 'dueIn', 'retryInterval', 'responseTimeout']) if (key in f) f[key] = d0(f[key] as Duration);
    if (n.kind === 'wait') f.wait = n.wait.mode === 'for' ? d0(n.wait.duration) : { until: n.wait.time, businessDaysOnly: n.wait.businessDaysOnly };
    if (n.kind === 'branch') f.cases = n.cases.map((c) => ({ ...c, condition: c0(c.condition) }));
    if (n.kind === 'trigger' && 'condition' in n.trigger && n.trigger.condition) f.trigger = { ...n.trigger, condition: c0(n.trigger.condition) };
    const position = g.layout[id];
    return { id, type: renames[kind] ?? kind, ...(name !== undefined ? { label: name } : {}), ...f, next: outputs, ...(position ? { position } : {}) };
  });
  const { timezone, ...settings } = g.settings;
  const { reEntry, audience, ...entry } = g.entry;
  return {
    ...g,
    formatVersion: 0,
    settings: { ...settings, tz: timezone },
    entry: { ...entry, ...(audience ? { audience: c0(audience) } : {}), reEntry: reEntry.mode === 'after' ? { ...reEntry, period: d0(reEntry.period) } : reEntry },
    goals: g.goals.map((goal) => ({ ...goal, condition: c0(goal.condition) })),
    nodes,
  } as unknown as GraphV0;
}

describe('upgrade, property', () => {
  it('any valid graph written as version 0 upgrades back to the same graph', () => {
    fc.assert(
      fc.property(arbitraryValidGraph(), (g) => {
        const r = upgrade(toV0(g));
        expect(r.ok && r.graph).toStrictEqual(g);
      }),
      { numRuns: 100 },
    );
  });
});
