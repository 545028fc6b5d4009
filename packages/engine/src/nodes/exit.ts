import type { ExitNode } from '@nurtureflow/scenario';
import type { Reason } from '../types.ts';
import type { NodeHandler } from './handler.ts';

/** Completes the enrollment. */
export const exit: NodeHandler<ExitNode> = {
  prepare: (node): Reason => Object.freeze({ code: 'exit', why: node.reason }),
  arrive(run, p, at) {
    run.finish('completed', p.aux as Reason, at);
  },
};
