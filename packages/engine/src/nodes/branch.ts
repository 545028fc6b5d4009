import type { BranchNode } from '@nurtureflow/scenario';
import { compileCondition, type ConditionTest, type LookedAt } from '../conditions.ts';
import type { NodeHandler } from './handler.ts';

/**
 * Takes the first case whose condition the lead matches as it is now (after any score or update
 * earlier in the same advance), else `default`. The history keeps the case and the values looked at.
 */
export const branch: NodeHandler<BranchNode> = {
  prepare: (node): readonly { id: string; test: ConditionTest }[] => node.cases.map((c) => ({ id: c.id, test: compileCondition(c.condition) })),
  arrive(run, p, at) {
    const cases = p.aux as readonly { id: string; test: ConditionTest }[];
    const scope = run.scope(at);
    const values: LookedAt = {};
    for (let i = 0; i < cases.length; i++) {
      const c = cases[i]!;
      if (c.test(run.lead, scope, values)) return run.take(c.id, { code: 'case', caseId: c.id, values }, at);
    }
    run.take('default', { code: 'default', values }, at);
  },
};
