import type { ScoreNode } from '@nurtureflow/scenario';
import type { NodeHandler } from './handler.ts';
import { PASSED } from './shared.ts';

/** Changes the lead's score in the scenario's product line (the working view too, so later branches see it), then `next`. */
export const score: NodeHandler<ScoreNode> = {
  arrive(run, p, at) {
    const node = p.node;
    run.emit({ type: 'changeScore', key: run.key(), nodeId: p.id, productLine: run.productLine, points: node.points, reason: node.reason });
    run.addScore(node.points);
    run.take('next', PASSED, at);
  },
};
