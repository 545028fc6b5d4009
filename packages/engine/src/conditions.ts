import type { Condition, Predicate } from '@nurtureflow/scenario';
import { DEFAULT_CALENDAR, subtractDuration, type CalendarSettings } from './calendar.ts';
import { matchFieldTest, matchFieldTests, own } from './field-test.ts';
import type { LeadView, Millis } from './types.ts';

/** Where a condition is evaluated: the scenario's product line, the logical time, its calendar. */
export interface ConditionScope {
  productLine: string;
  now: Millis;
  /** For look-back windows in days or business days; the scenario defaults (Tokyo) when absent. */
  settings?: CalendarSettings;
}

/** What a condition looked at, for the history: `{ score: 55, rank: 'B', 'events.email_opened': 2 }`. */
export type LookedAt = Record<string, unknown>;

/**
 * A compiled condition: true when the lead matches; writes what it looked at into `values`, or
 * nothing when `values` is null (only the answer is wanted: a goal checked at every arrival, an
 * audience, a segment trigger).
 */
export type ConditionTest = (lead: LeadView, scope: ConditionScope, values: LookedAt | null) => boolean;

const compiled = new WeakMap<object, ConditionTest>();

/** The compiled form of a condition, cached per condition object (parsed graphs are immutable). */
export function compileCondition(condition: Condition): ConditionTest {
  let test = compiled.get(condition);
  if (test === undefined) {
    test = compile(condition);
    compiled.set(condition, test);
  }
  return test;
}

/** Evaluates a condition on the lead as it is now, returning whether it matched and the values it looked at. */
export function evaluateCondition(
  condition: Condition,
  lead: LeadView,
  scope: ConditionScope,
): { matched: boolean; values: LookedAt } {
  const values: LookedAt = {};
  return { matched: compileCondition(condition)(lead, scope, values), values };
}

function compile(c: Condition): ConditionTest {
  if ('all' in c) {
    const parts = c.all.map(compileCondition);
    return (lead, scope, values) => {
      for (let i = 0; i < parts.length; i++) if (!parts[i]!(lead, scope, values)) return false;
      return true;
    };
  }
  if ('any' in c) {
    const parts = c.any.map(compileCondition);
    return (lead, scope, values) => {
      for (let i = 0; i < parts.length; i++) if (parts[i]!(lead, scope, values)) return true;
      return false;
    };
  }
  if ('not' in c) {
    const inner = compileCondition(c.not);
    return (lead, scope, values) => !inner(lead, scope, values);
  }
  return compilePredicate(c);
}

/** The history key for a per-product-line value: plain for the scenario's own line, `score@sfa` for another. */
function lineKey(name: string, line: string | undefined): (scope: ConditionScope) => string {
  if (line === undefined) return () => name;
  const other = `${name}@${line}`;
  return (scope) => (scope.productLine === line ? name : other);
}

function compilePredicate(p: Predicate): ConditionTest {
  switch (p.type) {
    case 'attribute': {
      const key = `attributes.${p.field}`;
      return (lead, _scope, values) => {
        const actual = own(lead.attributes, p.field);
        if (values !== null) values[key] = actual ?? null;
        return matchFieldTest(p, actual);
      };
    }
    case 'score': {
      const key = lineKey('score', p.productLine);
      const { op, value } = p;
      return (lead, scope, values) => {
        const score = own(lead.products, p.productLine ?? scope.productLine)?.score ?? 0;
        if (values !== null) values[key(scope)] = score;
        switch (op) {
          case 'eq':
            return score === value;
          case 'neq':
            return score !== value;
          case 'gt':
            return score > value;
          case 'gte':
            return score >= value;
          case 'lt':
            return score < value;
          case 'lte':
            return score <= value;
        }
      };
    }
    case 'rank': {
      const key = lineKey('rank', p.productLine);
      const inList = p.op === 'in';
      return (lead, scope, values) => {
        const rank = own(lead.products, p.productLine ?? scope.productLine)?.rank ?? null;
        if (values !== null) values[key(scope)] = rank;
        return (rank !== null && listHas(p.ranks, rank)) === inList;
      };
    }
    case 'stage': {
      const key = lineKey('stage', p.productLine);
      const inList = p.op === 'in';
      return (lead, scope, values) => {
        const stage = own(lead.products, p.productLine ?? scope.productLine)?.stage ?? 'prospect';
        if (values !== null) values[key(scope)] = stage;
        return listHas(p.stages, stage) === inList;
      };
    }
    case 'tag': {
      const key = `tags.${p.tag}`;
      const want = p.op === 'has';
      return (lead, _scope, values) => {
        const has = lead.tags.includes(p.tag);
        if (values !== null) values[key] = has;
        return has === want;
      };
    }
    case 'event': {
      const key = lineKey(`events.${p.event}`, p.productLine);
      return (lead, scope, values) => {
        const count = countEvents(p, lead, scope);
        if (values !== null) values[key(scope)] = count;
        return p.op === 'none' ? count === 0 : count >= p.count;
      };
    }
    case 'unsubscribed': {
      if (p.scope === 'global') {
        return (lead, _scope, values) => {
          if (values !== null) values['unsubscribedAll'] = lead.unsubscribedAll;
          return lead.unsubscribedAll;
        };
      }
      return (lead, scope, values) => {
        const unsubscribed = own(lead.products, scope.productLine)?.unsubscribed ?? false;
        if (values !== null) values['unsubscribed'] = unsubscribed;
        return unsubscribed;
      };
    }
  }
}

/** Whether a short list of names holds one (a loop the compiler inlines, where `includes` is a call). */
export function listHas(list: readonly string[], name: string): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === name) return true;
  return false;
}

/**
 * Events of the kind in the window (now − within, now], of the product line or of none. Events
 * after `now` are not counted: a lead view read late must not change a decision taken at `now`.
 */
function countEvents(p: Extract<Predicate, { type: 'event' }>, lead: LeadView, scope: ConditionScope): number {
  const line = p.productLine ?? scope.productLine;
  const from = subtractDuration(scope.settings ?? DEFAULT_CALENDAR, scope.now, p.within);
  const events = lead.recentEvents;
  let count = 0;
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.at > scope.now) continue;
    if (e.at <= from) break;
    if (p.event !== '*' && e.kind !== p.event) continue;
    if (e.productLine !== null && e.productLine !== line) continue;
    if (p.filters.length > 0 && !matchFieldTests(p.filters, e.data)) continue;
    count++;
  }
  return count;
}
