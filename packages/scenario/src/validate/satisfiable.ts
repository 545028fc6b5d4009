import { ranks, stages, type Condition, type Predicate, type Rank, type Scalar, type Stage } from '../common.ts';
import type { Bilingual } from '../problems.ts';
import { canonicalJson } from './canonical.ts';

/**
 * Whether a branch condition can ever match, decided conservatively: "never" only when it is
 * certain on any lead. The condition is put in disjunctive normal form (negations pushed down to
 * the predicates), and it never matches when every conjunction holds a contradiction: numeric
 * limits on one score or attribute that leave no room, two different required values, an empty
 * list, rank or stage sets with nothing in common, a tag both present and absent, an event both
 * seen and not seen in the same window, or a predicate together with its own negation.
 */

interface Literal {
  positive: boolean;
  p: Predicate;
}
type Term = Literal[];

/** Why a condition can never match, in words for the marketer. */
export type Contradiction = Bilingual;

// Beyond this many conjunctions the analysis gives up and assumes the condition can match.
const MAX_TERMS = 256;

const NEGATE_NUMERIC = { eq: 'neq', neq: 'eq', gt: 'lte', gte: 'lt', lt: 'gte', lte: 'gt' } as const;

// A negated predicate rewritten as a positive one where that is exact on every lead (a score is
// always a number, a stage always set, a rank null or a letter). Attribute comparisons are not
// rewritten: on a lead without the attribute both `gt 5` and `not gt 5` may be false.
function literal(p: Predicate, positive: boolean): Literal {
  if (positive) return { positive, p };
  switch (p.type) {
    case 'score':
      return { positive: true, p: { ...p, op: NEGATE_NUMERIC[p.op] } };
    case 'rank':
      return { positive: true, p: { ...p, op: p.op === 'in' ? 'notIn' : 'in' } };
    case 'stage':
      return { positive: true, p: { ...p, op: p.op === 'in' ? 'notIn' : 'in' } };
    case 'tag':
      return { positive: true, p: { ...p, op: p.op === 'has' ? 'hasNot' : 'has' } };
    case 'attribute':
      if (p.op === 'exists' || p.op === 'notExists') return { positive: true, p: { ...p, op: p.op === 'exists' ? 'notExists' : 'exists' } };
      return { positive, p };
    case 'event':
      if (p.op === 'none') return { positive: true, p: { ...p, op: 'atLeast', count: 1 } };
      if (p.count === 1) return { positive: true, p: { ...p, op: 'none' } };
      return { positive, p };
    default:
      return { positive, p };
  }
}

function isPredicate(c: Condition): c is Predicate {
  return 'type' in c;
}

// Disjunctive normal form of `c` (or of its negation); null when it grows too large.
function dnf(c: Condition, negate: boolean): Term[] | null {
  if (isPredicate(c)) return [[literal(c, !negate)]];
  if ('not' in c) return dnf(c.not, !negate);
  const conjunctive = 'all' in c ? !negate : negate;
  const children = 'all' in c ? c.all : c.any;
  if (!conjunctive) {
    const terms: Term[] = [];
    for (const child of children) {
      const t = dnf(child, negate);
      if (t === null) return null;
      terms.push(...t);
      if (terms.length > MAX_TERMS) return null;
    }
    return terms;
  }
  let terms: Term[] = [[]];
  for (const child of children) {
    const t = dnf(child, negate);
    if (t === null) return null;
    const next: Term[] = [];
    for (const a of terms) for (const b of t) next.push([...a, ...b]);
    if (next.length > MAX_TERMS) return null;
    terms = next;
  }
  return terms;
}

interface Interval {
  lo: number;
  loOpen: boolean;
  hi: number;
  hiOpen: boolean;
}

function narrow(iv: Interval, op: 'gt' | 'gte' | 'lt' | 'lte', v: number): void {
  if (op === 'gt' || op === 'gte') {
    const open = op === 'gt';
    if (v > iv.lo || (v === iv.lo && open)) Object.assign(iv, { lo: v, loOpen: open });
  } else {
    const open = op === 'lt';
    if (v < iv.hi || (v === iv.hi && open)) Object.assign(iv, { hi: v, hiOpen: open });
  }
}

function inInterval(iv: Interval, v: number): boolean {
  return (v > iv.lo || (v === iv.lo && !iv.loOpen)) && (v < iv.hi || (v === iv.hi && !iv.hiOpen));
}

function emptyInterval(iv: Interval): boolean {
  return iv.lo > iv.hi || (iv.lo === iv.hi && (iv.loOpen || iv.hiOpen));
}

const fullInterval = (): Interval => ({ lo: -Infinity, loOpen: false, hi: Infinity, hiOpen: false });

/** Values one field must take: a set of allowed values (or any), excluded values, numeric limits. */
class Domain {
  allowed: Map<string, Scalar> | null = null;
  excluded = new Set<string>();
  interval = fullInterval();
  exists = false;
  notExists = false;

  allow(values: readonly Scalar[]): void {
    const next = new Map(values.map((v) => [canonicalJson(v), v] as const));
    this.allowed = this.allowed === null ? next : new Map([...this.allowed].filter(([k]) => next.has(k)));
  }
  exclude(values: readonly Scalar[]): void {
    for (const v of values) this.excluded.add(canonicalJson(v));
  }
  empty(): boolean {
    if (emptyInterval(this.interval)) return true;
    if (this.allowed === null) return false;
    for (const [key, v] of this.allowed) {
      if (this.excluded.has(key)) continue;
      if (typeof v === 'number' && !inInterval(this.interval, v)) continue;
      return false;
    }
    return true;
  }
}

function group<T>(map: Map<string, T>, key: string, make: () => T): T {
  let v = map.get(key);
  if (v === undefined) map.set(key, (v = make()));
  return v;
}

function asList(value: Scalar | Scalar[] | undefined): Scalar[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

const REASON = {
  emptyAny: { en: 'it contains an "any of" group with nothing in it', ja: '中身が空の「いずれか」グループがあります' },
  emptyList: { en: 'it asks for a value from an empty list', ja: '空のリストのいずれかに一致することを条件にしています' },
  negation: { en: 'it asks for a condition and its opposite at once', ja: 'ある条件とその否定を同時に求めています' },
  rank: { en: 'no rank meets all of its rank conditions at once', ja: 'ランクの条件をすべて満たすランクがありません' },
  stage: { en: 'no stage meets all of its stage conditions at once', ja: 'ステージの条件をすべて満たすステージがありません' },
} satisfies Record<string, Contradiction>;

// The first contradiction inside one conjunction, or null when it may hold.
function contradiction(term: Term, ownProductLine: string): Contradiction | null {
  const line = (pl: string | undefined) => pl ?? ownProductLine;
  const seen = new Map<string, boolean>();
  const scores = new Map<string, Domain>();
  const attributes = new Map<string, Domain>();
  const rankSets = new Map<string, Set<Rank | null>>();
  const stageSets = new Map<string, Set<Stage>>();
  const tags = new Map<string, Set<string>>();
  const events = new Map<string, Set<string>>();

  for (const { positive, p } of term) {
    const key = canonicalJson(p);
    if (seen.get(key) === !positive) return REASON.negation;
    seen.set(key, positive);
    if (!positive) continue;
    switch (p.type) {
      case 'score': {
        const d = group(scores, line(p.productLine), () => new Domain());
        if (p.op === 'eq') d.allow([p.value]);
        else if (p.op === 'neq') d.exclude([p.value]);
        else narrow(d.interval, p.op, p.value);
        if (d.empty()) {
          const pl = line(p.productLine);
          return { en: `no ${pl} score can meet all of its score limits at once`, ja: `商材「${pl}」のスコアの条件をすべて満たす値がありません` };
        }
        break;
      }
      case 'attribute': {
        const d = group(attributes, p.field, () => new Domain());
        const values = asList(p.value);
        if (p.op === 'in' && values.length === 0) return REASON.emptyList;
        if (p.op === 'eq' || p.op === 'in') d.allow(values);
        else if (p.op === 'neq' || p.op === 'notIn') d.exclude(values);
        else if ((p.op === 'gt' || p.op === 'gte' || p.op === 'lt' || p.op === 'lte') && typeof p.value === 'number') narrow(d.interval, p.op, p.value);
        else if (p.op === 'exists') d.exists = true;
        else if (p.op === 'notExists') d.notExists = true;
        if (d.empty() || (d.exists && d.notExists)) {
          return { en: `no value of attribute "${p.field}" meets all of its conditions at once`, ja: `属性「${p.field}」の条件をすべて満たす値がありません` };
        }
        break;
      }
      case 'rank': {
        if (p.op === 'in' && p.ranks.length === 0) return REASON.emptyList;
        const s = group(rankSets, line(p.productLine), () => new Set<Rank | null>([...ranks, null]));
        for (const r of [...s]) if ((p.op === 'in') !== (r !== null && p.ranks.includes(r))) s.delete(r);
        if (s.size === 0) return REASON.rank;
        break;
      }
      case 'stage': {
        if (p.op === 'in' && p.stages.length === 0) return REASON.emptyList;
        const s = group(stageSets, line(p.productLine), () => new Set<Stage>(stages));
        for (const st of [...s]) if ((p.op === 'in') !== p.stages.includes(st)) s.delete(st);
        if (s.size === 0) return REASON.stage;
        break;
      }
      case 'tag': {
        const s = group(tags, p.tag, () => new Set<string>());
        s.add(p.op);
        if (s.size === 2) return { en: `it asks for tag "${p.tag}" to be both present and absent`, ja: `タグ「${p.tag}」が「ある」と「ない」を同時に求めています` };
        break;
      }
      case 'event': {
        const window = canonicalJson({ event: p.event, filters: p.filters, within: p.within, productLine: line(p.productLine) });
        const s = group(events, window, () => new Set<string>());
        s.add(p.op);
        if (s.size === 2) {
          return {
            en: `it asks for event "${p.event}" both to have happened and not to have happened in the same period`,
            ja: `同じ期間にイベント「${p.event}」が「あった」と「なかった」を同時に求めています`,
          };
        }
        break;
      }
      default:
        break;
    }
  }
  return null;
}

/** Why `condition` can never match on any lead, or null when it can (or the analysis cannot tell). */
export function neverMatches(condition: Condition, ownProductLine: string): Contradiction | null {
  const terms = dnf(condition, false);
  if (terms === null) return null;
  if (terms.length === 0) return REASON.emptyAny;
  let first: Contradiction | null = null;
  for (const term of terms) {
    const c = contradiction(term, ownProductLine);
    if (c === null) return null;
    first ??= c;
  }
  return first;
}

/** True when `condition` matches every lead, e.g. `{ all: [] }` (its negation can never match). */
export function alwaysMatches(condition: Condition, ownProductLine: string): boolean {
  return neverMatches({ not: condition }, ownProductLine) !== null;
}
