import { describe, expect, it } from 'vitest';
import { diffNodes } from './diff.ts';
import { parseGraph } from './validate/index.ts';
import { aGraph, dur } from './testing/index.ts';

describe('publish diff', () => {
  it('names the nodes added, removed and changed; an output left empty is no change', () => {
    const before = aGraph().trigger('t').email('m', 'welcome').exit('x').build();
    const after = aGraph().trigger('t').email('m', 'reminder').wait('w', dur(2)).exit('y').build();
    expect(diffNodes(before.nodes, after.nodes)).toEqual({ added: ['w', 'y'], removed: ['x'], changed: ['m'] });
    const parsed = parseGraph({ ...before, nodes: { ...before.nodes, x: { ...before.nodes['x'], outputs: {} } } });
    expect(parsed.ok && diffNodes(before.nodes, parsed.graph.nodes)).toEqual({ added: [], removed: [], changed: [] });
  });

  it('a graph against itself, or against nothing, is all unchanged or all added', () => {
    const g = aGraph().trigger('t').email('m', 'welcome').exit('x').build();
    expect(diffNodes(g.nodes, g.nodes)).toEqual({ added: [], removed: [], changed: [] });
    expect(diffNodes({}, g.nodes)).toEqual({ added: ['m', 't', 'x'], removed: [], changed: [] });
  });
});
