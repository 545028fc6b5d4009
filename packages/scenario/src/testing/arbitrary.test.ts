import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { graphSchema } from '../graph.ts';
import { NODE_KIND_NAMES } from '../nodes/index.ts';
import { parseGraph, validate } from '../validate/index.ts';
import { arbitraryGraph, arbitraryValidGraph } from './arbitrary.ts';

const errorsOf = (g: unknown) => validate(g).filter((p) => p.severity === 'error');

describe('arbitraryValidGraph', () => {
  it('always yields graphs with zero error problems', () => {
    fc.assert(
      fc.property(arbitraryValidGraph(), (g) => {
        expect(errorsOf(g)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('over many runs uses every node kind, loops through waits, and graphs of up to 30 nodes', () => {
    const graphs = fc.sample(arbitraryValidGraph(), { numRuns: 300, seed: 42 });
    const kinds = new Set(graphs.flatMap((g) => Object.values(g.nodes).map((n) => n.kind)));
    expect([...kinds].sort()).toEqual([...NODE_KIND_NAMES].sort());
    const sizes = graphs.map((g) => Object.keys(g.nodes).length);
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(30);
    const sources = new Set(graphs.flatMap((g) => Object.values(g.nodes).flatMap((n) => (n.kind === 'trigger' ? [n.trigger.type] : []))));
    expect(sources.size).toBe(7);
    const backEdges = graphs.filter((g) => Object.values(g.nodes).some((n) => Object.values(n.outputs).some((to) => to !== null && ['wait', 'waitForEvent', 'callTask', 'handoff'].includes(g.nodes[to]?.kind ?? '') && Object.keys(g.nodes).indexOf(to) <= Object.values(g.nodes).indexOf(n))));
    expect(backEdges.length).toBeGreaterThan(0);
  });

  it('respects a smaller size limit', () => {
    fc.assert(fc.property(arbitraryValidGraph({ maxNodes: 5 }), (g) => Object.keys(g.nodes).length <= 5), { numRuns: 100 });
  });
});

describe('arbitraryGraph', () => {
  it('always matches the format: parsing it again changes nothing', () => {
    fc.assert(
      fc.property(arbitraryGraph(), (g) => {
        expect(graphSchema.parse(g)).toEqual(g);
        expect(parseGraph(g).ok).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('is often wrong in structure, and in many different ways', () => {
    const graphs = fc.sample(arbitraryGraph(), { numRuns: 300, seed: 7 });
    const codes = new Set(graphs.flatMap((g) => validate(g).map((p) => p.code)));
    expect(graphs.filter((g) => errorsOf(g).length > 0).length).toBeGreaterThan(150);
    for (const code of ['SCN002', 'SCN003', 'SCN004', 'SCN005', 'SCN006', 'SCN007', 'SCN010', 'SCN011', 'SCN012', 'SCN013', 'SCN014', 'SCN015', 'SCN017', 'SCN018']) {
      expect(codes).toContain(code);
    }
  });
});
