import { compile } from '@nurtureflow/scenario';
import type { NodeChange } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { emptyDocument, toEditorDocument, type FlowNode } from '../document/types.ts';
import { createEditorStore } from './store.ts';

/** A store with an empty scenario open, as the editor has after creating one. */
function anEditor() {
  const store = createEditorStore();
  store.getState().load(emptyDocument({ scenarioId: 'welcome', productLine: 'crm', name: 'Welcome' }));
  return store;
}

const move = (id: string, x: number, dragging: boolean | undefined): NodeChange<FlowNode> => ({
  type: 'position',
  id,
  position: { x, y: 0 },
  ...(dragging === undefined ? {} : { dragging }),
});

describe('editor store', () => {
  it('a trigger connected to an email connected to an exit compiles to a graph whose outputs name the next node', () => {
    const s = anEditor();
    const t = s.getState().addNode('trigger', { x: 0, y: 0 });
    const m = s.getState().addNode('email', { x: 300, y: 0 });
    const x = s.getState().addNode('exit', { x: 600, y: 0 });
    s.getState().connect({ source: t, sourceHandle: 'next', target: m, targetHandle: null });
    s.getState().connect({ source: m, sourceHandle: 'sent', target: x, targetHandle: null });
    const { graph } = compile(toEditorDocument({ meta: s.getState().meta!, nodes: s.getState().nodes, edges: s.getState().edges }));
    expect(graph.nodes[t]?.outputs).toEqual({ next: m });
    expect(graph.nodes[m]?.outputs).toEqual({ sent: x });
  });

  it('connecting an output that already leads somewhere moves its connection instead of adding a second', () => {
    const s = anEditor();
    const t = s.getState().addNode('trigger', { x: 0, y: 0 });
    const a = s.getState().addNode('exit', { x: 300, y: 0 });
    const b = s.getState().addNode('exit', { x: 300, y: 200 });
    s.getState().connect({ source: t, sourceHandle: 'next', target: a, targetHandle: null });
    s.getState().connect({ source: t, sourceHandle: 'next', target: b, targetHandle: null });
    expect(s.getState().edges.map((e) => [e.source, e.sourceHandle, e.target])).toEqual([[t, 'next', b]]);
  });

  it('a dangling node carries a badge until it is connected', () => {
    const s = anEditor();
    const t = s.getState().addNode('trigger', { x: 0, y: 0 });
    const w = s.getState().addNode('wait', { x: 300, y: 0 });
    s.getState().revalidate();
    expect(s.getState().problemsByNode[w]?.map((p) => p.code)).toContain('SCN006');
    s.getState().connect({ source: t, sourceHandle: 'next', target: w, targetHandle: null });
    s.getState().revalidate();
    expect(s.getState().problemsByNode[w]?.map((p) => p.code) ?? []).not.toContain('SCN006');
  });

  it('undo and redo step through adds and connections', () => {
    const s = anEditor();
    const t = s.getState().addNode('trigger', { x: 0, y: 0 });
    const x = s.getState().addNode('exit', { x: 300, y: 0 });
    s.getState().connect({ source: t, sourceHandle: 'next', target: x, targetHandle: null });
    s.getState().undo();
    expect(s.getState().edges).toEqual([]);
    s.getState().undo();
    expect(s.getState().nodes.map((n) => n.id)).toEqual([t]);
    s.getState().redo();
    s.getState().redo();
    expect(s.getState().edges).toHaveLength(1);
    expect(s.getState().future).toEqual([]);
  });

  it('a drag of sixty frames is one undo step', () => {
    const s = anEditor();
    const t = s.getState().addNode('trigger', { x: 0, y: 0 });
    const before = s.getState().past.length;
    for (let i = 1; i <= 60; i++) s.getState().onNodesChange([move(t, i * 5, true)]);
    s.getState().onNodesChange([move(t, 300, false)]);
    expect(s.getState().past.length).toBe(before + 1);
    s.getState().undo();
    expect(s.getState().nodes[0]?.position).toEqual({ x: 0, y: 0 });
  });

  it('a drag begun on the screen only leaves the nodes alone until it ends, then is one undo step', () => {
    const s = anEditor();
    const t = s.getState().addNode('trigger', { x: 0, y: 0 });
    const before = s.getState().past.length;
    const revision = s.getState().revision;
    const nodes = s.getState().nodes;
    s.getState().startDrag();
    expect(s.getState().nodes).toBe(nodes);
    expect(s.getState().past.length).toBe(before);
    expect(s.getState().revision).toBe(revision);
    s.getState().onNodesChange([move(t, 300, false)]);
    expect(s.getState().dragging).toBe(false);
    expect(s.getState().nodes[0]?.position).toEqual({ x: 300, y: 0 });
    expect(s.getState().past.length).toBe(before + 1);
    s.getState().undo();
    expect(s.getState().nodes[0]?.position).toEqual({ x: 0, y: 0 });
    // The next drag through the store's own path takes its step once, at its start.
    for (let i = 1; i <= 3; i++) s.getState().onNodesChange([move(t, i * 5, true)]);
    s.getState().onNodesChange([move(t, 50, false)]);
    expect(s.getState().past.length).toBe(before + 1);
  });

  it('typing in one field is one undo step; a field edited later is another', () => {
    const s = anEditor();
    const m = s.getState().addNode('email', { x: 0, y: 0 });
    const before = s.getState().past.length;
    for (const template of ['c', 'ca', 'case']) s.getState().updateNodeData(m, { ...s.getState().nodes[0]!.data, template });
    expect(s.getState().past.length).toBe(before + 1);
    s.getState().updateMeta({ name: 'Renamed' }, 'immediately');
    expect(s.getState().past.length).toBe(before + 2);
    s.getState().undo();
    s.getState().undo();
    expect(s.getState().nodes[0]?.data['template']).toBe('');
  });

  it('selection and sizes are never undo steps', () => {
    const s = anEditor();
    const t = s.getState().addNode('trigger', { x: 0, y: 0 });
    const before = s.getState().past.length;
    s.getState().onNodesChange([{ type: 'select', id: t, selected: false }]);
    s.getState().onNodesChange([{ type: 'dimensions', id: t, dimensions: { width: 200, height: 80 } }]);
    expect(s.getState().past.length).toBe(before);
    expect(s.getState().selectedNodes).toEqual([]);
  });

  it('copy and paste makes new nodes with new ids, keeping the connections between them', () => {
    const s = anEditor();
    const t = s.getState().addNode('trigger', { x: 0, y: 0 });
    const x = s.getState().addNode('exit', { x: 300, y: 0 });
    s.getState().connect({ source: t, sourceHandle: 'next', target: x, targetHandle: null });
    s.getState().selectAll();
    s.getState().copySelected();
    s.getState().paste();
    const ids = s.getState().nodes.map((n) => n.id);
    expect(ids).toEqual(['trigger-1', 'exit-1', 'trigger-2', 'exit-2']);
    expect(s.getState().edges.map((e) => `${e.source}→${e.target}`)).toEqual(['trigger-1→exit-1', 'trigger-2→exit-2']);
    expect(s.getState().selectedNodes).toEqual(['trigger-2', 'exit-2']);
  });

  it('a paste lands where the pointer is, and a second paste there steps aside', () => {
    const s = anEditor();
    s.getState().addNode('trigger', { x: 0, y: 0 });
    s.getState().copySelected();
    s.getState().paste({ x: 500, y: 300 });
    s.getState().paste({ x: 500, y: 300 });
    expect(s.getState().nodes.map((n) => [n.id, n.position])).toEqual([
      ['trigger-1', { x: 0, y: 0 }],
      ['trigger-2', { x: 500, y: 300 }],
      ['trigger-3', { x: 540, y: 340 }],
    ]);
  });

  it('deleting a node removes its connections, in one undo step', () => {
    const s = anEditor();
    const t = s.getState().addNode('trigger', { x: 0, y: 0 });
    const x = s.getState().addNode('exit', { x: 300, y: 0 });
    s.getState().connect({ source: t, sourceHandle: 'next', target: x, targetHandle: null });
    s.getState().selectNode(x);
    s.getState().deleteSelected();
    expect(s.getState().edges).toEqual([]);
    s.getState().undo();
    expect(s.getState().edges).toHaveLength(1);
  });

  it('renaming a node keeps its connections', () => {
    const s = anEditor();
    const t = s.getState().addNode('trigger', { x: 0, y: 0 });
    const x = s.getState().addNode('exit', { x: 300, y: 0 });
    s.getState().connect({ source: t, sourceHandle: 'next', target: x, targetHandle: null });
    expect(s.getState().renameNode(x, 'done')).toBe(true);
    expect(s.getState().edges).toEqual([{ id: 'trigger-1:next', source: 'trigger-1', sourceHandle: 'next', target: 'done' }]);
    expect(s.getState().renameNode('done', 'trigger-1')).toBe(false);
  });

  it('split weights that do not add up to 100% are an error on the node', () => {
    const s = anEditor();
    const sp = s.getState().addNode('split', { x: 0, y: 0 });
    s.getState().updateNodeData(sp, { variants: [{ id: 'A', label: '', weight: 70, holdout: false }, { id: 'B', label: '', weight: 20, holdout: false }] });
    s.getState().revalidate();
    expect(s.getState().problemsByNode[sp]?.find((p) => p.code === 'EDT001')?.message.en).toContain('add up to 90%');
  });

  it('auto-layout places nodes left to right along their connections, as one undo step', () => {
    const s = anEditor();
    const t = s.getState().addNode('trigger', { x: 500, y: 500 });
    const x = s.getState().addNode('exit', { x: 0, y: 0 });
    s.getState().connect({ source: t, sourceHandle: 'next', target: x, targetHandle: null });
    s.getState().autoLayout();
    const [a, b] = s.getState().nodes;
    expect(a!.position.x).toBeLessThan(b!.position.x);
    s.getState().undo();
    expect(s.getState().nodes[0]?.position).toEqual({ x: 500, y: 500 });
  });

  it("live counts keep each node's leads now, passed and ended, and leave out nodes no lead reached", () => {
    const s = anEditor();
    s.getState().setLive([
      { nodeId: 'w1', now: 4, passed: 9, ended: 0 },
      { nodeId: 'x1', now: 0, passed: 7, ended: 7 },
      { nodeId: 'm1', now: 0, passed: 0, ended: 0 },
    ]);
    expect(s.getState().live).toEqual({ w1: { now: 4, passed: 9, ended: 0 }, x1: { now: 0, passed: 7, ended: 7 } });
  });

  it('a read-only version cannot be changed', () => {
    const s = createEditorStore();
    s.getState().load(emptyDocument({ scenarioId: 'w', productLine: 'crm', name: 'W' }), { readOnly: true });
    s.getState().addNode('trigger', { x: 0, y: 0 });
    expect(s.getState().nodes).toEqual([]);
  });
});
