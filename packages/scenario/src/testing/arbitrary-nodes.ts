import fc, { type Arbitrary } from 'fast-check';
import { BUILTIN_EVENTS, durationUnits, ranks, stages, type Condition, type Duration } from '../common.ts';
import type { nodeSchema, NodeKind } from '../nodes/index.ts';
import type { z } from 'zod';
import { canonicalJson } from '../validate/canonical.ts';
import { arbitraryCondition, arbitrarySatisfiableCondition, TAGS } from './arbitrary-conditions.ts';

type NodeInput = z.input<typeof nodeSchema>;
/** A node as written, without its outputs. */
export type NodeBody = NodeInput extends infer N ? (N extends unknown ? Omit<N, 'outputs'> : never) : never;

/** How wild the generated nodes may be. */
export interface NodeMode {
  /** Only nodes a valid graph can hold: satisfiable cases, unique ids, weights that split, waits within `maxWaitDays`. */
  valid: boolean;
  /** The scenario's product line; another one (`erp`) appears in cross-sell moves and predicates. */
  productLine: string;
  maxWaitDays: number;
}

export const TEMPLATES = ['welcome', 'case-study', 'seminar-invite', 'reminder', 'coupon'] as const;
export const OTHER_PRODUCT_LINE = 'erp';

/** A duration whose upper bound (durationUpperBoundDays) is at most `maxDays`. */
export function arbitraryDuration(maxDays: number): Arbitrary<Duration> {
  const unit = <U extends Duration['unit']>(u: U, max: number) => fc.integer({ min: 0, max: Math.max(0, Math.floor(max)) }).map((amount) => ({ amount, unit: u }));
  const choices: Arbitrary<Duration>[] = [unit('minutes', Math.min(maxDays * 1440, 100_000)), unit('hours', Math.min(maxDays * 24, 100_000)), unit('days', maxDays)];
  if (maxDays >= 7) choices.push(unit('weeks', maxDays / 7));
  if (maxDays >= 9) choices.push(unit('businessDays', ((maxDays - 7) * 5) / 7 - 1));
  return fc.oneof(...choices);
}

/** Any duration the format accepts. */
export function arbitraryAnyDuration(): Arbitrary<Duration> {
  return fc.record({ amount: fc.integer({ min: 0, max: 100_000 }), unit: fc.constantFrom(...durationUnits) });
}

const time = () => fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const label = () => fc.constantFrom('', 'Welcome', '資料請求のお礼', 'Follow-up call', 'Hot lead');

function caseIds(mode: NodeMode, min: number, max: number): Arbitrary<string[]> {
  const pool = ['hot', 'warm', 'cold', 'vip', 'it', 'retail', 'A', 'B', 'C'];
  return mode.valid
    ? fc.uniqueArray(fc.constantFrom(...pool), { minLength: min, maxLength: max })
    : fc.array(fc.constantFrom(...pool, 'default'), { minLength: min, maxLength: max });
}

function condition(mode: NodeMode): Arbitrary<Condition> {
  return mode.valid ? arbitrarySatisfiableCondition(mode.productLine) : arbitraryCondition();
}

function duration(mode: NodeMode, maxDays = mode.maxWaitDays): Arbitrary<Duration> {
  return mode.valid ? arbitraryDuration(maxDays) : arbitraryAnyDuration();
}

/** Optional name and note, present or absent (never undefined). */
function common(): Arbitrary<{ name?: string; note?: string }> {
  return fc.record({ name: fc.constantFrom('Welcome mail', 'Call', 'ホット判定', 'Wait a week'), note: fc.constantFrom('', 'Check with sales first') }, { requiredKeys: [] });
}

const event = () => fc.constantFrom(...BUILTIN_EVENTS);

// A case with the same condition as an earlier one can never be taken (SCN010).
function distinctConditions<C extends { condition: Condition }>(cases: C[]): C[] {
  const seen = new Set<string>();
  return cases.filter((c) => {
    const key = canonicalJson(c.condition);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A trigger body: every source kind. */
export function arbitraryTrigger(mode: NodeMode): Arbitrary<NodeBody> {
  const source = fc.oneof(
    event().map((e) => ({ type: 'event' as const, event: e, filters: [] })),
    condition(mode).map((c) => ({ type: 'segment' as const, condition: c })),
    fc.integer({ min: 0, max: 150 }).map((min) => ({ type: 'score' as const, min })),
    fc.subarray([...ranks], { minLength: 1 }).map((r) => ({ type: 'rank' as const, ranks: r })),
    fc.constant({ type: 'import' as const }),
    fc.constant({ type: 'manual' as const }),
    fc
      .tuple(fc.constantFrom('day' as const, 'week' as const, 'month' as const), time(), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 28 }), fc.option(condition(mode), { nil: undefined }))
      .map(([every, at, weekday, dayOfMonth, c]) => ({
        type: 'schedule' as const,
        every,
        at,
        ...(every === 'week' ? { weekday } : every === 'month' ? { dayOfMonth } : {}),
        ...(c ? { condition: c } : {}),
      })),
  );
  return fc.tuple(common(), source).map(([c, trigger]) => ({ kind: 'trigger', ...c, trigger }));
}

/** A body of the given kind. */
export function arbitraryNodeBody(kind: Exclude<NodeKind, 'trigger'>, mode: NodeMode): Arbitrary<NodeBody> {
  const withCommon = <T extends object>(a: Arbitrary<T>) => fc.tuple(common(), a).map(([c, b]) => ({ ...c, ...b }) as unknown as NodeBody);
  switch (kind) {
    case 'email':
      return withCommon(
        fc.record(
          { kind: fc.constant('email'), template: fc.constantFrom(...TEMPLATES), subject: fc.constantFrom('Thank you', 'ご案内'), onCap: fc.constantFrom('defer', 'skip'), respectQuietHours: fc.boolean() },
          { requiredKeys: ['kind', 'template'] },
        ),
      );
    case 'callTask':
      return withCommon(
        fc.record({
          kind: fc.constant('callTask'),
          script: fc.constantFrom('', 'Ask about the seminar'),
          dueIn: duration(mode, 10),
          maxAttempts: fc.integer({ min: 1, max: 20 }),
          retryInterval: duration(mode, 10),
        }),
      );
    case 'handoff':
      return withCommon(
        fc.record(
          { kind: fc.constant('handoff'), to: fc.constantFrom('sales', 'inside-sales@example.com'), reason: label(), responseTimeout: duration(mode) },
          { requiredKeys: ['kind'] },
        ),
      );
    case 'directMail':
      return withCommon(
        fc.record({
          kind: fc.constant('directMail'),
          medium: fc.constantFrom('mail', 'fax'),
          template: fc.constantFrom(...TEMPLATES),
          landingUrl: fc.constantFrom('https://example.com/campaign', 'https://example.jp/lp?utm=dm'),
        }),
      );
    case 'webhook':
      return withCommon(
        fc.record({
          kind: fc.constant('webhook'),
          url: fc.constantFrom('https://hooks.example.com/crm', 'https://line.example.com/push'),
          payload: fc.constantFrom({}, { list: 'hot' }),
          channel: fc.constantFrom('crm', 'line', 'sns'),
        }),
      );
    case 'wait':
      return withCommon(
        fc.record({
          kind: fc.constant('wait'),
          wait: fc.oneof(
            duration(mode).map((d) => ({ mode: 'for' as const, duration: d })),
            fc.tuple(time(), fc.boolean()).map(([t, b]) => ({ mode: 'until' as const, time: t, businessDaysOnly: b })),
          ),
        }),
      );
    case 'waitForEvent':
      return withCommon(
        fc.record({ kind: fc.constant('waitForEvent'), event: event(), filters: fc.constant([]), sameScenario: fc.boolean(), timeout: duration(mode) }),
      );
    case 'branch':
      return withCommon(
        caseIds(mode, 0, 4).chain((ids) =>
          fc
            .tuple(...ids.map((id) => fc.tuple(condition(mode), label()).map(([c, l]) => ({ id, label: l, condition: c }))))
            .map((cases) => ({ kind: 'branch', cases: mode.valid ? distinctConditions(cases) : cases })),
        ),
      );
    case 'split': {
      const variants = caseIds(mode, mode.valid ? 2 : 0, 4).chain((ids) =>
        fc
          .tuple(...ids.map((id) => fc.tuple(fc.integer({ min: 0, max: 100 }), fc.boolean()).map(([weight, holdout]) => ({ id, label: '', weight, holdout }))))
          .map((vs) => (mode.valid && vs.every((v) => v.weight === 0) && vs[0] ? [{ ...vs[0], weight: 1 }, ...vs.slice(1)] : vs)),
      );
      return withCommon(variants.map((v) => ({ kind: 'split', variants: v })));
    }
    case 'score':
      return withCommon(fc.record({ kind: fc.constant('score'), points: fc.integer({ min: -100, max: 100 }), reason: label() }));
    case 'update': {
      const change = fc.oneof(
        fc.record({ op: fc.constant('setAttribute' as const), key: fc.constantFrom('industry', 'status', 'lastCampaign'), value: fc.constantFrom('it', 42, true, null) }),
        fc.record({ op: fc.constant('unsetAttribute' as const), key: fc.constantFrom('status', 'fax') }),
        fc.record({ op: fc.constant('setRank' as const), rank: fc.constantFrom(...ranks) }),
        fc.record({ op: fc.constant('setStage' as const), stage: fc.constantFrom(...stages) }),
        fc.record({ op: fc.constant('addTag' as const), tag: fc.constantFrom(...TAGS) }),
        fc.record({ op: fc.constant('removeTag' as const), tag: fc.constantFrom(...TAGS) }),
      );
      return withCommon(fc.record({ kind: fc.constant('update'), changes: fc.array(change, { minLength: 1, maxLength: 3 }) }));
    }
    case 'move':
      return withCommon(
        fc.record(
          { kind: fc.constant('move'), productLine: fc.constantFrom(mode.productLine, OTHER_PRODUCT_LINE), scenarioId: fc.constantFrom('upsell', 'reactivation', 'nurture-b'), exitCurrent: fc.boolean() },
          { requiredKeys: ['kind', 'scenarioId', 'exitCurrent'] },
        ),
      );
    case 'goal':
      return withCommon(fc.record({ kind: fc.constant('goal'), goal: fc.constantFrom('appointment', 'conversion', 'seminar') }));
    case 'exit':
      return withCommon(fc.record({ kind: fc.constant('exit'), reason: fc.constantFrom('', 'Unsubscribed', 'Not a fit') }));
  }
}
