import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitraryGraph, arbitraryValidGraph } from '../testing/arbitrary.ts';
import { aGraph, dur, ev } from '../testing/builder.ts';
import { COLUMN_WIDTH, ROW_HEIGHT } from './auto-layout.ts';
import { compile } from './compile.ts';
import { decompile } from './decompile.ts';
import { editorDocumentSchema, parseEditorDocument, type EditorDocument } from './document.ts';

const codes = (problems: { code: string; nodeId: string | null; field: string }[]) => problems.map((p) => `${p.code} ${p.nodeId ?? '-'} ${p.field}`);

/** A small drawing as the canvas holds it. */
function drawing(): EditorDocument {
  return decompile(aGraph().trigger('t', ev('form_submitted')).email('m', 'welcome').exit('x').connect('m', 'skipped', 'x').build());
}

describe('decompile', () => {
  it('gives a React Flow node per node with the kind as type and the fields as data', () => {
    const doc = decompile(aGraph().trigger('t').email('m', 'welcome', { subject: 'Hello' }).exit('x').build());
    expect(doc.nodes.map((n) => [n.id, n.type])).toEqual([['t', 'trigger'], ['m', 'email'], ['x', 'exit']]);
    expect(doc.nodes[1]?.data).toEqual({ template: 'welcome', subject: 'Hello', onCap: 'defer', respectQuietHours: true });
  });

  it('gives an edge per connected output, with the output as source handle and a deterministic id', () => {
    const doc = drawing();
    expect(doc.edges).toEqual([
      { id: 't:next', source: 't', sourceHandle: 'next', target: 'm' },
      { id: 'm:sent', source: 'm', sourceHandle: 'sent', target: 'x' },
      { id: 'm:skipped', source: 'm', sourceHandle: 'skipped', target: 'x' },
    ]);
  });

  it('uses the layout for positions and places nodes without one a column per step from the trigger', () => {
    const doc = decompile(aGraph().trigger('t').email('m', 'w').exit('x').with({ layout: { t: { x: 10, y: 20 } } }).build());
    expect(doc.nodes.map((n) => [n.id, n.position, n.autoPlaced ?? false])).toEqual([
      ['t', { x: 10, y: 20 }, false],
      ['m', { x: 10 + COLUMN_WIDTH + COLUMN_WIDTH, y: 20 }, true],
      ['x', { x: 10 + COLUMN_WIDTH + 2 * COLUMN_WIDTH, y: 20 }, true],
    ]);
  });

  it('places the nodes of a graph without layout the same way every time, branches one row apart', () => {
    const g = aGraph().trigger('t').split('s', [{ id: 'A', weight: 1 }, { id: 'B', weight: 1 }]).exit('a').from('s', 'B').exit('b').build();
    const doc = decompile(g);
    expect(doc).toEqual(decompile(g));
    expect(Object.fromEntries(doc.nodes.map((n) => [n.id, n.position]))).toEqual({
      t: { x: 0, y: 0 },
      s: { x: COLUMN_WIDTH, y: 0 },
      a: { x: 2 * COLUMN_WIDTH, y: 0 },
      b: { x: 2 * COLUMN_WIDTH, y: ROW_HEIGHT },
    });
  });

  it('gives a document the editor document schema accepts', () => {
    expect(editorDocumentSchema.safeParse(drawing()).success).toBe(true);
  });
});

describe('compile', () => {
  it('turns edges into outputs, and leaves auto-placed nodes that stayed put out of the layout', () => {
    const { graph, problems } = compile(drawing());
    expect(problems).toEqual([]);
    expect(graph.nodes['m']?.outputs).toEqual({ sent: 'x', skipped: 'x' });
    expect(graph.layout).toEqual({});
  });

  it('once one node is placed by hand, the others are kept where the marketer saw them', () => {
    const doc = drawing();
    doc.nodes[0] = { ...(doc.nodes[0] as EditorDocument['nodes'][number]), position: { x: 5, y: 5 }, autoPlaced: false };
    expect(compile(doc).graph.layout).toEqual({ t: { x: 5, y: 5 }, m: { x: COLUMN_WIDTH, y: 0 }, x: { x: 2 * COLUMN_WIDTH, y: 0 } });
  });

  it('an auto-placed node the marketer moved keeps its new position', () => {
    const doc = drawing();
    const m = doc.nodes[1] as EditorDocument['nodes'][number];
    doc.nodes[1] = { ...m, position: { x: m.position.x + 40, y: m.position.y } };
    expect(compile(doc).graph.layout).toEqual({ m: { x: m.position.x + 40, y: m.position.y } });
  });

  it('ignores what React Flow adds to nodes and edges', () => {
    const doc = drawing();
    const withExtras = {
      ...doc,
      nodes: doc.nodes.map((n) => ({ ...n, width: 180, height: 60, selected: true, measured: { width: 180, height: 60 }, dragging: false })),
      edges: doc.edges.map((e) => ({ ...e, targetHandle: null, animated: true })),
    };
    expect(compile(withExtras).graph).toEqual(compile(doc).graph);
  });

  it('two nodes with the same id are SCN011 and only the first is kept', () => {
    const doc = drawing();
    doc.nodes.push({ ...(doc.nodes[2] as EditorDocument['nodes'][number]), type: 'score', data: { points: 5 } });
    const { graph, problems } = compile(doc);
    expect(codes(problems)).toEqual(['SCN011 x id']);
    expect(graph.nodes['x']?.kind).toBe('exit');
  });

  it('an edge from a node that is not on the canvas is SCN021 and ignored', () => {
    const doc = drawing();
    doc.edges.push({ id: 'ghost:next', source: 'ghost', sourceHandle: 'next', target: 'x' });
    expect(codes(compile(doc).problems)).toEqual(['SCN021 - edges.3.source']);
  });

  it('an edge from a handle the node does not have reaches the graph and is reported as SCN005', () => {
    const doc = drawing();
    doc.edges.push({ id: 'm:opened', source: 'm', sourceHandle: 'opened', target: 'x' });
    const { graph, problems } = compile(doc);
    expect(graph.nodes['m']?.outputs).toMatchObject({ opened: 'x' });
    expect(codes(problems)).toEqual(['SCN005 m outputs.opened']);
  });

  it('two edges from the same output are SCN020; the first is kept', () => {
    const doc = drawing();
    doc.edges.push({ id: 'extra', source: 't', sourceHandle: 'next', target: 'x' });
    const { graph, problems } = compile(doc);
    expect(codes(problems)).toEqual(['SCN020 t outputs.next']);
    expect(graph.nodes['t']?.outputs).toEqual({ next: 'm' });
  });

  it('an edge without a handle leaves the only output of its node, and is SCN005 when the node has several', () => {
    const doc = drawing();
    doc.edges = doc.edges.map((e) => {
      const { sourceHandle: _, ...rest } = e;
      return rest;
    });
    const { graph, problems } = compile(doc);
    expect(graph.nodes['t']?.outputs).toEqual({ next: 'm' });
    expect(codes(problems)).toEqual(['SCN003 m outputs.sent', 'SCN005 m outputs', 'SCN005 m outputs', 'SCN014 m outputs.skipped', 'SCN006 x ']);
  });

  it('two edges with the same id are SCN011 on the edge', () => {
    const doc = drawing();
    doc.edges.push({ ...(doc.edges[0] as EditorDocument['edges'][number]), sourceHandle: 'other' });
    expect(codes(compile(doc).problems)).toContain('SCN011 - edges.3.id');
  });

  it('also reports what validate finds in the compiled graph, against the given references', () => {
    const doc = decompile(aGraph().trigger('t').waitForEvent('w', 'email_opened', dur(3)).exit('x').build());
    expect(codes(compile(doc, { templates: [] }).problems)).toEqual(['SCN003 w outputs.timeout']);
  });
});

describe('parseEditorDocument', () => {
  it('accepts a document from the canvas and fills in defaults', () => {
    const { settings: _, ...doc } = drawing();
    const r = parseEditorDocument(doc);
    expect(r.ok && r.doc.settings.timezone).toBe('Asia/Tokyo');
  });

  it('names the bad field of a broken document', () => {
    const doc = { ...drawing(), edges: [{ id: 1 }] };
    const r = parseEditorDocument(doc);
    expect(r.ok ? [] : codes(r.problems)).toEqual(['SCN001 - edges.0.id', 'SCN001 - edges.0.source', 'SCN001 - edges.0.target']);
  });

  it('rejects a document of another format version as SCN019', () => {
    const r = parseEditorDocument({ ...drawing(), formatVersion: 0 });
    expect(r.ok ? [] : codes(r.problems)).toEqual(['SCN019 - formatVersion']);
  });
});

describe('round trip', () => {
  it('decompile then compile gives back exactly the same graph, layout included', () => {
    fc.assert(
      fc.property(arbitraryGraph(), (graph) => {
        expect(compile(decompile(graph)).graph).toStrictEqual(graph);
      }),
      { numRuns: 200 },
    );
  });

  it('a valid graph comes back with no errors from the drawing itself', () => {
    fc.assert(
      fc.property(arbitraryValidGraph(), (graph) => {
        expect(compile(decompile(graph)).problems.filter((p) => p.severity === 'error')).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('graphs with explicitly empty outputs and no layout survive the round trip', () => {
    const graph = aGraph().trigger('t').email('m', 'w').exit('x').connect('m', 'skipped', null).build();
    expect(compile(decompile(graph)).graph).toStrictEqual(graph);
  });
});
