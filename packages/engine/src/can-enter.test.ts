import { describe, expect, it } from 'vitest';
import { aGraph, dur } from '../../scenario/src/testing/builder.ts';
import { canEnter } from './can-enter.ts';
import { aLead, jst } from './testing/a-lead.ts';

const now = jst('2026-06-01T09:00');
const base = () => aGraph().trigger('t', { type: 'manual' }).exit('x');
const ended = (at: string) => ({ status: 'completed' as const, endedAt: jst(at) });

describe('canEnter', () => {
  it('lets a new lead in', () => {
    expect(canEnter(base().build(), aLead(), [], now)).toEqual({ ok: true });
  });

  it('never lets a lead in twice at the same time, whatever the policy', () => {
    const graph = base().with({ entry: { reEntry: { mode: 'always' } } }).build();
    expect(canEnter(graph, aLead(), [{ status: 'waiting', endedAt: null }], now)).toEqual({ ok: false, reason: 'alreadyActive' });
  });

  it('re-entry never: one enrollment per lead, ever', () => {
    expect(canEnter(base().build(), aLead(), [ended('2026-01-01T00:00')], now)).toEqual({ ok: false, reason: 'reEntryNever' });
  });

  it('re-entry after a period: counted from the last enrollment’s end', () => {
    const graph = base().with({ entry: { reEntry: { mode: 'after', period: dur(90, 'days') } } }).build();
    expect(canEnter(graph, aLead(), [ended('2026-01-01T09:00'), ended('2026-03-15T09:00')], now)).toEqual({ ok: false, reason: 'reEntryTooSoon' });
    expect(canEnter(graph, aLead(), [ended('2026-01-01T09:00'), ended('2026-03-03T09:00')], now)).toEqual({ ok: true });
  });

  it('re-entry always: again as soon as the last one ended', () => {
    const graph = base().with({ entry: { reEntry: { mode: 'always' } } }).build();
    expect(canEnter(graph, aLead(), [ended('2026-06-01T08:59')], now)).toEqual({ ok: true });
  });

  it('keeps out leads unsubscribed from this product line or from everything, unless told not to', () => {
    expect(canEnter(base().build(), aLead({ unsubscribed: true }), [], now)).toEqual({ ok: false, reason: 'unsubscribed' });
    expect(canEnter(base().build(), aLead({ unsubscribedAll: true }), [], now)).toEqual({ ok: false, reason: 'unsubscribed' });
    expect(canEnter(base().build(), aLead({ productLine: 'sfa', unsubscribed: true }), [], now)).toEqual({ ok: true });
    const anyway = base().with({ entry: { excludeUnsubscribed: false } }).build();
    expect(canEnter(anyway, aLead({ unsubscribed: true }), [], now)).toEqual({ ok: true });
  });

  it('applies the audience condition', () => {
    const graph = base().with({ entry: { audience: { type: 'attribute', field: 'industry', op: 'eq', value: 'IT' } } }).build();
    expect(canEnter(graph, aLead({ attributes: { industry: 'IT' } }), [], now)).toEqual({ ok: true });
    expect(canEnter(graph, aLead({ attributes: { industry: '製造' } }), [], now)).toEqual({ ok: false, reason: 'notInAudience' });
  });
});
