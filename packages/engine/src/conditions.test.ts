import { describe, expect, it } from 'vitest';
import { evaluateCondition } from './conditions.ts';
import { aLead, anEvent, jst } from './testing/a-lead.ts';

const now = jst('2026-04-10T12:00');
const scope = { productLine: 'crm', now };

describe('evaluateCondition', () => {
  it('compares the score of the scenario product line and reports it', () => {
    expect(evaluateCondition({ type: 'score', op: 'gte', value: 50 }, aLead({ score: 55 }), scope)).toEqual({ matched: true, values: { score: 55 } });
    expect(evaluateCondition({ type: 'score', op: 'gte', value: 60 }, aLead({ score: 55 }), scope).matched).toBe(false);
  });

  it('reads another product line when the predicate names one, keyed by it in the values', () => {
    const lead = aLead({ products: { sfa: { score: 90 } } });
    expect(evaluateCondition({ type: 'score', productLine: 'sfa', op: 'gt', value: 80 }, lead, scope)).toEqual({ matched: true, values: { 'score@sfa': 90 } });
  });

  it('treats a product line without standing as score 0, no rank, prospect', () => {
    const lead = aLead();
    expect(evaluateCondition({ type: 'score', op: 'eq', value: 0 }, lead, scope).matched).toBe(true);
    expect(evaluateCondition({ type: 'rank', op: 'notIn', ranks: ['A', 'B', 'C', 'D'] }, lead, scope)).toEqual({ matched: true, values: { rank: null } });
    expect(evaluateCondition({ type: 'stage', op: 'in', stages: ['prospect'] }, lead, scope).matched).toBe(true);
  });

  it('checks rank and stage membership', () => {
    const lead = aLead({ rank: 'B', stage: 'existing' });
    expect(evaluateCondition({ type: 'rank', op: 'in', ranks: ['A', 'B'] }, lead, scope)).toEqual({ matched: true, values: { rank: 'B' } });
    expect(evaluateCondition({ type: 'stage', op: 'notIn', stages: ['existing'] }, lead, scope)).toEqual({ matched: false, values: { stage: 'existing' } });
  });

  it('tests attributes with numbers from strings, ordering, membership, contains and existence', () => {
    const lead = aLead({ attributes: { employees: '250', industry: 'IT', company: '株式会社サンプル', since: '2024-05-01', fax: null } });
    const attr = (field: string, op: 'eq' | 'gt' | 'lt' | 'in' | 'notIn' | 'contains' | 'exists' | 'notExists' | 'neq', value?: unknown) =>
      evaluateCondition({ type: 'attribute', field, op, ...(value === undefined ? {} : { value: value as never }) }, lead, scope).matched;
    expect(attr('employees', 'gt', 100)).toBe(true);
    expect(attr('employees', 'eq', 250)).toBe(true);
    expect(attr('since', 'lt', '2025-01-01')).toBe(true);
    expect(attr('industry', 'in', ['IT', '製造'])).toBe(true);
    expect(attr('industry', 'notIn', ['IT'])).toBe(false);
    expect(attr('company', 'contains', 'サンプル')).toBe(true);
    expect(attr('industry', 'contains', 'it')).toBe(true);
    expect(attr('fax', 'exists')).toBe(false);
    expect(attr('fax', 'notExists')).toBe(true);
    expect(attr('missing', 'neq', 'x')).toBe(true);
    expect(attr('missing', 'gt', 1)).toBe(false);
    expect(evaluateCondition({ type: 'attribute', field: 'industry', op: 'eq', value: 'IT' }, lead, scope).values).toEqual({ 'attributes.industry': 'IT' });
  });

  it('never finds Object.prototype members as attributes', () => {
    expect(evaluateCondition({ type: 'attribute', field: 'constructor', op: 'exists' }, aLead(), scope).matched).toBe(false);
  });

  it('checks tags and unsubscribes', () => {
    const lead = aLead({ tags: ['vip'], unsubscribed: true });
    expect(evaluateCondition({ type: 'tag', op: 'has', tag: 'vip' }, lead, scope)).toEqual({ matched: true, values: { 'tags.vip': true } });
    expect(evaluateCondition({ type: 'unsubscribed', scope: 'productLine' }, lead, scope).matched).toBe(true);
    expect(evaluateCondition({ type: 'unsubscribed', scope: 'global' }, lead, scope).matched).toBe(false);
  });

  it('counts events of the kind in the window, of this product line or of none', () => {
    const lead = aLead({
      recentEvents: [
        anEvent('email_opened', jst('2026-04-01T09:00'), { productLine: 'crm' }), // outside 7 days
        anEvent('email_opened', jst('2026-04-05T09:00'), { productLine: 'crm' }),
        anEvent('email_opened', jst('2026-04-06T09:00'), { productLine: 'sfa' }), // another product line
        anEvent('email_opened', jst('2026-04-08T09:00'), { productLine: null }),
        anEvent('page_visited', jst('2026-04-09T09:00'), { productLine: 'crm', data: { path: '/pricing' } }),
        anEvent('email_opened', jst('2026-04-11T09:00'), { productLine: 'crm' }), // after now: not yet
      ],
    });
    const opened = { type: 'event' as const, event: 'email_opened', filters: [], within: { amount: 7, unit: 'days' as const }, op: 'atLeast' as const, count: 2 };
    expect(evaluateCondition(opened, lead, scope)).toEqual({ matched: true, values: { 'events.email_opened': 2 } });
    expect(evaluateCondition({ ...opened, count: 3 }, lead, scope).matched).toBe(false);
    expect(evaluateCondition({ ...opened, op: 'none' }, lead, scope).matched).toBe(false);
    const pricing = { ...opened, event: 'page_visited', count: 1, filters: [{ field: 'path', op: 'eq' as const, value: '/pricing' }] };
    expect(evaluateCondition(pricing, lead, scope).matched).toBe(true);
    expect(evaluateCondition({ ...opened, event: '*', count: 3 }, lead, scope).matched).toBe(true);
  });

  it('combines with all, any and not, reporting only what it looked at', () => {
    const lead = aLead({ score: 70, rank: 'B', tags: ['vip'] });
    const hot = { all: [{ type: 'score' as const, op: 'gte' as const, value: 60 }, { type: 'rank' as const, op: 'in' as const, ranks: ['A' as const] }] };
    expect(evaluateCondition(hot, lead, scope)).toEqual({ matched: false, values: { score: 70, rank: 'B' } });
    const either = { any: [{ type: 'tag' as const, op: 'has' as const, tag: 'vip' }, { type: 'score' as const, op: 'gte' as const, value: 60 }] };
    expect(evaluateCondition(either, lead, scope)).toEqual({ matched: true, values: { 'tags.vip': true } });
    expect(evaluateCondition({ not: either }, lead, scope).matched).toBe(false);
    expect(evaluateCondition({ all: [] }, lead, scope).matched).toBe(true);
    expect(evaluateCondition({ any: [] }, lead, scope).matched).toBe(false);
  });
});
