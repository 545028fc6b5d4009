// A drag moves nodes on the screen only; the editor's store, and React Flow's, hear of it once, when
// it ends. Every frame of a drag through the stores woke every component subscribed to them — on a
// thousand-node scenario several thousand React Flow subscriptions, the frame's largest cost in
// script. So every frame places the dragged nodes and redraws their connections directly, as React
// Flow would draw them, and the final positions go through the store like any change: one undo
// step, saved, and from there into React Flow.
import { getSmoothStepPath, Position, useStoreApi, type NodeChange, type XYPosition } from '@xyflow/react';
import { useCallback, useMemo, useRef } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import type { FlowEdge, FlowNode } from '../document/types.ts';
import type { EditorState } from '../store/types.ts';

/** True for the changes of a drag's frame: moves of dragged nodes, and nothing else. */
export function isDragFrame(changes: readonly NodeChange<FlowNode>[]): boolean {
  return changes.length > 0 && changes.every((c) => c.type === 'position' && c.dragging === true && c.position !== undefined);
}

/** The nodes with the positions a drag in progress has given them. */
export function withDragPositions(nodes: FlowNode[], moved: ReadonlyMap<string, XYPosition>): FlowNode[] {
  if (moved.size === 0) return nodes;
  return nodes.map((n) => {
    const p = moved.get(n.id);
    return p ? placed({ ...n, position: p }) : n;
  });
}

// A node handed to React Flow is placed by `left` and `top`, not by the transform React Flow gives
// each node: a thousand transformed boxes are a thousand transform nodes for the browser to
// layerize on every frame (a third more time than boxes placed in the flow of their container).
// One placed copy per node object, so an unchanged node stays the same object for React Flow.
const placedCopies = new WeakMap<FlowNode, FlowNode>();

/** The node as React Flow draws it: at its position by `left`/`top`. */
export function placed(n: FlowNode): FlowNode {
  let copy = placedCopies.get(n);
  if (!copy) {
    copy = { ...n, style: { ...n.style, transform: 'none', left: n.position.x, top: n.position.y } };
    placedCopies.set(n, copy);
    placedCopies.set(copy, copy);
  }
  return copy;
}

/** Moves a node's element on the screen to a position, as `placed` puts it there. */
function place(el: HTMLElement, at: XYPosition): void {
  el.style.left = `${at.x}px`;
  el.style.top = `${at.y}px`;
}

/** A measured handle, as React Flow keeps it: relative to its node. */
export interface HandleBox {
  id?: string | null;
  position: Position;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What a connection's end needs of its node: where it is, and its measured handles. */
export interface NodeEnds {
  at: XYPosition;
  handles: { source?: readonly HandleBox[] | null; target?: readonly HandleBox[] | null } | null | undefined;
}

/** The point where a connection meets a handle on its side (React Flow's rule). */
function handlePoint(at: XYPosition, h: HandleBox): XYPosition {
  const x = at.x + h.x;
  const y = at.y + h.y;
  switch (h.position) {
    case Position.Top:
      return { x: x + h.width / 2, y };
    case Position.Right:
      return { x: x + h.width, y: y + h.height / 2 };
    case Position.Bottom:
      return { x: x + h.width / 2, y: y + h.height };
    default:
      return { x, y: y + h.height / 2 };
  }
}

/**
 * The SVG path of a connection from an output to a node's input, as React Flow's smoothstep edge
 * draws it (the output's handle, the target's first input handle); null when a handle is unmeasured.
 */
export function connectionPath(source: NodeEnds, sourceHandle: string | null | undefined, target: NodeEnds): string | null {
  const out = source.handles?.source?.find((h) => (sourceHandle ? h.id === sourceHandle : true));
  const into = target.handles?.target?.[0];
  if (!out || !into) return null;
  const from = handlePoint(source.at, out);
  const to = handlePoint(target.at, into);
  const [path] = getSmoothStepPath({ sourceX: from.x, sourceY: from.y, sourcePosition: out.position, targetX: to.x, targetY: to.y, targetPosition: into.position });
  return path;
}

let dragsOnScreen = 0;

/** True while a node is dragged on a canvas (nodes it passes over need not wake). */
export function isDragging(): boolean {
  return dragsOnScreen > 0;
}

type Flow = ReturnType<typeof useStoreApi<FlowNode, FlowEdge>>;

/** One drag's frames: the dragged nodes' positions so far, drawn straight into the canvas. */
export class DragFrames {
  /** Where each dragged node is now. */
  readonly moved = new Map<string, XYPosition>();
  private readonly byNode = new Map<string, FlowEdge[]>();
  private readonly stopFollowing: () => void;

  constructor(
    private readonly flow: Flow,
    edges: readonly FlowEdge[],
  ) {
    for (const e of edges) {
      for (const id of [e.source, e.target]) {
        const list = this.byNode.get(id);
        if (list) list.push(e);
        else this.byNode.set(id, [e]);
      }
    }
    // While the view pans under a drag (the pointer near the canvas's border), React Flow decides
    // which nodes are on screen by their positions: it gets the dragged ones' at every pan.
    this.stopFollowing = flow.subscribe((s, prev) => {
      if (s.transform !== prev.transform && this.moved.size > 0) s.setNodes(withDragPositions(s.nodes, this.moved));
    });
  }

  /** Moves the dragged nodes to their new positions and redraws the connections that touch them. */
  move(changes: readonly NodeChange<FlowNode>[]): void {
    const root = this.flow.getState().domNode;
    const touched = new Set<FlowEdge>();
    for (const c of changes) {
      if (c.type !== 'position' || !c.position) continue;
      this.moved.set(c.id, c.position);
      const el = root?.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(c.id)}"]`);
      if (el) place(el, c.position);
      for (const e of this.byNode.get(c.id) ?? []) touched.add(e);
    }
    for (const e of touched) {
      const source = this.ends(e.source);
      const target = this.ends(e.target);
      const d = source && target ? connectionPath(source, e.sourceHandle, target) : null;
      const g = d ? root?.querySelector(`.react-flow__edge[data-id="${CSS.escape(e.id)}"]`) : null;
      if (!g || !d) continue;
      for (const path of g.querySelectorAll('path.react-flow__edge-path, path.react-flow__edge-interaction')) path.setAttribute('d', d);
    }
  }

  /** The drag is over: React Flow's store no longer needs following. */
  stop(): void {
    this.stopFollowing();
  }

  private ends(id: string): NodeEnds | null {
    const node = this.flow.getState().nodeLookup.get(id);
    if (!node) return null;
    return { at: this.moved.get(id) ?? node.internals.positionAbsolute, handles: node.internals.handleBounds };
  }
}

/**
 * The canvas's `onNodesChange` and the nodes to hand React Flow. A drag's first frame tells the
 * store a drag began (`startDrag`: nothing set, nothing woken, the undo step taken at the end);
 * every frame goes only to the screen, and the nodes handed to React Flow keep those positions
 * should the store change meanwhile; the drag's end (`dragging: false`, the final positions) goes
 * to the store like any change.
 */
export function useDragInFlow(store: StoreApi<EditorState>, nodes: FlowNode[]): { nodes: FlowNode[]; onNodesChange: (changes: NodeChange<FlowNode>[]) => void } {
  const flow = useStoreApi<FlowNode, FlowEdge>();
  const frames = useRef<DragFrames | null>(null);
  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      const s = store.getState();
      if (!s.readOnly && isDragFrame(changes)) {
        if (!frames.current) {
          s.startDrag();
          frames.current = new DragFrames(flow, s.edges);
          dragsOnScreen++;
        }
        frames.current.move(changes);
        return;
      }
      if (frames.current && changes.some((c) => c.type === 'position' && c.dragging === false)) {
        frames.current.stop();
        frames.current = null;
        dragsOnScreen--;
      }
      s.onNodesChange(changes);
    },
    [store, flow],
  );
  // `frames` is a ref: its positions are read again whenever the store's nodes change.
  const shown = useMemo(() => (frames.current ? withDragPositions(nodes, frames.current.moved) : nodes).map(placed), [nodes]);
  return { nodes: shown, onNodesChange };
}

