import { NODE_KINDS, type NodeKind } from '@nurtureflow/scenario';
import { Position, useUpdateNodeInternals, type NodeProps } from '@xyflow/react';
import { memo, useContext, useEffect, useMemo, useState } from 'react';
import { flushSync } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { hasNamedOutputs, nodeOutputs } from '../document/outputs.ts';
import { nodeSummary } from '../document/summary.ts';
import type { FlowNode } from '../document/types.ts';
import { useEditor } from '../store/context.ts';
import { plainTranslate } from '../i18n/index.ts';
import { CanvasExtensionsContext } from './extensions.ts';
import { KIND_ICONS } from './icons.ts';
import { isDragging } from './drag-in-flow.ts';
import { NodeHandle } from './node-handle.tsx';

/** The label of an output on the canvas: a fixed word, or the case's / variant's own label. */
function useOutputLabel(kind: NodeKind, data: FlowNode['data']): (name: string) => string {
  const { t } = useTranslation();
  return (name) => {
    if (hasNamedOutputs(kind) && name !== 'default') {
      const list = (kind === 'branch' ? data['cases'] : data['variants']) as { id?: unknown; label?: unknown }[] | undefined;
      const item = Array.isArray(list) ? list.find((c) => c?.id === name) : undefined;
      return typeof item?.label === 'string' && item.label !== '' ? item.label : name;
    }
    const key = `outputs.${name}`;
    const text = t(key);
    return text === key ? name : text;
  };
}

/** A node on the canvas: its kind, label and essentials, its problems, its live counts and its outputs. */
function ScenarioNodeView({ id, type, data, selected }: NodeProps<FlowNode>) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'ja';
  const kind = type as NodeKind;
  const outputs = useMemo(() => nodeOutputs(kind, data), [kind, data]);
  const problems = useEditor((s) => s.problemsByNode[id]);
  const live = useEditor((s) => s.live?.[id]);
  const outputLabel = useOutputLabel(kind, data);
  const { NodeFooter } = useContext(CanvasExtensionsContext);
  const updateInternals = useUpdateNodeInternals();
  const handleKey = outputs.map((o) => o.name).join('|');
  useEffect(() => updateInternals(id), [handleKey, id, updateInternals]);
  // Live handles on the node under the pointer and the selected one; the others are still copies.
  // The pointer's arrival is rendered at once so a press that follows lands on a live handle.
  const [pointed, setPointed] = useState(false);
  const liveHandles = pointed || selected;

  const errors = problems?.filter((p) => p.severity === 'error').length ?? 0;
  const warnings = (problems?.length ?? 0) - errors;
  const name = typeof data['name'] === 'string' && data['name'] !== '' ? data['name'] : null;
  const group = NODE_KINDS[kind].group;
  return (
    <div
      className={`flow-node group-${group}${selected ? ' selected' : ''}${errors > 0 ? ' has-errors' : ''}`}
      data-testid={`node-${id}`}
      data-kind={kind}
      onMouseEnter={() => {
        // Not while a node is dragged (the pointer crosses nodes then, and nothing connects), nor
        // when the handles are live already: a node's update walks the canvas's thousand siblings.
        if (!liveHandles && !isDragging()) flushSync(() => setPointed(true));
      }}
      onMouseLeave={() => {
        if (pointed) setPointed(false);
      }}
    >
      <div className="flow-node-head">
        {kind !== 'trigger' && <NodeHandle live={liveHandles} nodeId={id} type="target" position={Position.Left} className="handle-in" />}
        <span className="kind-icon" aria-hidden>
          {KIND_ICONS[kind]}
        </span>
        <span className="kind-label">{t(`kinds.${kind}`)}</span>
        <span className="node-id mono">{name ?? id}</span>
        {(errors > 0 || warnings > 0) && (
          <span className={`badge ${errors > 0 ? 'badge-error' : 'badge-warning'}`} data-testid="problem-badge" data-severity={errors > 0 ? 'error' : 'warning'} title={problems?.map((p) => p.message[lang]).join('\n')}>
            {errors > 0 ? errors : warnings}
          </span>
        )}
      </div>
      <div className="flow-node-summary" data-testid="node-summary">
        {nodeSummary(plainTranslate(t), kind, data)}
      </div>
      {live && (
        <div className="live" data-testid="live-count" title={t('live.title')}>
          <span className="live-now">{t('live.now', { count: live.now })}</span>
          <span className="live-passed">{t('live.passed', { count: live.passed })}</span>
          {live.ended > 0 && <span className="live-ended">{t('live.ended', { count: live.ended })}</span>}
        </div>
      )}
      {NodeFooter && <NodeFooter id={id} />}
      {outputs.length > 0 && (
        <div className="flow-node-outputs">
          {outputs.map((o) => (
            <div
              key={o.name}
              className={`output${o.required ? '' : ' optional'}${problems?.some((p) => p.field === `outputs.${o.name}` && p.severity === 'error') ? ' output-problem' : ''}`}
              data-testid={`output-${o.name}`}
            >
              <span className="output-label">{outputLabel(o.name)}</span>
              <NodeHandle live={liveHandles} nodeId={id} type="source" position={Position.Right} id={o.name} className="handle-out" />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

/**
 * Only what the node draws: React Flow also hands a node its position, which changes on every frame
 * of a drag and which the node does not show.
 */
function samePicture(a: NodeProps<FlowNode>, b: NodeProps<FlowNode>): boolean {
  return a.id === b.id && a.type === b.type && a.data === b.data && a.selected === b.selected;
}

const NodeView = memo(ScenarioNodeView, samePicture);

/** React Flow's node types: one component per kind, each drawing that kind's essentials and outputs. */
export const NODE_TYPES = Object.fromEntries((Object.keys(NODE_KINDS) as NodeKind[]).map((k) => [k, NodeView]));
