// The simulation drawn on the canvas through its extension point: counts at the foot of each node
// (and the run it is compared with), each connection as wide as the leads that took it with the
// number on hover, and the replayed lead's node and the connections it took highlighted.
import { BaseEdge, EdgeLabelRenderer, getSmoothStepPath, SmoothStepEdge, type EdgeProps, type EdgeTypes } from '@xyflow/react';
import { memo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CanvasExtensions } from '../canvas/extensions.ts';
import { useSimulation } from './context.ts';
import { flowKey, type NodeCounts } from './overlay.ts';

const fmt = (n: number) => n.toLocaleString();

function Counts({ c, testId }: { c: NodeCounts; testId: string }) {
  const { t } = useTranslation();
  return (
    <span className="sim-row" data-testid={testId}>
      <span title={t('simulation.counts.enteredTitle')} data-testid="sim-entered">
        {t('simulation.counts.entered', { n: fmt(c.entered) })}
      </span>
      <span title={t('simulation.counts.thereTitle')} data-testid="sim-there">
        {t('simulation.counts.there', { n: fmt(c.there) })}
      </span>
      <span title={t('simulation.counts.exitedTitle')} data-testid="sim-exited">
        {t('simulation.counts.exited', { n: fmt(c.exited) })}
      </span>
    </span>
  );
}

/** A node's simulated counts; in a comparison the second run's beside them with the difference. */
function NodeCountsView({ id }: { id: string }) {
  const { t } = useTranslation();
  const shown = useSimulation((s) => s.a !== null);
  const a = useSimulation((s) => s.a?.overlay.nodes[id]);
  const labelA = useSimulation((s) => s.a?.label);
  const b = useSimulation((s) => s.b?.overlay.nodes[id]);
  const labelB = useSimulation((s) => s.b?.label ?? null);
  const here = useSimulation((s) => s.replay !== null && s.replay.frames[s.replay.index]?.nodeId === id);
  if (!shown) return null;
  const diff = (b?.entered ?? 0) - (a?.entered ?? 0);
  return (
    <div className={`sim-counts${here ? ' sim-here' : ''}`} data-testid="sim-counts" data-here={here ? 'true' : undefined}>
      {labelB !== null && <span className="sim-label">{labelA}</span>}
      {a ? <Counts c={a} testId="sim-a" /> : <span className="sim-row muted">{t('simulation.counts.none')}</span>}
      {labelB !== null && (
        <>
          <span className="sim-label">{labelB}</span>
          {b ? <Counts c={b} testId="sim-b" /> : <span className="sim-row muted">{t('simulation.counts.none')}</span>}
          <span className={`sim-diff ${diff > 0 ? 'up' : diff < 0 ? 'down' : ''}`} data-testid="sim-diff" title={t('simulation.counts.diffTitle')}>
            {diff > 0 ? '+' : ''}
            {fmt(diff)}
          </span>
        </>
      )}
      {here && (
        <span className="sim-here-tag" data-testid="sim-here">
          ● {t('simulation.replay.here')}
        </span>
      )}
    </div>
  );
}

/** A connection: React Flow's smoothstep, drawn by its flow while a simulation is shown. */
function FlowEdgeView(props: EdgeProps) {
  const { t } = useTranslation();
  const key = flowKey(props.source, props.sourceHandleId);
  const shown = useSimulation((s) => s.a !== null);
  const count = useSimulation((s) => s.a?.overlay.flows[key]?.count ?? 0);
  const width = useSimulation((s) => s.a?.overlay.flows[key]?.width ?? 1);
  const taken = useSimulation((s) => (s.replay === null ? false : s.replay.frames[s.replay.index]?.taken[key] === true));
  const [hover, setHover] = useState(false);
  if (!shown) return <SmoothStepEdge {...props} />;
  const [path, labelX, labelY] = getSmoothStepPath({
    sourceX: props.sourceX,
    sourceY: props.sourceY,
    sourcePosition: props.sourcePosition,
    targetX: props.targetX,
    targetY: props.targetY,
    targetPosition: props.targetPosition,
  });
  const style = { ...props.style, strokeWidth: width, stroke: taken ? '#f59e0b' : count === 0 ? '#cbd5e1' : '#6366f1', strokeOpacity: taken ? 1 : 0.75 };
  return (
    <g onMouseEnter={() => setHover(true)} onMouseLeave={() => setHover(false)} data-testid={`sim-edge-${props.id}`} data-count={count} data-width={width} data-taken={taken ? 'true' : undefined}>
      <BaseEdge id={props.id} path={path} style={style} interactionWidth={Math.max(20, width + 8)} {...(props.markerEnd ? { markerEnd: props.markerEnd } : {})} />
      {hover && (
        <EdgeLabelRenderer>
          <div className="sim-edge-label nodrag nopan" data-testid="sim-edge-label" style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}>
            {t('simulation.edge', { n: fmt(count) })}
          </div>
        </EdgeLabelRenderer>
      )}
    </g>
  );
}

const EDGE_TYPES: EdgeTypes = { smoothstep: memo(FlowEdgeView) };

/** What the simulation adds to the canvas (a constant: the canvas hands its edge types to React Flow). */
export const SIMULATION_CANVAS: CanvasExtensions = { NodeFooter: memo(NodeCountsView), edgeTypes: EDGE_TYPES };
