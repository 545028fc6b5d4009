import { validate, type Condition } from '@nurtureflow/scenario';
import { aGraph } from '@nurtureflow/scenario/testing';
import { describe, expect, it } from 'vitest';
import { addGroup, addRule, fromGroup, removeAt, replaceAt, toGroup, toggleNot } from './condition-model.ts';

const hot: Condition = { type: 'score', op: 'gte', value: 60 };
const vip: Condition = { type: 'tag', op: 'has', tag: 'vip' };

/** Problems of a branch whose only case has this condition. */
const problemsWith = (condition: Condition) =>
  validate(aGraph().trigger('t').branch('b', [{ id: 'c', condition }]).exit('x').connect('b', 'default', 'x').build()).filter((p) => p.nodeId === 'b');

describe('condition builder', () => {
  it('shows a lone rule as a group of one and stores it bare again', () => {
    const { group, single } = toGroup(hot);
    expect(single).toBe(true);
    expect(fromGroup(group)).toEqual(hot);
  });

  it('adding a rule to a lone rule makes "all of" both, a condition the format accepts', () => {
    const both = fromGroup(addRule(toGroup(hot).group));
    expect(both).toEqual({ all: [hot, { type: 'score', op: 'gte', value: 50 }] });
    expect(problemsWith(both)).toEqual([]);
  });

  it('switching to "any of" keeps the members; removing down to one "all of" member stores the rule', () => {
    const any = { any: [hot, vip] };
    expect(fromGroup(toGroup(any).group)).toEqual(any);
    expect(fromGroup(removeAt({ all: [hot, vip] }, 0))).toEqual(vip);
    expect(fromGroup(removeAt(any, 0))).toEqual({ any: [vip] });
  });

  it('a nested group and a negated rule make a valid branch condition: hot, and VIP or not unsubscribed', () => {
    const g = addGroup(toGroup(hot).group);
    const nested = replaceAt(g, 1, { any: [vip, toggleNot({ type: 'unsubscribed', scope: 'global' })] });
    const stored = fromGroup(nested);
    expect(stored).toEqual({ all: [hot, { any: [vip, { not: { type: 'unsubscribed', scope: 'global' } }] }] });
    expect(problemsWith(stored)).toEqual([]);
    expect(toggleNot(toggleNot(vip))).toEqual(vip);
  });

  it('a rule and its negation together can never match, and the format says so on the branch', () => {
    const never = fromGroup(replaceAt(addRule(toGroup(vip).group), 1, toggleNot(vip)));
    expect(problemsWith(never).map((p) => p.code)).toContain('SCN010');
  });
});
