// Auto-layout with dagre: a layered drawing left to right, one column per step of the journey,
// branches fanned out in rows, following the order of each node's outputs.
import { Graph, layout } from '@dagrejs/dagre';
import type { FlowEdge, FlowNode } from './types.ts';

const DEFAULT_WIDTH = 240;
const DEFAULT_HEIGHT = 90;

/** New top-left positions for every node, laid out left to right by their connections. */
export function layoutPositions(nodes: readonly FlowNode[], edges: readonly FlowEdge[]): Map<string, { x: number; y: number }> {
  const g = new Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 90, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  const size = new Map<string, { width: number; height: number }>();
  for (const n of nodes) {
    const width = n.measured?.width ?? n.width ?? DEFAULT_WIDTH;
    const height = n.measured?.height ?? n.height ?? DEFAULT_HEIGHT;
    size.set(n.id, { width, height });
    g.setNode(n.id, { width, height });
  }
  for (const e of edges) if (size.has(e.source) && size.has(e.target)) g.setEdge(e.source, e.target);
  layout(g);
  const positions = new Map<string, { x: number; y: number }>();
  for (const n of nodes) {
    const p = g.node(n.id) as { x: number; y: number } | undefined;
    const s = size.get(n.id) as { width: number; height: number };
    if (p) positions.set(n.id, { x: Math.round(p.x - s.width / 2), y: Math.round(p.y - s.height / 2) });
  }
  return positions;
}
