import type { GoalNode } from '@nurtureflow/scenario';
import type { Reason } from '../types.ts';
import type { NodeHandler } from './handler.ts';

/** Counts a goal (appointment, conversion…); continues on `next`, or completes the enrollment when nothing follows. */
export const goal: NodeHandler<GoalNode> = {
  prepare: (node): Reason => Object.freeze({ code: 'goal', goal: node.goal }),
  arrive(run, p, at) {
    run.emit({ type: 'goalReached', key: run.key(), nodeId: p.id, productLine: run.productLine, goal: p.node.goal });
    if (p.outputs.get('next')) run.take('next', p.aux as Reason, at);
    else run.finish('completed', p.aux as Reason, at);
  },
};
