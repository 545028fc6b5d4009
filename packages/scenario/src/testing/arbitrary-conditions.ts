import fc, { type Arbitrary } from 'fast-check';
import { BUILTIN_EVENTS, ranks, stages, type Condition, type Duration, type Predicate, type Rank, type Stage } from '../common.ts';

/** Tags, attributes and events the generated conditions talk about. */
export const TAGS = ['vip', 'seminar', 'churned', 'partner', 'newsletter'] as const;
export const INDUSTRIES = ['it', 'retail', 'maker', 'finance'] as const;

/** A lead that a generated condition is known to match (or not): the witness that it can. */
export interface Witness {
  score: number;
  rank: Rank;
  stage: Stage;
  tags: string[];
  industry: string;
  employees: number;
  events: string[];
}

/** A random lead to build conditions around. */
export function arbitraryWitness(): Arbitrary<Witness> {
  return fc.record({
    score: fc.integer({ min: -50, max: 200 }),
    rank: fc.constantFrom(...ranks),
    stage: fc.constantFrom(...stages),
    tags: fc.subarray([...TAGS]),
    industry: fc.constantFrom(...INDUSTRIES),
    employees: fc.integer({ min: 1, max: 5000 }),
    events: fc.subarray([...BUILTIN_EVENTS]),
  });
}

const numericOps = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'] as const;
type NumericOp = (typeof numericOps)[number];

// A limit for `op` that `value` meets (truth) or misses, `delta` away.
function limit(op: NumericOp, value: number, delta: number, truth: boolean): number {
  const d = Math.max(1, delta);
  switch (op) {
    case 'eq':
      return truth ? value : value + d;
    case 'neq':
      return truth ? value + d : value;
    case 'gt':
      return truth ? value - d : value + d - 1;
    case 'gte':
      return truth ? value - d + 1 : value + d;
    case 'lt':
      return truth ? value + d : value - d + 1;
    case 'lte':
      return truth ? value + d - 1 : value - d;
  }
}

function setFor<T>(all: readonly T[], member: T, include: boolean): Arbitrary<T[]> {
  const others = all.filter((x) => x !== member);
  return fc.subarray(others).map((s) => (include ? [member, ...s] : s));
}

const window = (): Arbitrary<Duration> => fc.record({ amount: fc.integer({ min: 1, max: 60 }), unit: fc.constant('days' as const) });

/** A single predicate (possibly under `not`) that is true, or false, for the witness. */
export function predicateFor(w: Witness, truth: boolean, productLine?: string): Arbitrary<Condition> {
  const pl = productLine === undefined ? fc.constant({}) : fc.constantFrom({}, { productLine });
  const score = fc.tuple(fc.constantFrom(...numericOps), fc.integer({ min: 1, max: 50 }), pl).map(
    ([op, d, line]): Predicate => ({ type: 'score', op, value: limit(op, w.score, d, truth), ...line }),
  );
  const rank = fc.tuple(fc.constantFrom('in' as const, 'notIn' as const), pl).chain(([op, line]) =>
    setFor(ranks, w.rank, (op === 'in') === truth).map((set): Predicate => ({ type: 'rank', op, ranks: set, ...line })),
  );
  const stage = fc.tuple(fc.constantFrom('in' as const, 'notIn' as const), pl).chain(([op, line]) =>
    setFor(stages, w.stage, (op === 'in') === truth).map((set): Predicate => ({ type: 'stage', op, stages: set, ...line })),
  );
  const tag = fc.constantFrom(...TAGS).map((t): Predicate => ({ type: 'tag', op: w.tags.includes(t) === truth ? 'has' : 'hasNot', tag: t }));
  const industry = fc.constantFrom('eq' as const, 'neq' as const, 'in' as const, 'notIn' as const).chain((op) => {
    const positive = op === 'eq' || op === 'in';
    if (op === 'eq' || op === 'neq') {
      const value = positive === truth ? fc.constant(w.industry) : fc.constantFrom(...INDUSTRIES.filter((i) => i !== w.industry));
      return value.map((v): Predicate => ({ type: 'attribute', field: 'industry', op, value: v }));
    }
    return setFor(INDUSTRIES, w.industry, positive === truth).map((v): Predicate => ({ type: 'attribute', field: 'industry', op, value: v }));
  });
  const employees = fc
    .tuple(fc.constantFrom(...numericOps), fc.integer({ min: 1, max: 500 }))
    .map(([op, d]): Predicate => ({ type: 'attribute', field: 'employees', op, value: limit(op, w.employees, d, truth) }));
  const presence = fc
    .constantFrom('industry', 'fax')
    .map((field): Predicate => ({ type: 'attribute', field, op: (field === 'industry') === truth ? 'exists' : 'notExists' }));
  const event = fc
    .tuple(fc.constantFrom(...BUILTIN_EVENTS), window())
    .map(([e, within]): Predicate => ({ type: 'event', event: e, filters: [], within, op: w.events.includes(e) === truth ? 'atLeast' : 'none', count: 1 }));
  // The witness is never unsubscribed.
  const unsubscribed = fc
    .constantFrom('productLine' as const, 'global' as const)
    .map((scope): Condition => (truth ? { not: { type: 'unsubscribed', scope } } : { type: 'unsubscribed', scope }));
  return fc.oneof(score, rank, stage, tag, industry, employees, presence, event, unsubscribed);
}

/** A condition, nested up to `depth`, that is true (or false) for the witness, so it can match some lead. */
export function conditionFor(w: Witness, truth: boolean, depth: number, productLine?: string): Arbitrary<Condition> {
  const leaf = predicateFor(w, truth, productLine);
  if (depth <= 0) return leaf;
  const sub = (t: boolean) => conditionFor(w, t, depth - 1, productLine);
  // A mix of children with at least one of the given truth, in any order.
  const mixed = (t: boolean) =>
    fc.tuple(sub(t), fc.array(fc.boolean().chain(sub), { maxLength: 2 }), fc.nat()).map(([one, rest, at]) => {
      const list = [...rest];
      list.splice(at % (list.length + 1), 0, one);
      return list;
    });
  const all = truth ? fc.array(sub(true), { minLength: 1, maxLength: 3 }) : mixed(false);
  const any = truth ? mixed(true) : fc.array(sub(false), { minLength: 1, maxLength: 3 });
  return fc.oneof(
    { arbitrary: leaf, weight: 4 },
    { arbitrary: all.map((c): Condition => ({ all: c })), weight: 1 },
    { arbitrary: any.map((c): Condition => ({ any: c })), weight: 1 },
    { arbitrary: sub(!truth).map((c): Condition => ({ not: c })), weight: 1 },
  );
}

/** A condition that some lead matches. */
export function arbitrarySatisfiableCondition(productLine?: string, depth = 2): Arbitrary<Condition> {
  return arbitraryWitness().chain((w) => conditionFor(w, true, depth, productLine));
}

/** Any condition the format accepts, contradictions and catch-alls included. */
export function arbitraryCondition(depth = 2): Arbitrary<Condition> {
  const leaf = arbitraryWitness().chain((w) => fc.boolean().chain((t) => predicateFor(w, t, 'erp')));
  if (depth <= 0) return leaf;
  const sub = arbitraryCondition(depth - 1);
  return fc.oneof(
    { arbitrary: leaf, weight: 4 },
    { arbitrary: fc.array(sub, { maxLength: 3 }).map((c): Condition => ({ all: c })), weight: 1 },
    { arbitrary: fc.array(sub, { maxLength: 3 }).map((c): Condition => ({ any: c })), weight: 1 },
    { arbitrary: sub.map((c): Condition => ({ not: c })), weight: 1 },
  );
}
