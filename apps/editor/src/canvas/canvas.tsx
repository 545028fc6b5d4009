import { NODE_KINDS, type NodeKind } from '@nurtureflow/scenario';
import { Background, Controls, ReactFlow, useReactFlow, type Edge } from '@xyflow/react';
import { useCallback, useContext, useEffect, useMemo, useRef, type DragEvent, type MouseEvent } from 'react';
import type { FlowEdge, FlowNode } from '../document/types.ts';
import { useEditor, useEditorStore } from '../store/context.ts';
import { useDragInFlow } from './drag-in-flow.ts';
import { CanvasExtensionsContext } from './extensions.ts';
import { CanvasMiniMap } from './minimap.tsx';
import { KIND_MIME } from './palette.tsx';
import { NODE_TYPES } from './scenario-node.tsx';
import { useShortcuts } from './shortcuts.ts';

const GROUP_COLORS: Record<string, string> = {
  triggers: '#7c3aed',
  messages: '#2563eb',
  sales: '#059669',
  timing: '#d97706',
  logic: '#db2777',
  data: '#0891b2',
  end: '#475569',
};

/** The window event that asks the canvas to fit every node into view (the toolbar sends it). */
export const FIT_EVENT = 'nurtureflow:fit';

// Props handed to React Flow are constants: a new object on every render would re-render every edge.
const EDGE_OPTIONS = { type: 'smoothstep' } as const;
const MULTI_SELECT_KEYS = ['Meta', 'Control', 'Shift'];

const minimapColor = (n: FlowNode) => GROUP_COLORS[NODE_KINDS[n.type as NodeKind]?.group ?? 'end'] ?? '#475569';

/** The canvas: nodes and connections from the store, every change going back through its actions. */
export function Canvas() {
  const store = useEditorStore();
  const nodes = useEditor((s) => s.nodes);
  const edges = useEditor((s) => s.edges);
  const readOnly = useEditor((s) => s.readOnly);
  const focus = useEditor((s) => s.focus);
  const rf = useReactFlow<FlowNode, FlowEdge>();
  const { edgeTypes } = useContext(CanvasExtensionsContext);
  const { onEdgesChange, connect, reconnect, addNode } = store.getState();
  const flow = useDragInFlow(store, nodes);

  useEffect(() => {
    if (!focus) return;
    const n = store.getState().nodes.find((x) => x.id === focus.id);
    if (!n) return;
    const w = n.measured?.width ?? 240;
    const h = n.measured?.height ?? 90;
    void rf.setCenter(n.position.x + w / 2, n.position.y + h / 2, { zoom: Math.max(rf.getZoom(), 1), duration: 300 });
  }, [focus, rf, store]);

  // Fit to every node, measured or not: with only visible nodes rendered, React Flow's own fit
  // would see just the nodes already on screen.
  const fitAll = useCallback(
    (duration = 300) => {
      const ns = store.getState().nodes;
      if (ns.length === 0) return;
      const xs = ns.map((n) => n.position.x);
      const ys = ns.map((n) => n.position.y);
      const x = Math.min(...xs);
      const y = Math.min(...ys);
      const right = Math.max(...ns.map((n) => n.position.x + (n.measured?.width ?? 240)));
      const bottom = Math.max(...ns.map((n) => n.position.y + (n.measured?.height ?? 110)));
      void rf.fitBounds({ x, y, width: right - x, height: bottom - y }, { padding: 0.1, duration });
    },
    [rf, store],
  );
  useEffect(() => {
    fitAll(0);
    const onFit = () => fitAll();
    window.addEventListener(FIT_EVENT, onFit);
    return () => window.removeEventListener(FIT_EVENT, onFit);
  }, [fitAll]);

  const pointer = useRef<{ x: number; y: number } | undefined>(undefined);
  const onMouseMove = useCallback((e: MouseEvent) => void (pointer.current = { x: e.clientX, y: e.clientY }), []);
  const onMouseLeave = useCallback(() => void (pointer.current = undefined), []);

  const actions = useMemo(
    () => ({
      pointer: () => (pointer.current ? rf.screenToFlowPosition(pointer.current) : undefined),
      fitView: () => fitAll(),
      layout: () => {
        store.getState().autoLayout();
        requestAnimationFrame(() => fitAll());
      },
    }),
    [fitAll, store, rf],
  );
  useShortcuts(store, actions);

  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(KIND_MIME)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'move';
    }
  }, []);
  const onDrop = useCallback(
    (e: DragEvent) => {
      const kind = e.dataTransfer.getData(KIND_MIME) as NodeKind;
      if (!kind || !(kind in NODE_KINDS)) return;
      e.preventDefault();
      const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      addNode(kind, { x: Math.round(p.x - 120), y: Math.round(p.y - 30) });
    },
    [rf, addNode],
  );
  const onReconnect = useCallback((old: Edge, c: Parameters<typeof reconnect>[1]) => reconnect(old, c), [reconnect]);

  return (
    <div className="canvas" data-testid="canvas" onDragOver={onDragOver} onDrop={onDrop} onMouseMove={onMouseMove} onMouseLeave={onMouseLeave}>
      <ReactFlow<FlowNode, FlowEdge>
        nodes={flow.nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        {...(edgeTypes ? { edgeTypes } : {})}
        onNodesChange={flow.onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={connect}
        onReconnect={onReconnect}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        edgesReconnectable={!readOnly}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        defaultEdgeOptions={EDGE_OPTIONS}
        minZoom={0.05}
        maxZoom={2}
        onlyRenderVisibleElements
      >
        <Background gap={20} />
        <Controls />
        <CanvasMiniMap nodeColor={minimapColor} />
      </ReactFlow>
    </div>
  );
}
