// Copy and paste of a selection: the nodes and the connections between them, pasted with fresh ids
// beside the originals (or at a point), so a pasted group works on its own at once.
import { newNodeId } from './defaults.ts';
import type { FlowEdge, FlowNode } from './types.ts';

/** What a copy holds. */
export interface Clip {
  nodes: FlowNode[];
  edges: FlowEdge[];
}

/** The selected nodes and the edges that join two of them. */
export function copyNodes(nodes: readonly FlowNode[], edges: readonly FlowEdge[], ids: ReadonlySet<string>): Clip {
  return {
    nodes: nodes.filter((n) => ids.has(n.id)).map((n) => structuredClone({ ...n, selected: false })),
    edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => ({ ...e })),
  };
}

/**
 * The clip's nodes and edges with new ids, moved by `offset` (or so their top-left corner lands at
 * `at`), selected so the marketer can move them on together.
 */
export function pasteClip(clip: Clip, taken: ReadonlySet<string>, place: { offset: { x: number; y: number } } | { at: { x: number; y: number } }): Clip {
  const used = new Set(taken);
  const rename = new Map<string, string>();
  for (const n of clip.nodes) {
    const id = newNodeId(n.type as NonNullable<FlowNode['type']>, used);
    used.add(id);
    rename.set(n.id, id);
  }
  const minX = Math.min(...clip.nodes.map((n) => n.position.x));
  const minY = Math.min(...clip.nodes.map((n) => n.position.y));
  const dx = 'offset' in place ? place.offset.x : place.at.x - minX;
  const dy = 'offset' in place ? place.offset.y : place.at.y - minY;
  const nodes = clip.nodes.map((n) => {
    const { autoPlaced: _a, measured: _m, ...rest } = structuredClone(n);
    return { ...rest, id: rename.get(n.id) as string, position: { x: n.position.x + dx, y: n.position.y + dy }, selected: true };
  });
  const edges = clip.edges.map((e) => {
    const source = rename.get(e.source) as string;
    return { ...e, id: `${source}:${e.sourceHandle ?? 'next'}`, source, target: rename.get(e.target) as string, selected: false };
  });
  return { nodes, edges };
}
