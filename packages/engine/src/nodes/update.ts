import type { UpdateNode } from '@nurtureflow/scenario';
import type { NodeHandler } from './handler.ts';
import { PASSED } from './shared.ts';

/** Changes attributes, rank, stage or tags (the working view too), then `next`. */
export const update: NodeHandler<UpdateNode> = {
  arrive(run, p, at) {
    run.emit({ type: 'updateLead', key: run.key(), nodeId: p.id, productLine: run.productLine, changes: p.node.changes });
    run.applyChanges(p.node.changes);
    run.take('next', PASSED, at);
  },
};
