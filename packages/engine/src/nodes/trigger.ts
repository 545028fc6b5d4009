import type { TriggerNode, TriggerSource } from '@nurtureflow/scenario';
import type { Reason } from '../types.ts';
import type { NodeHandler } from './handler.ts';

/** How the lead came in, for the history: `event:form_submitted`, `segment`, `import`… */
function describe(source: TriggerSource): string {
  return source.type === 'event' ? `event:${source.event}` : source.type;
}

/** A trigger passes the new enrollment on to `next`. */
export const trigger: NodeHandler<TriggerNode> = {
  prepare: (node): Reason => Object.freeze({ code: 'entered', trigger: describe(node.trigger) }),
  arrive(run, p, at) {
    run.take('next', p.aux as Reason, at);
  },
};
