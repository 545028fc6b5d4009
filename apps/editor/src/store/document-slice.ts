import { applyEdgeChanges, applyNodeChanges, type Connection } from '@xyflow/react';
import type { StateCreator } from 'zustand';
import { copyNodes, pasteClip } from '../document/clipboard.ts';
import { defaultData, newNodeId } from '../document/defaults.ts';
import { layoutPositions } from '../document/layout.ts';
import type { FlowEdge, FlowNode } from '../document/types.ts';
import type { DocumentSlice, EditorState } from './types.ts';

/** The edge an output makes: one per output, so its id is the node and the output. */
export function edgeFor(source: string, sourceHandle: string | null | undefined, target: string): FlowEdge {
  return { id: `${source}:${sourceHandle ?? 'next'}`, source, target, ...(sourceHandle != null ? { sourceHandle } : {}) };
}

// An output leads one way: connecting it again replaces its connection instead of adding a second.
function withConnection(edges: readonly FlowEdge[], c: Connection, except?: string): FlowEdge[] {
  const handle = c.sourceHandle ?? null;
  const kept = edges.filter((e) => e.id !== except && !(e.source === c.source && (e.sourceHandle ?? null) === handle));
  return [...kept, edgeFor(c.source, handle, c.target)];
}

const PASTE_OFFSET = { x: 40, y: 40 };

/** The document slice: nodes, edges and the scenario's fields, changed only through these actions. */
export const createDocumentSlice: StateCreator<EditorState, [], [], DocumentSlice> = (set, get) => {
  /** Applies a change to the document after capturing it for undo as the policy says. */
  const change = (policy: Parameters<EditorState['capture']>[0], next: (s: EditorState) => Partial<EditorState>, structural = true) => {
    const s = get();
    if (s.readOnly || !s.meta) return;
    s.capture(policy);
    const patch = next(get());
    set({ ...patch, revision: s.revision + 1, ...(structural ? { structure: s.structure + 1 } : {}) });
    if ('nodes' in patch || 'edges' in patch) syncSelection();
  };
  const syncSelection = () => {
    const { nodes, edges } = get();
    set({ selectedNodes: nodes.filter((n) => n.selected).map((n) => n.id), selectedEdges: edges.filter((e) => e.selected).map((e) => e.id) });
  };
  const taken = () => new Set(get().nodes.map((n) => n.id));
  // Pasting again without moving the pointer steps aside instead of landing on the last paste.
  let lastPasteAt: { x: number; y: number } | undefined;
  // A drag begun by `startDrag` has not taken its undo step yet.
  let undoAtDragEnd = false;

  return {
    meta: null,
    nodes: [],
    edges: [],
    readOnly: false,
    revision: 0,
    structure: 0,

    load(doc, options = {}) {
      set({
        meta: doc.meta,
        nodes: doc.nodes,
        edges: doc.edges,
        readOnly: options.readOnly === true,
        past: [],
        future: [],
        lastCapture: null,
        dragging: false,
        selectedNodes: [],
        selectedEdges: [],
        revision: 0,
        structure: get().structure + 1,
      });
      get().revalidate();
    },

    onNodesChange(changes) {
      const s = get();
      let moved = false;
      let removed = false;
      let dragStart = false;
      let dragEnd = false;
      for (const c of changes) {
        if (c.type === 'position') {
          moved = true;
          if (c.dragging === true && !s.dragging) dragStart = true;
          if (c.dragging === false && (s.dragging || undoAtDragEnd)) dragEnd = true;
        } else if (c.type === 'remove' || c.type === 'add' || c.type === 'replace') removed = true;
      }
      if (s.readOnly) {
        // A read-only version can still be selected and measured, never changed.
        const allowed = changes.filter((c) => c.type === 'select' || c.type === 'dimensions');
        if (allowed.length > 0) set({ nodes: applyNodeChanges(allowed, s.nodes) });
        syncSelection();
        return;
      }
      if (removed) {
        change('immediately', (x) => ({ nodes: applyNodeChanges(changes, x.nodes) }));
        return;
      }
      if (dragStart) {
        undoAtDragEnd = false;
        s.capture('immediately');
        set({ dragging: true });
      }
      if (moved && !dragStart && !s.dragging && !dragEnd) s.capture('immediately');
      if (dragEnd && undoAtDragEnd) s.capture('immediately');
      if (dragEnd) undoAtDragEnd = false;
      const nodes = applyNodeChanges(changes, get().nodes);
      // A selection is set with the nodes in one update, so subscribers wake once for a click.
      const selection = changes.some((c) => c.type === 'select') ? { selectedNodes: nodes.filter((n) => n.selected).map((n) => n.id) } : {};
      set({ nodes, ...selection, ...(moved ? { revision: get().revision + 1 } : {}), ...(dragEnd ? { dragging: false } : {}) });
    },

    startDrag() {
      const s = get();
      // Nothing is set, so nothing subscribed wakes: the nodes stay as they were until the drag
      // ends, and its undo step is taken then.
      if (!s.readOnly && !s.dragging) undoAtDragEnd = true;
    },

    onEdgesChange(changes) {
      const s = get();
      const edits = changes.filter((c) => c.type !== 'select');
      if (edits.length === 0 || s.readOnly) {
        const allowed = changes.filter((c) => c.type === 'select');
        if (allowed.length > 0) set({ edges: applyEdgeChanges(allowed, s.edges) });
        syncSelection();
        return;
      }
      change('immediately', (x) => ({ edges: applyEdgeChanges(changes, x.edges) }));
    },

    connect(connection) {
      change('immediately', (x) => ({ edges: withConnection(x.edges, connection) }));
    },

    reconnect(old, connection) {
      change('immediately', (x) => ({ edges: withConnection(x.edges, connection, old.id) }));
    },

    addNode(kind, position) {
      const id = newNodeId(kind, taken());
      change('immediately', (x) => ({
        nodes: [...x.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), { id, type: kind, position, data: defaultData(kind), selected: true }],
      }));
      return id;
    },

    updateNodeData(id, data, policy = { coalesce: `data:${id}` }) {
      change(policy, (x) => ({ nodes: x.nodes.map((n) => (n.id === id ? { ...n, data } : n)) }));
    },

    renameNode(id, to) {
      if (id === to || taken().has(to) || !get().nodes.some((n) => n.id === id)) return false;
      change('immediately', (x) => ({
        nodes: x.nodes.map((n) => (n.id === id ? { ...n, id: to } : n)),
        edges: x.edges.map((e) => (e.source === id || e.target === id ? edgeFor(e.source === id ? to : e.source, e.sourceHandle, e.target === id ? to : e.target) : e)),
      }));
      return true;
    },

    updateMeta(patch, policy = { coalesce: `meta:${Object.keys(patch).join(',')}` }) {
      change(policy, (x) => ({ meta: x.meta ? { ...x.meta, ...patch } : x.meta }));
    },

    deleteSelected() {
      const { selectedNodes, selectedEdges } = get();
      if (selectedNodes.length === 0 && selectedEdges.length === 0) return;
      const nodes = new Set(selectedNodes);
      const edges = new Set(selectedEdges);
      change('immediately', (x) => ({
        nodes: x.nodes.filter((n) => !nodes.has(n.id)),
        edges: x.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.source) && !nodes.has(e.target)),
      }));
    },

    copySelected() {
      const { nodes, edges, selectedNodes } = get();
      if (selectedNodes.length > 0) set({ clip: copyNodes(nodes, edges, new Set(selectedNodes)) });
    },

    paste(at) {
      const clip = get().clip;
      if (!clip || clip.nodes.length === 0) return;
      const again = at !== undefined && lastPasteAt !== undefined && at.x === lastPasteAt.x && at.y === lastPasteAt.y;
      lastPasteAt = at;
      const pasted = pasteClip(clip, taken(), at && !again ? { at } : { offset: PASTE_OFFSET });
      change('immediately', (x) => ({
        nodes: [...x.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...pasted.nodes],
        edges: [...x.edges.map((e) => (e.selected ? { ...e, selected: false } : e)), ...pasted.edges],
      }));
      // The next paste lands beside this one rather than on top of it.
      set({ clip: { nodes: pasted.nodes.map((n) => ({ ...n, selected: false })), edges: pasted.edges } });
    },

    duplicateSelected() {
      const before = get().clip;
      get().copySelected();
      get().paste();
      set({ clip: before });
    },

    selectAll() {
      set((s) => ({ nodes: s.nodes.map((n) => (n.selected ? n : { ...n, selected: true })), edges: s.edges.map((e) => (e.selected ? e : { ...e, selected: true })) }));
      syncSelection();
    },

    selectNode(id) {
      set((s) => ({
        nodes: s.nodes.map((n) => ((n.id === id) === (n.selected === true) ? n : { ...n, selected: n.id === id })),
        edges: s.edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
      }));
      syncSelection();
    },

    autoLayout() {
      const positions = layoutPositions(get().nodes, get().edges);
      change(
        'immediately',
        (x) => ({ nodes: x.nodes.map((n) => { const p = positions.get(n.id); return p ? { ...n, position: p, autoPlaced: false } : n; }) }),
        false,
      );
    },
  };
};
