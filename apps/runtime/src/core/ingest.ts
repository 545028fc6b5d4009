import { applyScoringEvent, matchTriggers, type LeadEvent } from '@nurtureflow/engine';
import { eventKindSchema, productLineIdSchema, scalarSchema, type ProductLineSettings } from '@nurtureflow/scenario';
import { tz } from '@date-fns/tz';
import { format } from 'date-fns';
import { sql } from 'kysely';
import { z } from 'zod';
import { resolveLeadIds } from '../leads/resolve.ts';
import { eventsIngested } from '../ops/metrics.ts';
import type { Runtime } from '../runtime.ts';
import { iso, records, withRetry, type Db } from './bulk.ts';
import { instantSchema } from './instant.ts';
import { refineStorable } from '../scenarios/storable-json.ts';
import { noFollowUps, type FollowUps } from './commit.ts';
import { enrollLeads, type EnrollRequest } from './enroll.ts';
import { activeGraphs, needsOf, widest } from './graphs.ts';
import { loadLeadViews } from './lead-views.ts';
import { loadSettings } from './settings.ts';

/** One event as clients send it. */
export const eventInputSchema = z.object({
  /** Client-supplied and unique per lead: sending the same id again changes nothing. */
  id: z.string().min(1, { error: 'must not be empty' }).max(200),
  kind: eventKindSchema,
  leadId: z.string().min(1).max(200),
  /** When it happened; the server's time when absent. */
  at: instantSchema().optional(),
  /** Counts for this product line only; for every product line when absent. */
  productLine: productLineIdSchema.nullable().optional(),
  scenarioId: z.string().max(200).nullable().optional(),
  nodeId: z.string().max(200).nullable().optional(),
  effectKey: z.string().max(400).nullable().optional(),
  data: z.record(z.string().max(128), scalarSchema).default({}),
})
  // NUL and lone surrogates pass as JSON text but not into Postgres: a 400 naming the field instead.
  .superRefine(refineStorable);
export type EventInput = z.infer<typeof eventInputSchema>;

/** What became of each event. */
export type EventOutcome =
  | { index: number; id: string; status: 'accepted'; leadId: string }
  | { index: number; id: string; status: 'duplicate'; leadId: string }
  | { index: number; id: string; status: 'rejected'; issues: { path: string; message: string }[] };

/** A stored event with its arrival order. */
interface Stored extends LeadEvent {
  leadId: string;
  seq: number;
}

/**
 * Ingests a batch of events in one transaction: stores the new ones (ids already seen are
 * duplicates), marks the enrollments waiting for them due, scores them by each product line's
 * rules, starts scenarios they trigger, and follows on (hot leads, moves, segment triggers).
 */
export async function ingestEvents(rt: Runtime, inputs: readonly EventInput[]): Promise<EventOutcome[]> {
  const outcomes = await withRetry(() =>
    rt.db.transaction().execute(async (trx) => {
      const settings = await loadSettings(trx);
      const follow = noFollowUps();
      const outcomes = await ingestInTransaction(trx, rt, inputs, settings, follow);
      await settle(trx, rt, settings, follow);
      return outcomes;
    }),
  );
  // Counted once committed, so a retried transaction is not counted twice.
  const counts = { accepted: 0, duplicate: 0, rejected: 0 };
  for (const o of outcomes) counts[o.status]++;
  for (const [outcome, n] of Object.entries(counts)) if (n > 0) eventsIngested.inc({ outcome }, n);
  return outcomes;
}

/** The body of ingestion, for callers that already hold a transaction. */
export async function ingestInTransaction(
  db: Db,
  rt: Runtime,
  inputs: readonly EventInput[],
  settings: ReadonlyMap<string, ProductLineSettings>,
  follow: FollowUps,
): Promise<EventOutcome[]> {
  const now = rt.clock.now();
  const outcomes: EventOutcome[] = new Array(inputs.length);
  // Resolve leads, following merges (名寄せ) to the surviving record.
  const wanted = [...new Set(inputs.map((e) => e.leadId))];
  const found = new Map<string, string>();
  if (wanted.length > 0) {
    const rows = await db.selectFrom('leads').select(['id', 'merged_into']).where('id', 'in', wanted).execute();
    const merged: string[] = [];
    for (const r of rows) {
      if (r.merged_into === null) found.set(r.id, r.id);
      else merged.push(r.id);
    }
    // Few leads are merged (名寄せ): only their chains are followed to the surviving record.
    if (merged.length > 0) for (const [id, survivor] of await resolveLeadIds(db, merged)) found.set(id, survivor);
  }
  const valid: { index: number; row: object; leadId: string }[] = [];
  inputs.forEach((e, index) => {
    const issues: { path: string; message: string }[] = [];
    const leadId = found.get(e.leadId);
    if (!leadId) issues.push({ path: `events[${index}].leadId`, message: `no lead "${e.leadId}"` });
    if (e.productLine && !settings.has(e.productLine)) issues.push({ path: `events[${index}].productLine`, message: `no product line "${e.productLine}"` });
    if (issues.length > 0 || !leadId) {
      outcomes[index] = { index, id: e.id, status: 'rejected', issues };
      return;
    }
    valid.push({
      index,
      leadId,
      row: {
        lead_id: leadId,
        id: e.id,
        kind: e.kind,
        at: e.at ? iso(Date.parse(e.at)) : iso(now),
        product_line: e.productLine ?? null,
        scenario_id: e.scenarioId ?? null,
        node_id: e.nodeId ?? null,
        effect_key: e.effectKey ?? null,
        data: e.data,
      },
    });
  });
  const stored = await storeEvents(db, valid.map((v) => v.row), now);
  const storedKeys = new Set(stored.map((s) => `${s.leadId}\u0000${s.id}`));
  const seen = new Set<string>();
  for (const v of valid) {
    const e = inputs[v.index]!;
    const key = `${v.leadId}\u0000${e.id}`;
    const fresh = storedKeys.has(key) && !seen.has(key);
    seen.add(key);
    outcomes[v.index] = { index: v.index, id: e.id, status: fresh ? 'accepted' : 'duplicate', leadId: v.leadId };
  }
  await processStored(db, rt, stored, settings, follow);
  return outcomes;
}

/**
 * Stores events after locking the leads' live enrollments: a worker stepping one of them finishes
 * first, and no worker starts on them until this commits, so each enrollment's inbox (events past
 * its cursor) sees every event exactly once and in order of arrival.
 */
async function storeEvents(db: Db, rows: readonly object[], now: number): Promise<Stored[]> {
  if (rows.length === 0) return [];
  const leadIds = [...new Set(rows.map((r) => (r as { lead_id: string }).lead_id))].sort();
  await sql`
    select 1 from enrollments where lead_id in (${sql.join(leadIds)}) and status in ('waiting', 'active')
    order by lead_id, id for update`.execute(db);
  const inserted = await sql<{ lead_id: string; id: string; kind: string; at: Date; product_line: string | null; scenario_id: string | null; node_id: string | null; effect_key: string | null; data: Record<string, never>; seq: number }>`
    insert into events (lead_id, id, kind, at, product_line, scenario_id, node_id, effect_key, data, received_at)
    select lead_id, id, kind, at, product_line, scenario_id, node_id, effect_key, coalesce(data, '{}'::jsonb), ${new Date(now)}
    from ${records(rows)} as r(lead_id text, id text, kind text, at timestamptz, product_line text, scenario_id text, node_id text, effect_key text, data jsonb)
    on conflict do nothing
    returning lead_id, id, kind, at, product_line, scenario_id, node_id, effect_key, data, seq`.execute(db);
  return inserted.rows
    .map((r) => ({
      leadId: r.lead_id,
      id: r.id,
      kind: r.kind,
      at: r.at.getTime(),
      productLine: r.product_line,
      scenarioId: r.scenario_id,
      nodeId: r.node_id,
      effectKey: r.effect_key,
      data: r.data,
      seq: Number(r.seq),
    }))
    .sort((a, b) => a.at - b.at || a.seq - b.seq);
}

/** What stored events do: wake, unsubscribe, score, trigger. */
async function processStored(db: Db, rt: Runtime, stored: readonly Stored[], settings: ReadonlyMap<string, ProductLineSettings>, follow: FollowUps): Promise<void> {
  if (stored.length === 0) return;
  const now = rt.clock.now();
  // Wake the enrollments waiting for these kinds; the worker feeds them their inbox.
  const wake = [...groupBy(stored, (s) => s.leadId)].map(([leadId, evs]) => ({ lead_id: leadId, kinds: [...new Set(evs.map((e) => e.kind))] }));
  // Issued together, so the connection sends them one after another without waiting for each
  // answer: two round trips fewer for every ingested batch. The wake-up touches only enrollments
  // storeEvents already locked, so its place among the others cannot change who waits for whom.
  const [active] = await Promise.all([
    activeGraphs(db, null),
    sql`
      update enrollments as e set wake_at = ${new Date(now)}
      from ${records(wake)} as r(lead_id text, kinds text[])
      where e.lead_id = r.lead_id and e.status = 'waiting' and e.wait_events && r.kinds`.execute(db),
    applyUnsubscribes(db, stored, follow).then(() => score(db, stored, settings, follow)),
  ]);
  // Event triggers of active scenarios.
  const graphs = active.filter((g) => Object.values(g.nodes).some((n) => n.kind === 'trigger' && n.trigger.type === 'event'));
  if (graphs.length > 0) {
    const requests: EnrollRequest[] = [];
    const empty = { id: '', attributes: {}, tags: [], products: {}, unsubscribedAll: false, recentEvents: [], messages: [] };
    for (const e of stored) {
      for (const g of graphs) {
        if (e.productLine !== null && e.productLine !== g.productLine) continue;
        for (const t of matchTriggers(g, { type: 'event', event: e }, { ...empty, id: e.leadId })) requests.push({ leadId: e.leadId, scenarioId: g.scenarioId, triggerNodeId: t, at: e.at });
      }
    }
    await enrollLeads(db, requests, settings, follow);
  }
}

/** `unsubscribed` events stop the product line's mail, or all mail when they name no product line. */
async function applyUnsubscribes(db: Db, stored: readonly Stored[], follow: FollowUps): Promise<void> {
  const unsubs = stored.filter((e) => e.kind === 'unsubscribed');
  if (unsubs.length === 0) return;
  const perProduct = unsubs.filter((e) => e.productLine !== null).map((e) => ({ lead_id: e.leadId, product_line: e.productLine }));
  if (perProduct.length > 0) {
    await sql`
      insert into lead_products (lead_id, product_line, unsubscribed)
      select distinct lead_id, product_line, true from ${records(perProduct)} as r(lead_id text, product_line text)
      on conflict (lead_id, product_line) do update set unsubscribed = true`.execute(db);
  }
  const global = [...new Set(unsubs.filter((e) => e.productLine === null).map((e) => e.leadId))];
  if (global.length > 0) await db.updateTable('leads').set({ unsubscribed_all: true, updated_at: new Date() }).where('id', 'in', global).execute();
  for (const e of unsubs) follow.changedLeads.add(e.leadId);
}

/** Scores events by each product line's rules, in time order, with daily caps and decay; hot crossings follow up. */
async function score(db: Db, stored: readonly Stored[], settings: ReadonlyMap<string, ProductLineSettings>, follow: FollowUps): Promise<void> {
  const scored = stored.filter((e) => e.kind !== 'lead_became_hot');
  const pairs = new Map<string, { leadId: string; productLine: string }>();
  for (const e of scored) {
    for (const [pl, s] of settings) {
      if (e.productLine !== null && e.productLine !== pl) continue;
      if (!s.scoring.rules.some((r) => r.event === e.kind)) continue;
      pairs.set(`${e.leadId}\u0000${pl}`, { leadId: e.leadId, productLine: pl });
    }
  }
  if (pairs.size === 0) return;
  const keys = [...pairs.values()].sort((a, b) => (a.leadId < b.leadId ? -1 : a.leadId > b.leadId ? 1 : a.productLine < b.productLine ? -1 : 1));
  // Creates missing standings and locks and reads all of them in one statement (keys sorted, so
  // concurrent ingestions lock in the same order).
  const current = await sql<{ lead_id: string; product_line: string; score: number; rank: string | null; hot: boolean; last_activity_at: Date | null; daily: { day?: string; points?: Record<string, number> } }>`
    insert into lead_products as p (lead_id, product_line)
    select lead_id, product_line from ${records(keys.map((k) => ({ lead_id: k.leadId, product_line: k.productLine })))} as r(lead_id text, product_line text)
    on conflict (lead_id, product_line) do update set lead_id = excluded.lead_id
    returning p.lead_id, p.product_line, p.score, p.rank, p.hot, p.last_activity_at, p.daily`.execute(db);
  const standing = new Map(current.rows.map((r) => [`${r.lead_id}\u0000${r.product_line}`, { ...r, lastActivity: r.last_activity_at?.getTime() ?? null, hotAt: null as number | null, dirty: false }]));
  for (const e of scored) {
    for (const [pl, s] of settings) {
      const st = standing.get(`${e.leadId}\u0000${pl}`);
      if (!st || (e.productLine !== null && e.productLine !== pl)) continue;
      const day = dayIn(e.at, s.timezone);
      const points = st.daily.day === day ? { ...st.daily.points } : {};
      const r = applyScoringEvent(s.scoring, { score: st.score, rank: st.rank as never, hot: st.hot, lastActivityAt: st.lastActivity }, e, (id) => points[id] ?? 0, e.at);
      if (r.matched.length === 0 && r.decayed === 0) continue;
      for (const m of r.matched) points[m.ruleId] = (points[m.ruleId] ?? 0) + m.points;
      st.daily = { day, points };
      st.score = r.score;
      st.rank = r.rank;
      st.lastActivity = r.lastActivityAt;
      if (r.becameHot) {
        st.hotAt = e.at;
        follow.hotEvents.push({ leadId: e.leadId, productLine: pl, at: e.at, cause: e.id });
      }
      st.hot = r.hot;
      st.dirty = true;
      follow.changedLeads.add(e.leadId);
    }
  }
  const dirty = [...standing.values()].filter((s) => s.dirty);
  if (dirty.length === 0) return;
  await sql`
    update lead_products as p set score = r.score, rank = r.rank, hot = r.hot, last_activity_at = r.last_activity_at,
      hot_at = coalesce(r.hot_at, p.hot_at), daily = r.daily
    from ${records(dirty.map((s) => ({ lead_id: s.lead_id, product_line: s.product_line, score: s.score, rank: s.rank, hot: s.hot, last_activity_at: s.lastActivity === null ? null : iso(s.lastActivity), hot_at: s.hotAt === null ? null : iso(s.hotAt), daily: s.daily })))}
      as r(lead_id text, product_line text, score int, rank text, hot boolean, last_activity_at timestamptz, hot_at timestamptz, daily jsonb)
    where p.lead_id = r.lead_id and p.product_line = r.product_line`.execute(db);
}

/**
 * Follows up within the transaction until nothing is left: hot crossings become
 * `lead_became_hot` events, moves enrol in their target, changed leads are checked against
 * segment, score and rank triggers. Bounded, so a cycle of scenarios cannot spin forever.
 */
export async function settle(db: Db, rt: Runtime, settings: ReadonlyMap<string, ProductLineSettings>, follow: FollowUps): Promise<void> {
  for (let round = 0; round < 10; round++) {
    const hot = follow.hotEvents.splice(0);
    const enrolls = follow.enrolls.splice(0);
    const changed = [...follow.changedLeads];
    follow.changedLeads.clear();
    if (hot.length === 0 && enrolls.length === 0 && changed.length === 0) return;
    if (hot.length > 0) {
      const stored = await storeEvents(
        db,
        hot.map((h) => ({ lead_id: h.leadId, id: `hot:${h.productLine}:${h.cause}`, kind: 'lead_became_hot', at: iso(h.at), product_line: h.productLine, data: { cause: h.cause } })),
        rt.clock.now(),
      );
      await processStored(db, rt, stored, settings, follow);
    }
    if (enrolls.length > 0) await enrollLeads(db, enrolls.map((e) => ({ leadId: e.leadId, scenarioId: e.scenarioId, at: e.at })), settings, follow);
    if (changed.length > 0) await segmentTriggers(db, rt, changed, settings, follow);
  }
}

/** Leads that came to match a segment, score or rank trigger enter its scenario (once, by the re-entry policy). */
export async function segmentTriggers(db: Db, rt: Runtime, leadIds: readonly string[], settings: ReadonlyMap<string, ProductLineSettings>, follow: FollowUps): Promise<void> {
  const graphs = (await activeGraphs(db, null)).filter((g) =>
    Object.values(g.nodes).some((n) => n.kind === 'trigger' && (n.trigger.type === 'segment' || n.trigger.type === 'score' || n.trigger.type === 'rank')),
  );
  if (graphs.length === 0) return;
  const now = rt.clock.now();
  const views = await loadLeadViews(db, leadIds, widest(graphs.map((g) => needsOf(g))), now);
  const requests: EnrollRequest[] = [];
  for (const view of views.values()) {
    for (const g of graphs) {
      for (const t of matchTriggers(g, { type: 'lead', now }, view)) requests.push({ leadId: view.id, scenarioId: g.scenarioId, triggerNodeId: t, at: now });
    }
  }
  await enrollLeads(db, requests, settings, follow);
}

const dayCache = new Map<string, Map<number, string>>();

/**
 * The calendar day (YYYY-MM-DD) of an instant in a time zone. Day boundaries fall on a quarter
 * hour in every zone, so the answer is cached per 15 minutes: scoring thousands of events a second
 * must not format a date for each one.
 */
export function dayIn(at: number, timeZone: string): string {
  let zone = dayCache.get(timeZone);
  if (!zone) dayCache.set(timeZone, (zone = new Map()));
  const bucket = Math.floor(at / 900_000);
  let day = zone.get(bucket);
  if (day === undefined) {
    day = format(bucket * 900_000, 'yyyy-MM-dd', { in: tz(timeZone) });
    if (zone.size > 10_000) zone.clear();
    zone.set(bucket, day);
  }
  return day;
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const l = m.get(k);
    if (l) l.push(x);
    else m.set(k, [x]);
  }
  return m;
}

/**
 * After leads were created or changed outside an event (API upsert, import, edit): leads who now
 * match a segment, score or rank trigger enter its scenario. A lead missed here by a crash is
 * caught by the next change or sweep.
 */
export async function leadsChanged(rt: Runtime, leadIds: readonly string[]): Promise<void> {
  if (leadIds.length === 0) return;
  await withRetry(() =>
    rt.db.transaction().execute(async (trx) => {
      const settings = await loadSettings(trx);
      const follow = noFollowUps();
      await segmentTriggers(trx, rt, leadIds, settings, follow);
      await settle(trx, rt, settings, follow);
    }),
  );
}
