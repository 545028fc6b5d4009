import { randomUUID } from 'node:crypto';
import { canEnter, enter, matchTriggers, type EnrollmentStatus, type LeadView } from '@nurtureflow/engine';
import type { ProductLineSettings } from '@nurtureflow/scenario';
import { sql } from 'kysely';
import { records, type Db } from './bulk.ts';
import { commitSteps, type FollowUps, type Stepped } from './commit.ts';
import { needsOf, publishedGraphs, versionKey, widest } from './graphs.ts';
import { loadLeadViews } from './lead-views.ts';
import { capsMessages, engineContext } from './settings.ts';

/** A request to start a lead in a scenario's published version. */
export interface EnrollRequest {
  leadId: string;
  scenarioId: string;
  /** The trigger node to enter by; the scenario's import/manual trigger (or its first) when absent. */
  triggerNodeId?: string;
  at: number;
}

/** What became of a request. */
export type EnrollOutcome =
  | { leadId: string; scenarioId: string; enrolled: true; enrollmentId: string }
  | { leadId: string; scenarioId: string; enrolled: false; reason: string };

/** A new enrollment id. */
export function newEnrollmentId(): string {
  return `en_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
}

/**
 * Starts leads in scenarios, in the caller's transaction: only active scenarios, by a trigger node,
 * when the entry rules allow (audience, unsubscribes, re-entry, never twice at once). The first
 * advance is committed with the enrollment. A new enrollment's inbox starts after the events the
 * lead already has, so the event that triggered it is not also taken as an answer.
 */
export async function enrollLeads(
  db: Db,
  requests: readonly EnrollRequest[],
  settings: ReadonlyMap<string, ProductLineSettings>,
  follow: FollowUps,
): Promise<EnrollOutcome[]> {
  if (requests.length === 0) return [];
  const scenarioIds = [...new Set(requests.map((r) => r.scenarioId))];
  const leadIds = [...new Set(requests.map((r) => r.leadId))];
  const scenarios = await db
    .selectFrom('scenarios')
    .select(['id', 'status', 'published_version'])
    .where('id', 'in', scenarioIds)
    .execute();
  const active = new Map(scenarios.filter((s) => s.status === 'active' && s.published_version !== null).map((s) => [s.id, s.published_version!]));
  const graphs = await publishedGraphs(db, [...active].map(([scenarioId, version]) => ({ scenarioId, version })));
  const now = Math.max(...requests.map((r) => r.at));
  const views = await loadLeadViews(db, leadIds, widest([...graphs.values()].map((g) => needsOf(g, capsMessages(settings.get(g.productLine))))), now);
  const [previousRows, cursors] = await Promise.all([
    db
      .selectFrom('enrollments')
      .select(['lead_id', 'scenario_id', 'status', 'state'])
      .where('lead_id', 'in', leadIds)
      .where('scenario_id', 'in', scenarioIds)
      .execute(),
    sql<{ lead_id: string; seq: number }>`
      select r.lead_id, coalesce((select max(seq) from events e where e.lead_id = r.lead_id), 0)::int8 as seq
      from ${records(leadIds.map((id) => ({ lead_id: id })))} as r(lead_id text)`.execute(db),
  ]);
  const previous = new Map<string, { status: EnrollmentStatus; endedAt: number | null }[]>();
  for (const p of previousRows) {
    const k = `${p.lead_id}\u0000${p.scenario_id}`;
    const list = previous.get(k) ?? [];
    list.push({ status: p.status, endedAt: p.state.endedAt });
    previous.set(k, list);
  }
  const cursor = new Map(cursors.rows.map((r) => [r.lead_id, Number(r.seq)]));
  const ctx = engineContext(settings);
  const outcomes: EnrollOutcome[] = [];
  const stepped: Stepped[] = [];
  for (const req of requests) {
    const refuse = (reason: string) => outcomes.push({ leadId: req.leadId, scenarioId: req.scenarioId, enrolled: false, reason });
    const version = active.get(req.scenarioId);
    if (version === undefined) {
      refuse(scenarios.some((s) => s.id === req.scenarioId) ? 'scenarioNotActive' : 'scenarioNotFound');
      continue;
    }
    const graph = graphs.get(versionKey(req.scenarioId, version))!;
    const lead: LeadView | undefined = views.get(req.leadId);
    if (!lead) {
      refuse('leadNotFound');
      continue;
    }
    const trigger =
      req.triggerNodeId ?? matchTriggers(graph, { type: 'import' }, lead)[0] ?? matchTriggers(graph, { type: 'manual' }, lead)[0] ?? Object.keys(graph.nodes).find((id) => graph.nodes[id]!.kind === 'trigger');
    if (trigger === undefined || graph.nodes[trigger]?.kind !== 'trigger') {
      refuse('noTrigger');
      continue;
    }
    const key = `${req.leadId}\u0000${req.scenarioId}`;
    const prev = previous.get(key) ?? [];
    const allowed = canEnter(graph, lead, prev, req.at);
    if (!allowed.ok) {
      refuse(allowed.reason);
      continue;
    }
    const enrollmentId = newEnrollmentId();
    const result = enter(graph, { enrollmentId, lead, triggerNodeId: trigger, now: req.at }, ctx);
    views.set(req.leadId, result.lead);
    prev.push({ status: result.state.status, endedAt: result.state.endedAt });
    previous.set(key, prev);
    stepped.push({ isNew: true, result, cursor: cursor.get(req.leadId) ?? 0 });
    outcomes.push({ leadId: req.leadId, scenarioId: req.scenarioId, enrolled: true, enrollmentId });
  }
  await commitSteps(db, stepped, settings, follow);
  return outcomes;
}
