// The condition builder's edits as plain functions over the format's Condition: a lone rule is
// shown as a group of one and stored bare again, groups switch between "all of" and "any of", and
// any rule or group can be negated.
import type { Condition } from '@nurtureflow/scenario';
import { DEFAULT_CONDITION } from './introspect.ts';

/** A group of conditions: every one must hold, or any one. */
export type Group = { all: Condition[] } | { any: Condition[] };

/** True for `{ all: [...] }` or `{ any: [...] }`. */
export function isGroup(c: unknown): c is Group {
  return typeof c === 'object' && c !== null && (Array.isArray((c as { all?: unknown }).all) || Array.isArray((c as { any?: unknown }).any));
}

/** True for `{ not: ... }`. */
export function isNot(c: unknown): c is { not: Condition } {
  return typeof c === 'object' && c !== null && 'not' in c;
}

/** The members of a group. */
export function membersOf(g: Group): Condition[] {
  return 'all' in g ? g.all : g.any;
}

/** Whether a group needs all of its members or any one. */
export function modeOf(g: Group): 'all' | 'any' {
  return 'all' in g ? 'all' : 'any';
}

/** A group with these members in this mode. */
export function groupOf(members: Condition[], mode: 'all' | 'any'): Group {
  return mode === 'all' ? { all: members } : { any: members };
}

/** The group the builder shows for a stored condition: a group as it is, a lone rule as a group of one. */
export function toGroup(value: unknown): { group: Group; single: boolean } {
  if (isGroup(value)) return { group: value, single: false };
  return { group: { all: [(value ?? structuredClone(DEFAULT_CONDITION)) as Condition] }, single: true };
}

/** The condition to store for what the builder shows: a group of one "all of" is stored as its rule. */
export function fromGroup(group: Group): Condition {
  const members = membersOf(group);
  return members.length === 1 && 'all' in group ? (members[0] as Condition) : group;
}

/** The group with a new default rule (a score threshold) at the end. */
export function addRule(group: Group): Group {
  return groupOf([...membersOf(group), structuredClone(DEFAULT_CONDITION)], modeOf(group));
}

/** The group with a nested "any of" group of one rule at the end. */
export function addGroup(group: Group): Group {
  return groupOf([...membersOf(group), { any: [structuredClone(DEFAULT_CONDITION)] }], modeOf(group));
}

/** The group without its i-th member. */
export function removeAt(group: Group, i: number): Group {
  return groupOf(membersOf(group).filter((_, j) => j !== i), modeOf(group));
}

/** The group with its i-th member replaced. */
export function replaceAt(group: Group, i: number, c: Condition): Group {
  return groupOf(membersOf(group).map((x, j) => (j === i ? c : x)), modeOf(group));
}

/** A condition negated, or a negation undone. */
export function toggleNot(c: Condition): Condition {
  return isNot(c) ? c.not : { not: c };
}
