import { Position, getSmoothStepPath } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import type { FlowNode } from '../document/types.ts';
import { connectionPath, isDragFrame, withDragPositions } from './drag-in-flow.ts';
import { miniMapView, union } from './minimap.tsx';

const node = (id: string, x: number): FlowNode => ({ id, type: 'exit', position: { x, y: 0 }, data: {} }) as FlowNode;

describe('dragging on the screen', () => {
  it('a drag frame is moves of dragged nodes and nothing else', () => {
    expect(isDragFrame([{ type: 'position', id: 'a', position: { x: 1, y: 2 }, dragging: true }])).toBe(true);
    expect(isDragFrame([{ type: 'position', id: 'a', position: { x: 1, y: 2 }, dragging: false }])).toBe(false);
    expect(isDragFrame([{ type: 'position', id: 'a', position: { x: 1, y: 2 }, dragging: true }, { type: 'select', id: 'b', selected: true }])).toBe(false);
    expect(isDragFrame([])).toBe(false);
  });

  it('the nodes handed on keep the positions of a drag in progress, and the others stay the same objects', () => {
    const nodes = [node('a', 0), node('b', 100)];
    const shown = withDragPositions(nodes, new Map([['b', { x: 150, y: 20 }]]));
    expect(shown[0]).toBe(nodes[0]);
    expect(shown[1]?.position).toEqual({ x: 150, y: 20 });
    expect(withDragPositions(nodes, new Map())).toBe(nodes);
  });

  it("a connection is drawn from the output's handle to the target's input as React Flow draws it", () => {
    const source = { at: { x: 100, y: 50 }, handles: { source: [{ id: 'sent', position: Position.Right, x: 200, y: 40, width: 10, height: 10 }] } };
    const target = { at: { x: 500, y: 80 }, handles: { target: [{ id: null, position: Position.Left, x: -5, y: 10, width: 10, height: 10 }] } };
    const [expected] = getSmoothStepPath({ sourceX: 310, sourceY: 95, sourcePosition: Position.Right, targetX: 495, targetY: 95, targetPosition: Position.Left });
    expect(connectionPath(source, 'sent', target)).toBe(expected);
    expect(connectionPath(source, 'opened', target)).toBeNull();
    expect(connectionPath(source, 'sent', { at: { x: 0, y: 0 }, handles: null })).toBeNull();
  });
});

describe('the minimap', () => {
  it('shows every box whole and centred', () => {
    const all = union([{ x: 0, y: 0, width: 100, height: 50 }, { x: 300, y: 200, width: 100, height: 100 }])!;
    expect(all).toEqual({ x: 0, y: 0, width: 400, height: 300 });
    const v = miniMapView(all, 200, 150);
    expect(v.scale).toBeCloseTo(2.2);
    // The centre of the boxes is the centre of the minimap.
    expect(v.x + (200 * v.scale) / 2).toBeCloseTo(200);
    expect(v.y + (150 * v.scale) / 2).toBeCloseTo(150);
    expect(union([])).toBeNull();
  });
});
