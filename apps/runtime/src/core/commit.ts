import type { AdvanceResult, Effect, LeadView } from '@nurtureflow/engine';
import { rankFor } from '@nurtureflow/engine';
import type { ProductLineSettings } from '@nurtureflow/scenario';
import { sql } from 'kysely';
import { iso, insertHistory, insertOutbox, records, type Db, type HistoryRow, type OutboxRow } from './bulk.ts';

/** Effects a channel delivers later; the others are applied in the step's own transaction. */
const DELIVERED: ReadonlySet<Effect['type']> = new Set(['sendEmail', 'createCallTask', 'handOff', 'printJob', 'callWebhook']);

/** One advance to commit: a new enrollment (`isNew`) or an existing one moved on. */
export interface Stepped {
  isNew: boolean;
  result: AdvanceResult;
  /** The event seq the enrollment has seen up to. */
  cursor: number;
}

/** What a commit leaves for the caller to do in the same transaction. */
export interface FollowUps {
  /** `lead_became_hot` events for leads whose score crossed a hot threshold. */
  hotEvents: { leadId: string; productLine: string; at: number; cause: string }[];
  /** Moves into other scenarios. */
  enrolls: { leadId: string; scenarioId: string; at: number; cause: string }[];
  /** Leads whose standing changed, for segment and score triggers. */
  changedLeads: Set<string>;
}

/** An empty set of follow-ups. */
export function noFollowUps(): FollowUps {
  return { hotEvents: [], enrolls: [], changedLeads: new Set() };
}

/**
 * Commits advances: enrollment rows, history rows and outbox rows, and the effects applied here
 * (score changes, lead updates), all in the caller's transaction, in a handful of statements for
 * the whole batch. Lock order is enrollments → lead_products → leads, as everywhere. A worker
 * passes its id as `steppedBy`: an enrollment it moved keeps it in `claimed_by` (the process that
 * last stepped it, for operators and the multi-process tests); other callers leave it empty.
 */
export async function commitSteps(db: Db, items: readonly Stepped[], settings: ReadonlyMap<string, ProductLineSettings>, follow: FollowUps, steppedBy: string | null = null): Promise<void> {
  if (items.length === 0) return;
  const fresh: object[] = [];
  const moved: object[] = [];
  const history: HistoryRow[] = [];
  const outbox: OutboxRow[] = [];
  const scoreDeltas = new Map<string, { leadId: string; productLine: string; delta: number; at: number }>();
  const updatedLeads = new Map<string, { lead: LeadView; productLine: string; stage: string | null; rank: string | null }>();

  for (const { isNew, result, cursor } of items) {
    const s = result.state;
    const row = {
      lead_id: s.leadId,
      id: s.id,
      scenario_id: s.scenarioId,
      version: s.version,
      product_line: s.productLine,
      status: s.status,
      node_id: s.nodeId,
      state: s,
      wake_at: s.status === 'waiting' && s.waiting?.until != null ? iso(s.waiting.until) : null,
      wait_events: s.status === 'waiting' && s.waiting && s.waiting.events.length > 0 ? s.waiting.events : null,
      event_cursor: cursor,
      at: iso(s.enteredAt),
    };
    (isNew ? fresh : moved).push(row);
    const atOfNode = new Map<string | null, number>();
    for (const t of result.trace) {
      atOfNode.set(t.nodeId, t.at);
      history.push({ lead_id: s.leadId, enrollment_id: s.id, seq: t.seq, at: iso(t.at), node_id: t.nodeId, output: t.output, to_node: t.to, reason: t.reason });
    }
    for (const e of result.effects) {
      const at = atOfNode.get(e.nodeId) ?? s.nodeEnteredAt;
      outbox.push({
        lead_id: s.leadId,
        key: e.key,
        enrollment_id: s.id,
        scenario_id: s.scenarioId,
        product_line: e.productLine,
        type: e.type,
        payload: e,
        status: DELIVERED.has(e.type) ? 'pending' : 'done',
        at: iso(at),
      });
      if (e.type === 'changeScore') {
        const k = `${s.leadId}\u0000${e.productLine}`;
        const d = scoreDeltas.get(k) ?? { leadId: s.leadId, productLine: e.productLine, delta: 0, at };
        d.delta += e.points;
        d.at = at;
        scoreDeltas.set(k, d);
      } else if (e.type === 'updateLead') {
        let stage: string | null = null;
        let rank: string | null = null;
        for (const c of e.changes) {
          if (c.op === 'setStage') stage = c.stage;
          if (c.op === 'setRank') rank = c.rank;
        }
        const prev = updatedLeads.get(s.leadId);
        updatedLeads.set(s.leadId, { lead: result.lead, productLine: e.productLine, stage: stage ?? prev?.stage ?? null, rank: rank ?? prev?.rank ?? null });
      } else if (e.type === 'enroll') {
        follow.enrolls.push({ leadId: s.leadId, scenarioId: e.scenarioId, at, cause: `move:${s.scenarioId}/${e.nodeId}` });
      }
    }
  }

  if (fresh.length > 0) {
    await sql`
      insert into enrollments (lead_id, id, scenario_id, version, product_line, status, node_id, state, wake_at, wait_events, event_cursor, created_at, updated_at)
      select lead_id, id, scenario_id, version, product_line, status, node_id, state, wake_at, wait_events, event_cursor, at, at
      from ${records(fresh)} as r(lead_id text, id text, scenario_id text, version int, product_line text, status text, node_id text, state jsonb,
        wake_at timestamptz, wait_events text[], event_cursor bigint, at timestamptz)`.execute(db);
  }
  if (moved.length > 0) {
    await sql`
      update enrollments as e set
        state = r.state, status = r.status, node_id = r.node_id, version = r.version, wake_at = r.wake_at, wait_events = r.wait_events,
        event_cursor = greatest(e.event_cursor, r.event_cursor), claimed_by = ${steppedBy}, claimed_until = null, updated_at = now()
      from ${records(moved)} as r(lead_id text, id text, version int, status text, node_id text, state jsonb, wake_at timestamptz, wait_events text[], event_cursor bigint)
      where e.lead_id = r.lead_id and e.id = r.id`.execute(db);
  }
  await insertHistory(db, history);
  await insertOutbox(db, outbox);
  if (scoreDeltas.size > 0) await applyScoreDeltas(db, [...scoreDeltas.values()], settings, follow);
  if (updatedLeads.size > 0) await applyLeadUpdates(db, updatedLeads, follow);
}

/** Adds score node points to the stored standing (relative, so concurrent scoring is not lost), then re-ranks. */
async function applyScoreDeltas(
  db: Db,
  deltas: { leadId: string; productLine: string; delta: number; at: number }[],
  settings: ReadonlyMap<string, ProductLineSettings>,
  follow: FollowUps,
): Promise<void> {
  deltas.sort((a, b) => (a.leadId < b.leadId ? -1 : a.leadId > b.leadId ? 1 : a.productLine < b.productLine ? -1 : 1));
  const rows = await sql<{ lead_id: string; product_line: string; score: number; hot: boolean; rank: string | null }>`
    insert into lead_products (lead_id, product_line, score)
    select lead_id, product_line, delta from ${records(deltas.map((d) => ({ lead_id: d.leadId, product_line: d.productLine, delta: d.delta })))}
      as r(lead_id text, product_line text, delta int)
    on conflict (lead_id, product_line) do update set score = lead_products.score + excluded.score
    returning lead_id, product_line, score, hot, rank`.execute(db);
  const reranked: object[] = [];
  for (const r of rows.rows) {
    const s = settings.get(r.product_line);
    if (!s) continue;
    const rank = rankFor(s.scoring, r.score);
    const hot = r.score >= s.scoring.hotThreshold;
    follow.changedLeads.add(r.lead_id);
    if (rank === r.rank && hot === r.hot) continue;
    const at = deltas.find((d) => d.leadId === r.lead_id && d.productLine === r.product_line)!.at;
    reranked.push({ lead_id: r.lead_id, product_line: r.product_line, rank, hot, hot_at: hot && !r.hot ? iso(at) : null });
    if (hot && !r.hot) follow.hotEvents.push({ leadId: r.lead_id, productLine: r.product_line, at, cause: 'score' });
  }
  if (reranked.length > 0) {
    await sql`
      update lead_products as p set rank = r.rank, hot = r.hot, hot_at = coalesce(r.hot_at, p.hot_at)
      from ${records(reranked)} as r(lead_id text, product_line text, rank text, hot boolean, hot_at timestamptz)
      where p.lead_id = r.lead_id and p.product_line = r.product_line`.execute(db);
  }
}

/** Writes update nodes' changes: stage and rank to the product line's standing, attributes and tags to the lead. */
async function applyLeadUpdates(
  db: Db,
  updates: Map<string, { lead: LeadView; productLine: string; stage: string | null; rank: string | null }>,
  follow: FollowUps,
): Promise<void> {
  const standings = [...updates]
    .filter(([, u]) => u.stage !== null || u.rank !== null)
    .map(([leadId, u]) => ({ lead_id: leadId, product_line: u.productLine, stage: u.stage, rank: u.rank }));
  if (standings.length > 0) {
    await sql`
      insert into lead_products (lead_id, product_line)
      select lead_id, product_line from ${records(standings)} as r(lead_id text, product_line text)
      on conflict do nothing`.execute(db);
    await sql`
      update lead_products as p set stage = coalesce(r.stage, p.stage), rank = coalesce(r.rank, p.rank)
      from ${records(standings)} as r(lead_id text, product_line text, stage text, rank text)
      where p.lead_id = r.lead_id and p.product_line = r.product_line`.execute(db);
  }
  await sql`
    update leads as l set attributes = r.attributes, tags = r.tags, updated_at = now()
    from ${records([...updates].map(([leadId, u]) => ({ id: leadId, attributes: u.lead.attributes, tags: u.lead.tags })))}
      as r(id text, attributes jsonb, tags jsonb)
    where l.id = r.id`.execute(db);
  for (const id of updates.keys()) follow.changedLeads.add(id);
}
