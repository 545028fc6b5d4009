// The scoring editor's form as plain functions: the draft is the product line's `scoring` as the
// format writes it, checked with the format's own schema (`scoringSchema`, the `scoring` part of
// the product-line settings) plus the few rules a person editing it needs (rule ids that repeat,
// ranks whose thresholds are out of order), each problem naming its field.
import { scoringSchema, type ProductLineSettingsInput, type Scoring } from '@nurtureflow/scenario';
import type { z } from 'zod';

/** The scoring being edited, as written (numbers may be missing while someone types). */
export type ScoringDraft = z.input<typeof scoringSchema>;

/** Why a field is refused, for the form to say in the marketer's language. */
export type ScoringIssueCode =
  | 'required'
  | 'min'
  | 'max'
  | 'number'
  | 'whole'
  | 'idFormat'
  | 'eventFormat'
  | 'tooMany'
  | 'choice'
  | 'duplicateRuleId'
  | 'duplicateRank'
  | 'rankOrder'
  | 'invalid';

/** A problem with one field: its dotted path (`rules.0.points`), why, the limit broken, and the schema's own words. */
export interface ScoringIssue {
  path: string;
  code: ScoringIssueCode;
  limit?: number;
  /** For rank problems, the other rank involved. */
  other?: string;
  message: string;
}

const RANK_ORDER = ['A', 'B', 'C', 'D'] as const;

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const k of path) v = typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

function issueCode(i: z.core.$ZodIssue, draft: unknown): { code: ScoringIssueCode; limit?: number } {
  const key = i.path.at(-1);
  switch (i.code) {
    case 'too_small':
      if (i.origin === 'string') return { code: 'required' };
      return { code: 'min', limit: Number(i.minimum) };
    case 'too_big':
      if (i.origin === 'array') return { code: 'tooMany', limit: Number(i.maximum) };
      return { code: 'max', limit: Number(i.maximum) };
    case 'invalid_type':
      if (valueAt(draft, i.path) === undefined) return { code: 'required' };
      return { code: i.expected === 'int' ? 'whole' : 'number' };
    case 'invalid_format':
      return { code: key === 'event' ? 'eventFormat' : key === 'id' ? 'idFormat' : 'invalid' };
    case 'invalid_value':
      return { code: 'choice' };
    default:
      return { code: 'invalid' };
  }
}

/** The draft's problems, each naming its field; empty when the scoring can be saved. */
export function scoringIssues(draft: unknown): ScoringIssue[] {
  const parsed = scoringSchema.safeParse(draft);
  const issues: ScoringIssue[] = [];
  // One reason per field is enough to fix it (an empty id is both too short and not an id).
  for (const i of parsed.success ? [] : parsed.error.issues) {
    const path = i.path.join('.');
    if (!issues.some((x) => x.path === path)) issues.push({ path, message: i.message, ...issueCode(i, draft) });
  }
  const d = (typeof draft === 'object' && draft !== null ? draft : {}) as { rules?: unknown; ranks?: unknown; hotThreshold?: unknown };
  // The schema fills an absent hot threshold with its default; in the form an emptied field is a mistake, not a wish for 60.
  if (d.hotThreshold === undefined) issues.push({ path: 'hotThreshold', code: 'required', message: 'is required' });
  // Daily caps count per rule id, so two rules with one id would share a cap.
  if (Array.isArray(d.rules)) {
    const seen = new Map<string, number>();
    d.rules.forEach((r: unknown, i) => {
      const id = (r as { id?: unknown } | null)?.id;
      if (typeof id !== 'string' || id === '') return;
      if (seen.has(id)) issues.push({ path: `rules.${i}.id`, code: 'duplicateRuleId', message: `"${id}" is already the id of rule ${seen.get(id)! + 1}` });
      else seen.set(id, i);
    });
  }
  if (Array.isArray(d.ranks)) {
    const seen = new Map<string, number>();
    const thresholds: { rank: (typeof RANK_ORDER)[number]; minScore: number; index: number }[] = [];
    d.ranks.forEach((r: unknown, i) => {
      const { rank, minScore } = (r ?? {}) as { rank?: unknown; minScore?: unknown };
      if (typeof rank !== 'string') return;
      if (seen.has(rank)) issues.push({ path: `ranks.${i}.rank`, code: 'duplicateRank', message: `rank ${rank} already has a threshold` });
      else seen.set(rank, i);
      if ((RANK_ORDER as readonly string[]).includes(rank) && typeof minScore === 'number') thresholds.push({ rank: rank as (typeof RANK_ORDER)[number], minScore, index: i });
    });
    // A lead takes the highest threshold it reaches: a lower rank with a higher bar is never reached as written.
    for (const a of thresholds) {
      for (const b of thresholds) {
        if (RANK_ORDER.indexOf(a.rank) < RANK_ORDER.indexOf(b.rank) && a.minScore <= b.minScore) {
          issues.push({ path: `ranks.${a.index}.minScore`, code: 'rankOrder', other: b.rank, limit: b.minScore, message: `must be higher than rank ${b.rank}'s ${b.minScore}` });
        }
      }
    }
  }
  return issues;
}

/** The saved scoring as the form starts from it (defaults written out, so every field shows). */
export function draftOf(saved: ProductLineSettingsInput['scoring'] | undefined): ScoringDraft {
  return structuredClone(scoringSchema.parse(saved ?? {})) as ScoringDraft;
}

/** The draft as it would be saved (defaults filled in); null while it has problems. */
export function parsedScoring(draft: unknown): Scoring | null {
  if (scoringIssues(draft).length > 0) return null;
  return scoringSchema.parse(draft);
}

/** Whether the draft differs from the saved scoring once both are parsed (so defaults do not count as changes). */
export function isChanged(saved: ProductLineSettingsInput['scoring'] | undefined, draft: unknown): boolean {
  const a = scoringSchema.safeParse(saved ?? {});
  const b = scoringSchema.safeParse(draft);
  if (!a.success || !b.success) return true;
  return stableJson(a.data) !== stableJson(b.data);
}

/** The settings a save sends: the product line's settings as read (secrets masked or left out, so kept) with the new scoring. */
export function settingsWithScoring(settings: ProductLineSettingsInput, scoring: Scoring): ProductLineSettingsInput {
  return { ...settings, scoring };
}

/**
 * A field's path in the form from one in a runtime error (`body.settings.scoring.rules[0].points`
 * or `body.scoring.ranks[1].minScore`); null for a field outside the scoring.
 */
export function formPath(apiPath: string): string | null {
  const m = /^body\.(?:settings\.)?scoring((?:\.|\[).*)?$/.exec(apiPath);
  if (!m) return null;
  return (m[1] ?? '').replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '');
}

/** The rows the preview shows: each rank and hot, now and proposed, and the difference. */
export interface PreviewRow {
  key: 'A' | 'B' | 'C' | 'D' | 'hot';
  now: number;
  proposed: number;
  delta: number;
}

/** What the runtime's preview answers. */
export interface ScoringPreview {
  productLine: string;
  leads: number;
  now: { ranks: Record<'A' | 'B' | 'C' | 'D', number>; hot: number };
  proposed: { ranks: Record<'A' | 'B' | 'C' | 'D', number>; hot: number };
  changed: { rank: number; hot: number; becomeHot: number; leaveHot: number };
  moves: { from: string; to: string; count: number }[];
}

/** The preview as table rows: A, B, C, D, then hot. */
export function previewRows(p: ScoringPreview): PreviewRow[] {
  const rows: PreviewRow[] = RANK_ORDER.map((r) => ({ key: r, now: p.now.ranks[r], proposed: p.proposed.ranks[r], delta: p.proposed.ranks[r] - p.now.ranks[r] }));
  rows.push({ key: 'hot', now: p.now.hot, proposed: p.proposed.hot, delta: p.proposed.hot - p.now.hot });
  return rows;
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
