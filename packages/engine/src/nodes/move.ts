import type { MoveNode } from '@nurtureflow/scenario';
import type { Reason } from '../types.ts';
import type { NodeHandler } from './handler.ts';

/** Enrols the lead in another scenario (cross-sell names another product line); leaves this one unless told to stay. */
export const move: NodeHandler<MoveNode> = {
  arrive(run, p, at) {
    const node = p.node;
    const productLine = node.productLine ?? run.productLine;
    run.emit({ type: 'enroll', key: run.key(), nodeId: p.id, productLine, scenarioId: node.scenarioId });
    const reason: Reason = { code: 'moved', scenarioId: node.scenarioId, productLine };
    if (node.exitCurrent) run.finish('exited', reason, at);
    else run.take('next', reason, at);
  },
};
