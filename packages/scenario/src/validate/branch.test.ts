import { describe, expect, it } from 'vitest';
import type { Condition } from '../common.ts';
import { aGraph, dur } from '../testing/builder.ts';
import { validate } from './index.ts';
import { alwaysMatches, neverMatches } from './satisfiable.ts';

const score = (op: 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte', value: number, productLine?: string): Condition => ({
  type: 'score',
  op,
  value,
  ...(productLine ? { productLine } : {}),
});
const attr = (field: string, op: 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'notIn' | 'exists' | 'notExists', value?: unknown): Condition =>
  ({ type: 'attribute', field, op, ...(value === undefined ? {} : { value }) }) as Condition;
const tag = (op: 'has' | 'hasNot', t: string): Condition => ({ type: 'tag', op, tag: t });
const rank = (op: 'in' | 'notIn', ranks: ('A' | 'B' | 'C' | 'D')[]): Condition => ({ type: 'rank', op, ranks });
const stage = (op: 'in' | 'notIn', stages: ('prospect' | 'newCustomer' | 'existing' | 'loyal' | 'dormant')[]): Condition => ({ type: 'stage', op, stages });
const opened = (op: 'atLeast' | 'none'): Condition => ({ type: 'event', event: 'email_opened', filters: [], within: dur(14), op, count: 1 });

const never = (c: Condition) => neverMatches(c, 'crm') !== null;

/** A branch with the given cases in order, every output connected. */
function branch(...conditions: Condition[]) {
  let b = aGraph().trigger('t').branch('b', conditions.map((condition, i) => ({ id: `c${i + 1}`, condition }))).exit('x');
  for (let i = 1; i < conditions.length; i++) b = b.connect('b', `c${i + 1}`, 'x');
  return validate(b.connect('b', 'default', 'x').input());
}

describe('SCN010: a branch case that can never match', () => {
  it('a score above 80 and below 50 at once is reported as SCN010 on that case\'s condition', () => {
    const problems = branch({ all: [score('gt', 80), score('lt', 50)] });
    expect(problems.map((p) => [p.code, p.nodeId, p.field])).toEqual([['SCN010', 'b', 'cases.0.condition']]);
    expect(problems[0]?.message.en).toBe('Case "c1" of node "b" can never match: no crm score can meet all of its score limits at once.');
    expect(problems[0]?.message.ja).toBe('ノード「b」のケース「c1」は決して当てはまりません。商材「crm」のスコアの条件をすべて満たす値がありません。');
  });

  it('score ranges that touch only at an excluded end cannot match; ranges that share a point can', () => {
    expect(never({ all: [score('gte', 50), score('lt', 50)] })).toBe(true);
    expect(never({ all: [score('gte', 50), score('lte', 50)] })).toBe(false);
    expect(never({ all: [score('eq', 50), score('neq', 50)] })).toBe(true);
    expect(never({ all: [score('eq', 50), score('gt', 60)] })).toBe(true);
  });

  it('scores of different product lines do not contradict each other; an unnamed product line is the scenario\'s own', () => {
    expect(never({ all: [score('gt', 80), score('lt', 50, 'erp')] })).toBe(false);
    expect(never({ all: [score('gt', 80, 'crm'), score('lt', 50)] })).toBe(true);
  });

  it('an attribute equal to two different values, or in an empty list, cannot match', () => {
    expect(never({ all: [attr('industry', 'eq', 'it'), attr('industry', 'eq', 'retail')] })).toBe(true);
    expect(never(attr('industry', 'in', []))).toBe(true);
    expect(never({ all: [attr('industry', 'in', ['it', 'retail']), attr('industry', 'in', ['maker'])] })).toBe(true);
    expect(never({ all: [attr('industry', 'in', ['it', 'retail']), attr('industry', 'notIn', ['it'])] })).toBe(false);
    expect(never({ all: [attr('industry', 'eq', 'it'), attr('size', 'eq', 'large')] })).toBe(false);
  });

  it('numeric limits on one attribute that leave no room cannot match', () => {
    expect(never({ all: [attr('employees', 'gte', 1000), attr('employees', 'lt', 100)] })).toBe(true);
    expect(never({ all: [attr('employees', 'eq', 50), attr('employees', 'gt', 100)] })).toBe(true);
    expect(never({ all: [attr('employees', 'exists'), attr('employees', 'notExists')] })).toBe(true);
  });

  it('negated attribute comparisons are not turned around: a lead without the attribute fails both', () => {
    expect(never({ all: [{ not: attr('employees', 'gt', 5) }, { not: attr('employees', 'lt', 10) }] })).toBe(false);
    expect(never({ all: [{ not: attr('employees', 'gt', 5) }, attr('employees', 'gt', 5)] })).toBe(true);
  });

  it('rank and stage sets with nothing in common cannot match', () => {
    expect(never({ all: [rank('in', ['A', 'B']), rank('in', ['C'])] })).toBe(true);
    expect(never({ all: [rank('in', ['A']), rank('notIn', ['A'])] })).toBe(true);
    expect(never(rank('in', []))).toBe(true);
    expect(never({ all: [rank('notIn', ['A', 'B', 'C', 'D'])] })).toBe(false); // a lead without a rank
    expect(never({ all: [stage('notIn', ['prospect', 'newCustomer']), stage('in', ['prospect'])] })).toBe(true);
    expect(never(stage('notIn', ['prospect', 'newCustomer', 'existing', 'loyal', 'dormant']))).toBe(true);
  });

  it('a tag both present and absent cannot match', () => {
    expect(never({ all: [tag('has', 'vip'), tag('hasNot', 'vip')] })).toBe(true);
    expect(never({ all: [tag('has', 'vip'), { not: tag('has', 'vip') }] })).toBe(true);
    expect(never({ all: [tag('has', 'vip'), tag('hasNot', 'churned')] })).toBe(false);
  });

  it('an event both seen and not seen in the same window cannot match', () => {
    expect(never({ all: [opened('atLeast'), opened('none')] })).toBe(true);
    expect(never({ all: [opened('atLeast'), { ...opened('none'), within: dur(7) } as Condition] })).toBe(false);
  });

  it('an "any of" group with nothing in it cannot match, nor one whose every option cannot', () => {
    expect(never({ any: [] })).toBe(true);
    expect(never({ any: [{ all: [tag('has', 'a'), tag('hasNot', 'a')] }, attr('x', 'in', [])] })).toBe(true);
    expect(never({ any: [{ all: [tag('has', 'a'), tag('hasNot', 'a')] }, tag('has', 'b')] })).toBe(false);
  });

  it('contradictions are found through nested groups and negations', () => {
    expect(never({ all: [score('gt', 80), { not: { any: [tag('has', 'x'), score('gt', 10)] } }] })).toBe(true);
    expect(never({ all: [{ any: [score('gt', 80), score('gt', 90)] }, score('lt', 50)] })).toBe(true);
    expect(never({ not: { all: [] } })).toBe(true);
  });

  it('a case with the same condition as an earlier case is SCN010, whatever the order of its fields', () => {
    const problems = branch(tag('has', 'vip'), { tag: 'vip', op: 'has', type: 'tag' } as Condition);
    expect(problems.map((p) => [p.code, p.field])).toEqual([['SCN010', 'cases.1.condition']]);
    expect(problems[0]?.message.en).toContain('same condition as case "c1"');
  });

  it('a condition too large to analyse is assumed to be able to match', () => {
    const wide: Condition = { all: Array.from({ length: 12 }, (_, i) => ({ any: [tag('has', `a${i}`), tag('has', `b${i}`)] })) };
    expect(never({ all: [wide, { any: [] }] })).toBe(false);
  });
});

describe('SCN017: a case after a case that matches every lead', () => {
  it('a case after an empty "all of" group is a SCN017 warning on each later case', () => {
    const problems = branch(tag('has', 'vip'), { all: [] }, tag('has', 'new'), score('gt', 10));
    expect(problems.map((p) => [p.code, p.severity, p.field])).toEqual([
      ['SCN017', 'warning', 'cases.2.condition'],
      ['SCN017', 'warning', 'cases.3.condition'],
    ]);
    expect(problems[0]?.message.en).toBe('Case "c3" of node "b" is never tried: case "c2" before it matches every lead.');
  });

  it('a catch-all as the last case is fine', () => {
    expect(branch(tag('has', 'vip'), { all: [] })).toEqual([]);
  });

  it('conditions that hold for every lead are recognised', () => {
    expect(alwaysMatches({ all: [] }, 'crm')).toBe(true);
    expect(alwaysMatches({ any: [tag('has', 'x'), tag('hasNot', 'x')] }, 'crm')).toBe(true);
    expect(alwaysMatches({ any: [score('gt', 10), score('lte', 10)] }, 'crm')).toBe(true);
    expect(alwaysMatches(rank('notIn', []), 'crm')).toBe(true);
    expect(alwaysMatches(tag('has', 'x'), 'crm')).toBe(false);
    expect(alwaysMatches({ any: [attr('x', 'gt', 10), attr('x', 'lte', 10)] }, 'crm')).toBe(false);
  });
});
