import { durationUnits, type Duration } from '../common.ts';
import type { Problem } from '../problems.ts';
import { problem } from '../validate/problem.ts';

/**
 * Format version 0, as the first importer wrote it, before the canvas editor:
 *
 * ```json
 * {
 *   "format": "nurtureflow.scenario", "formatVersion": 0,
 *   "productLine": "crm", "scenarioId": "welcome", "version": 3, "name": "Welcome",
 *   "settings": { "tz": "Asia/Tokyo", "horizonDays": 365 },
 *   "entry": { "reEntry": { "mode": "after", "period": { "days": 30 } } },
 *   "nodes": [
 *     { "id": "t", "type": "trigger", "trigger": { "type": "manual" }, "next": "m", "position": { "x": 0, "y": 0 } },
 *     { "id": "m", "type": "email", "label": "Welcome mail", "template": "welcome", "next": { "sent": "w" } },
 *     { "id": "w", "type": "wait", "wait": { "days": 3 }, "next": { "next": "c" } },
 *     { "id": "c", "type": "call", "retryInterval": { "businessDays": 1 }, "next": { "connected": "x" } },
 *     { "id": "x", "type": "exit" }
 *   ]
 * }
 * ```
 *
 * What changed in version 1:
 * - `nodes` was a list of nodes carrying their `id`; it is now a map from id to node.
 * - A node's kind was `type`; three kinds were renamed: `call` → `callTask`, `dm` → `directMail`,
 *   `waitEvent` → `waitForEvent`.
 * - Outputs were `next`, either a map from output name to node id or, for a node with one
 *   output, just the node id; they are now `outputs`.
 * - The canvas label was `label`; it is now `name`.
 * - Positions were on each node (`position`); they are now in the graph's `layout`.
 * - Durations were `{ "days": 3 }` (one key of minutes, hours, days, weeks, businessDays); they
 *   are now `{ "amount": 3, "unit": "days" }`. This applies to wait-for-event `timeout`, call
 *   `dueIn` and `retryInterval`, hand-off `responseTimeout`, re-entry `period`, and the `within`
 *   of event conditions anywhere.
 * - A wait node's `wait` was a duration, or `{ "until": "09:00", "businessDaysOnly": true }`; it
 *   is now `{ "mode": "for", "duration": … }` or `{ "mode": "until", "time": …, "businessDaysOnly": … }`.
 * - `settings.tz` is now `settings.timezone`.
 *
 * Anything else is carried over as it is; what does not fit version 1 is for `validate` to report.
 */
export interface GraphV0 {
  format: 'nurtureflow.scenario';
  formatVersion: 0;
  productLine: string;
  scenarioId: string;
  version: number;
  name: string;
  description?: string;
  entry?: Record<string, unknown>;
  goals?: Record<string, unknown>[];
  settings?: Record<string, unknown> & { tz?: string };
  nodes: NodeV0[];
}

/** One node of format version 0. */
export interface NodeV0 {
  id: string;
  type: string;
  label?: string;
  next?: string | Record<string, string | null>;
  position?: { x: number; y: number };
  [field: string]: unknown;
}

/** A duration of format version 0: a single unit key, e.g. `{ "days": 3 }`. */
export type DurationV0 = Partial<Record<Duration['unit'], number>>;

const KIND_RENAMES: Record<string, string> = { call: 'callTask', dm: 'directMail', waitEvent: 'waitForEvent' };

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `{ days: 3 }` → `{ amount: 3, unit: 'days' }`; anything else is returned as it is. */
export function durationFromV0(d: unknown): unknown {
  if (!isRecord(d)) return d;
  const keys = Object.keys(d);
  const unit = keys[0];
  if (keys.length !== 1 || unit === undefined || !(durationUnits as readonly string[]).includes(unit)) return d;
  return { amount: d[unit], unit };
}

function conditionFromV0(c: unknown): unknown {
  if (!isRecord(c)) return c;
  if (Array.isArray(c.all)) return { ...c, all: c.all.map(conditionFromV0) };
  if (Array.isArray(c.any)) return { ...c, any: c.any.map(conditionFromV0) };
  if ('not' in c) return { ...c, not: conditionFromV0(c.not) };
  if (c.type === 'event' && 'within' in c) return { ...c, within: durationFromV0(c.within) };
  return c;
}

function waitFromV0(w: unknown): unknown {
  if (!isRecord(w)) return w;
  if (typeof w.until === 'string') {
    const { until, ...rest } = w;
    return { mode: 'until', time: until, ...rest };
  }
  return { mode: 'for', duration: durationFromV0(w) };
}

function nodeFromV0(n: NodeV0): Json {
  const { id: _id, type, label, next, position: _position, ...fields } = n;
  const node: Json = { kind: KIND_RENAMES[type] ?? type, ...(label !== undefined ? { name: label } : {}), ...fields };
  node.outputs = typeof next === 'string' ? { next } : isRecord(next) ? next : {};
  for (const key of ['timeout', 'dueIn', 'retryInterval', 'responseTimeout']) if (key in node) node[key] = durationFromV0(node[key]);
  if (node.kind === 'wait' && 'wait' in node) node.wait = waitFromV0(node.wait);
  if (Array.isArray(node.cases)) node.cases = node.cases.map((c: unknown) => (isRecord(c) ? { ...c, condition: conditionFromV0(c.condition) } : c));
  if (isRecord(node.trigger) && 'condition' in node.trigger) node.trigger = { ...node.trigger, condition: conditionFromV0(node.trigger.condition) };
  return node;
}

/** One upgrade step's result: the next version's document, or why it cannot be made. */
export type StepResult = { ok: true; doc: Json } | { ok: false; problems: Problem[] };

/** Format version 0 → 1. */
export function upgradeV0(doc: Json): StepResult {
  const problems: Problem[] = [];
  if (!Array.isArray(doc.nodes)) {
    return {
      ok: false,
      problems: [problem('SCN001', 'error', null, 'nodes',
        'In this version 0 scenario, nodes must be a list of nodes.',
        'この形式バージョン 0 のシナリオでは、nodes はノードのリストである必要があります。')],
    };
  }
  // Maps, so that no node id (even `__proto__`) is special.
  const nodes = new Map<string, Json>();
  const layout = new Map<string, unknown>();
  doc.nodes.forEach((raw: unknown, i: number) => {
    if (!isRecord(raw) || typeof raw.id !== 'string' || raw.id === '') {
      problems.push(problem('SCN001', 'error', null, `nodes.${i}.id`,
        `Node ${i + 1} of this version 0 scenario has no id, so it cannot be upgraded.`,
        `この形式バージョン 0 のシナリオの ${i + 1} 番目のノードに id がないため、変換できません。`));
      return;
    }
    const n = raw as NodeV0;
    if (nodes.has(n.id)) {
      problems.push(problem('SCN011', 'error', n.id, `nodes.${i}.id`,
        `Two nodes of this version 0 scenario have the id "${n.id}"; give each node its own id before upgrading.`,
        `この形式バージョン 0 のシナリオに id が「${n.id}」のノードが複数あります。変換の前にノードごとに別の id を付けてください。`));
      return;
    }
    nodes.set(n.id, nodeFromV0(n));
    if (n.position !== undefined) layout.set(n.id, n.position);
  });
  if (problems.length > 0) return { ok: false, problems };

  const { nodes: _nodes, settings, entry, goals, ...rest } = doc;
  const next: Json = { ...rest, formatVersion: 1 };
  if (entry !== undefined) {
    next.entry = isRecord(entry)
      ? {
          ...entry,
          ...('audience' in entry ? { audience: conditionFromV0(entry.audience) } : {}),
          ...(isRecord(entry.reEntry) && 'period' in entry.reEntry ? { reEntry: { ...entry.reEntry, period: durationFromV0(entry.reEntry.period) } } : {}),
        }
      : entry;
  }
  if (goals !== undefined) next.goals = Array.isArray(goals) ? goals.map((g: unknown) => (isRecord(g) ? { ...g, condition: conditionFromV0(g.condition) } : g)) : goals;
  if (settings !== undefined) {
    if (isRecord(settings)) {
      const { tz, ...other } = settings;
      next.settings = { ...other, ...(tz !== undefined ? { timezone: tz } : {}) };
    } else next.settings = settings;
  }
  next.nodes = Object.fromEntries(nodes);
  next.layout = Object.fromEntries(layout);
  return { ok: true, doc: next };
}
