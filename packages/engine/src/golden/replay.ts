import {
  graphSchema,
  productLineSettingsSchema,
  type Graph,
  type ProductLineSettings,
} from '@nurtureflow/scenario';
import { advance, applyScoringEvent, canEnter, enter, matchTriggers, rankFor } from '../index.ts';
import type { AdvanceResult, EffectType, EnrollmentState, EnrollmentStatus, LeadEvent, LeadView, Millis, ProductStanding } from '../types.ts';
import type { GoldenFixture, GoldenLead, GoldenStep } from './fixture.ts';

/** One enrollment as the replay saw it. */
export interface ReplayRun {
  lead: string;
  scenarioId: string;
  path: string[];
  status: EnrollmentStatus;
  nodeId: string | null;
  effects: `${EffectType}:${string}`[];
  state: EnrollmentState;
}

interface Enrollment {
  graph: Graph;
  state: EnrollmentState;
  run: ReplayRun;
  order: number;
}

/**
 * Replays a golden fixture on a virtual clock through the engine alone: leads, their events,
 * scoring by the product line's rules, triggers, wake-ups. Pure: no I/O, no real clock.
 */
export function replayFixture(fixture: GoldenFixture): { runs: ReplayRun[]; leads: Map<string, LeadView> } {
  const settings = new Map<string, ProductLineSettings>(
    fixture.productLines.map((p) => [p.id, productLineSettingsSchema.parse(p.settings)]),
  );
  const scoring = Object.fromEntries([...settings].map(([id, s]) => [id, s.scoring]));
  const graphs = fixture.graphs.map((g) => graphSchema.parse(g));
  const byScenario = new Map(graphs.map((g) => [g.scenarioId, g]));
  const leads = new Map(fixture.leads.map((l) => [l.id, leadView(l, settings)]));
  const ruleDays = new Map<string, number>(); // `${lead}:${pl}:${rule}:${day}` → points given that day
  const enrollments: Enrollment[] = [];
  let eventSeq = 0;
  let enrollmentSeq = 0;

  const apply = (e: Enrollment, r: AdvanceResult) => {
    e.state = r.state;
    leads.set(e.state.leadId, r.lead);
    for (const t of r.trace) if (t.to !== null) e.run.path.push(t.to);
    for (const f of r.effects) {
      e.run.effects.push(`${f.type}:${f.nodeId ?? ''}`);
      if (f.type === 'enroll') {
        const target = byScenario.get(f.scenarioId);
        if (target) tryEnter(target, e.state.leadId, matchTriggers(target, { type: 'manual' }, r.lead)[0], r.state.nodeEnteredAt);
      }
    }
    e.run.status = r.state.status;
    e.run.nodeId = r.state.nodeId;
    e.run.state = r.state;
  };

  const tryEnter = (graph: Graph, leadId: string, triggerNodeId: string | undefined, now: Millis) => {
    const lead = leads.get(leadId);
    if (!lead || !triggerNodeId) return;
    const previous = enrollments
      .filter((e) => e.state.leadId === leadId && e.graph.scenarioId === graph.scenarioId)
      .map((e) => ({ status: e.state.status, endedAt: e.state.endedAt }));
    if (!canEnter(graph, lead, previous, now).ok) return;
    const run: ReplayRun = { lead: leadId, scenarioId: graph.scenarioId, path: [triggerNodeId], status: 'active', nodeId: triggerNodeId, effects: [], state: undefined as never };
    const e: Enrollment = { graph, state: undefined as never, run, order: enrollmentSeq++ };
    enrollments.push(e);
    apply(e, enter(graph, { enrollmentId: `${graph.scenarioId}:${leadId}:${e.order}`, lead, triggerNodeId, now }, { scoring }));
  };

  const ingest = (leadId: string, event: LeadEvent) => {
    let lead = leads.get(leadId);
    if (!lead) throw new Error(`unknown lead ${leadId}`);
    lead = applyBuiltinEvent(lead, event);
    const hot: LeadEvent[] = [];
    for (const [pl, s] of settings) {
      if (event.productLine !== null && event.productLine !== pl) continue;
      const standing: ProductStanding = lead.products[pl]!;
      // maxPerDay counts calendar days in Japan, where these fixtures live.
      const day = Math.floor((event.at + 9 * 3_600_000) / 86_400_000);
      const r = applyScoringEvent(
        s.scoring,
        { score: standing.score, rank: standing.rank, hot: standing.hot, lastActivityAt: null },
        event,
        (ruleId) => ruleDays.get(`${leadId}:${pl}:${ruleId}:${day}`) ?? 0,
        event.at,
      );
      for (const m of r.matched) {
        const k = `${leadId}:${pl}:${m.ruleId}:${day}`;
        ruleDays.set(k, (ruleDays.get(k) ?? 0) + m.points);
      }
      lead = { ...lead, products: { ...lead.products, [pl]: { ...standing, score: r.score, rank: r.rank, hot: r.hot } } };
      if (r.becameHot) hot.push({ id: `${event.id}:hot:${pl}`, kind: 'lead_became_hot', at: event.at, productLine: pl, data: {} });
    }
    lead = { ...lead, recentEvents: [...lead.recentEvents, event] };
    leads.set(leadId, lead);
    // Waiting enrollments hear the event first; then it may start new ones.
    for (const e of enrollments) {
      if (e.state.leadId !== leadId || e.state.status !== 'waiting' || !e.state.waiting?.events.includes(event.kind)) continue;
      apply(e, advance(e.graph, e.state, { type: 'event', now: event.at, event }, leads.get(leadId)!, { scoring }));
    }
    for (const graph of graphs) {
      if (event.productLine !== null && event.productLine !== graph.productLine) continue;
      for (const t of matchTriggers(graph, { type: 'event', event }, leads.get(leadId)!)) tryEnter(graph, leadId, t, event.at);
    }
    for (const h of hot) ingest(leadId, h);
  };

  const step = (s: GoldenStep, at: Millis) => {
    if ('sweep' in s) {
      for (const leadId of leads.keys())
        for (const graph of graphs)
          for (const t of [...matchTriggers(graph, { type: 'lead' }, leads.get(leadId)!), ...matchTriggers(graph, { type: 'schedule', now: at }, leads.get(leadId)!)])
            tryEnter(graph, leadId, t, at);
      return;
    }
    const id = `ev-${eventSeq++}`;
    if ('enroll' in s) {
      const graph = byScenario.get(s.enroll)!;
      tryEnter(graph, s.lead, matchTriggers(graph, { type: 'import' }, leads.get(s.lead)!)[0], at);
    } else if ('event' in s) {
      ingest(s.lead, { id, kind: s.event.kind, at, productLine: s.event.productLine ?? null, scenarioId: s.event.scenarioId ?? null, data: s.event.data ?? {} });
    } else {
      const scenarioId = 'callOutcome' in s ? s.callOutcome.scenarioId : s.handoff.scenarioId;
      const e = enrollments.find((x) => x.state.leadId === s.lead && x.graph.scenarioId === scenarioId && x.state.status === 'waiting' && x.state.pendingKey);
      if (!e) return;
      const kind = 'callOutcome' in s ? 'call_completed' : s.handoff.answer === 'accepted' ? 'handoff_accepted' : 'handoff_returned';
      const data = 'callOutcome' in s ? { outcome: s.callOutcome.outcome } : {};
      ingest(s.lead, { id, kind, at, productLine: e.graph.productLine, scenarioId, effectKey: e.state.pendingKey, data });
    }
  };

  const until = Date.parse(fixture.until);
  const timeline = fixture.timeline.map((s) => ({ s, at: Date.parse(s.at) }));
  let i = 0;
  for (;;) {
    let due: Enrollment | undefined;
    for (const e of enrollments) {
      const w = e.state.status === 'waiting' ? e.state.waiting?.until ?? null : null;
      if (w !== null && (!due || w < due.state.waiting!.until!)) due = e;
    }
    const wake = due ? due.state.waiting!.until! : Infinity;
    const next = i < timeline.length ? timeline[i]!.at : Infinity;
    if (wake <= next && wake <= until) {
      apply(due!, advance(due!.graph, due!.state, { type: 'tick', now: wake }, leads.get(due!.state.leadId)!, { scoring }));
    } else if (next <= until) {
      step(timeline[i]!.s, next);
      i++;
    } else break;
  }
  return { runs: enrollments.map((e) => e.run), leads };
}

function leadView(l: GoldenLead, settings: Map<string, ProductLineSettings>): LeadView {
  const products: Record<string, ProductStanding> = {};
  for (const [pl, s] of settings) {
    const p = l.products?.[pl];
    const score = p?.score ?? 0;
    products[pl] = { score, rank: rankFor(s.scoring, score), stage: p?.stage ?? 'prospect', hot: score >= s.scoring.hotThreshold, unsubscribed: p?.unsubscribed ?? false };
  }
  return {
    id: l.id,
    attributes: { ...(l.email ? { email: l.email } : {}), ...(l.name ? { name: l.name } : {}), ...(l.company ? { company: l.company } : {}), ...l.attributes },
    tags: l.tags ?? [],
    products,
    unsubscribedAll: l.unsubscribedAll ?? false,
    recentEvents: [],
    messages: [],
  };
}

/** What the product itself does with some event kinds, before scoring and scenarios see them. */
function applyBuiltinEvent(lead: LeadView, event: LeadEvent): LeadView {
  if (event.kind !== 'unsubscribed') return lead;
  if (event.productLine === null) return { ...lead, unsubscribedAll: true };
  const p = lead.products[event.productLine];
  return p ? { ...lead, products: { ...lead.products, [event.productLine]: { ...p, unsubscribed: true } } } : lead;
}
