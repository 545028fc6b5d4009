// The minimap: every node as a small box in its group's colour and the part of the canvas in view,
// drawn on a <canvas>. React Flow's own minimap is an SVG with a component and a store
// subscription per node — on a large scenario a thousand subscriptions woken by every change and a
// thousand shapes painted again on every frame of a drag. This one subscribes once and draws at
// most once a frame. Dragging on it moves the view there; the wheel zooms.
import { Panel, useReactFlow, useStoreApi, type InternalNode } from '@xyflow/react';
import { useEffect, useRef, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlowEdge, FlowNode } from '../document/types.ts';

const WIDTH = 200;
const HEIGHT = 150;
/** The size of a node not measured yet (off screen with only visible nodes rendered). */
const UNMEASURED = { width: 240, height: 100 };
const MASK = 'rgba(240, 240, 240, 0.6)';

/** A rectangle in flow coordinates. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** How flow coordinates map onto the minimap: flow = minimap × scale + origin. */
export interface MiniMapView {
  scale: number;
  x: number;
  y: number;
}

/** The view that shows `bounds` whole and centred in a `width` × `height` minimap, with a margin. */
export function miniMapView(bounds: Box, width = WIDTH, height = HEIGHT): MiniMapView {
  const scale = Math.max(bounds.width / width, bounds.height / height, 1e-6) * 1.1;
  return { scale, x: bounds.x + bounds.width / 2 - (width * scale) / 2, y: bounds.y + bounds.height / 2 - (height * scale) / 2 };
}

/** The smallest box holding all boxes. */
export function union(boxes: Iterable<Box>): Box | null {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const b of boxes) {
    x1 = Math.min(x1, b.x);
    y1 = Math.min(y1, b.y);
    x2 = Math.max(x2, b.x + b.width);
    y2 = Math.max(y2, b.y + b.height);
  }
  return x1 === Infinity ? null : { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
}

function nodeBox(n: InternalNode<FlowNode>): Box {
  return { x: n.internals.positionAbsolute.x, y: n.internals.positionAbsolute.y, width: n.measured.width ?? UNMEASURED.width, height: n.measured.height ?? UNMEASURED.height };
}

/** The canvas's minimap, in the bottom right corner. */
export function CanvasMiniMap({ nodeColor }: { nodeColor: (n: FlowNode) => string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLCanvasElement>(null);
  const flow = useStoreApi<FlowNode, FlowEdge>();
  const rf = useReactFlow<FlowNode, FlowEdge>();
  const view = useRef<MiniMapView | null>(null);
  const color = useRef(nodeColor);
  color.current = nodeColor;

  useEffect(() => {
    const canvas = ref.current;
    const g = canvas?.getContext('2d');
    if (!canvas || !g) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = WIDTH * ratio;
    canvas.height = HEIGHT * ratio;
    let frame = 0;
    const draw = () => {
      frame = 0;
      const { nodeLookup, transform, width, height } = flow.getState();
      const [tx, ty, zoom] = transform;
      const shown: Box = { x: -tx / zoom, y: -ty / zoom, width: width / zoom, height: height / zoom };
      const boxes: { box: Box; node: InternalNode<FlowNode> }[] = [];
      for (const node of nodeLookup.values()) if (!node.hidden) boxes.push({ box: nodeBox(node), node });
      const v = miniMapView(union([shown, ...boxes.map((b) => b.box)]) ?? shown);
      view.current = v;
      const px = (x: number) => (x - v.x) / v.scale;
      const py = (y: number) => (y - v.y) / v.scale;
      g.setTransform(ratio, 0, 0, ratio, 0, 0);
      g.clearRect(0, 0, WIDTH, HEIGHT);
      for (const { box, node } of boxes) {
        g.fillStyle = color.current(node.internals.userNode);
        g.fillRect(px(box.x), py(box.y), Math.max(box.width / v.scale, 1), Math.max(box.height / v.scale, 1));
      }
      // Everything but the part in view is veiled.
      g.beginPath();
      g.rect(0, 0, WIDTH, HEIGHT);
      g.rect(px(shown.x), py(shown.y), shown.width / v.scale, shown.height / v.scale);
      g.fillStyle = MASK;
      g.fill('evenodd');
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(draw);
    };
    schedule();
    const unsubscribe = flow.subscribe(schedule);
    // The wheel zooms; a passive React listener could not keep the page from scrolling.
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const zoom = flow.getState().transform[2];
      void rf.zoomTo(zoom * (e.deltaY < 0 ? 1.2 : 1 / 1.2));
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      unsubscribe();
      canvas.removeEventListener('wheel', onWheel);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [flow, rf]);

  // Pressing or dragging on the minimap centres the view on that point.
  const moveTo = (e: PointerEvent<HTMLCanvasElement>) => {
    const v = view.current;
    if (!v || (e.type === 'pointermove' && e.buttons !== 1)) return;
    const r = e.currentTarget.getBoundingClientRect();
    const x = (e.clientX - r.left) * v.scale + v.x;
    const y = (e.clientY - r.top) * v.scale + v.y;
    void rf.setCenter(x, y, { zoom: flow.getState().transform[2] });
  };

  return (
    <Panel position="bottom-right" className="minimap">
      <canvas
        ref={ref}
        data-testid="minimap"
        aria-label={t('canvas.minimap')}
        role="img"
        style={{ width: WIDTH, height: HEIGHT }}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          moveTo(e);
        }}
        onPointerMove={moveTo}
      />
    </Panel>
  );
}
