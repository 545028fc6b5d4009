import type { Layout } from '../graph.ts';

/** What placing a node needs to know of it. */
export interface LayoutNode {
  kind: unknown;
  outputs?: Record<string, string | null> | undefined;
}

/** Distance between columns (one step of the journey) and between rows. */
export const COLUMN_WIDTH = 300;
export const ROW_HEIGHT = 160;

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Positions for the nodes `placed` has none for: a column per step from the triggers (breadth
 * first), rows in order of discovery, nodes no trigger leads to in a last column; all to the right
 * of what is placed already. Depends only on ids, kinds and connections, never on key order, so
 * `decompile` and `compile` compute the same positions.
 */
export function autoPositions(nodes: Readonly<Record<string, LayoutNode>>, placed: Readonly<Layout>): Layout {
  const ids = Object.keys(nodes).sort(byCodeUnit);
  const depth = new Map<string, number>();
  const queue: string[] = [];
  for (const id of ids) {
    if (Object.hasOwn(nodes, id) && nodes[id]?.kind === 'trigger') {
      depth.set(id, 0);
      queue.push(id);
    }
  }
  while (queue.length > 0) {
    const id = queue.shift() as string;
    const outputs = nodes[id]?.outputs ?? {};
    for (const name of Object.keys(outputs).sort(byCodeUnit)) {
      const to = outputs[name];
      if (typeof to === 'string' && Object.hasOwn(nodes, to) && !depth.has(to)) {
        depth.set(to, (depth.get(id) as number) + 1);
        queue.push(to);
      }
    }
  }
  const lastColumn = Math.max(-1, ...depth.values()) + 1;
  const order = [...[...depth.keys()], ...ids.filter((id) => !depth.has(id))];

  const placedPoints = Object.values(placed);
  const x0 = placedPoints.length > 0 ? Math.max(...placedPoints.map((p) => p.x)) + COLUMN_WIDTH : 0;
  const y0 = placedPoints.length > 0 ? Math.min(...placedPoints.map((p) => p.y)) : 0;

  const rows = new Map<number, number>();
  const positions: [string, { x: number; y: number }][] = [];
  for (const id of order) {
    if (Object.hasOwn(placed, id)) continue;
    const column = depth.get(id) ?? lastColumn;
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    positions.push([id, { x: x0 + column * COLUMN_WIDTH, y: y0 + row * ROW_HEIGHT }]);
  }
  return Object.fromEntries(positions);
}
