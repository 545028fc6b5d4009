import type { Rank, Scalar, Stage } from '@nurtureflow/scenario';
import type { LeadEvent, LeadView, ProductStanding } from '@nurtureflow/engine';
import type { Db } from './bulk.ts';
import type { GraphNeeds } from './graphs.ts';

/**
 * The engine's view of leads as they are now, read in a few set-based queries for a whole batch:
 * attributes, tags, per-product standing, and only as much history as the graphs look back on.
 */
export async function loadLeadViews(db: Db, leadIds: readonly string[], needs: GraphNeeds, now: number): Promise<Map<string, LeadView>> {
  const ids = [...new Set(leadIds)];
  const out = new Map<string, LeadView>();
  if (ids.length === 0) return out;
  const [leads, products, events, messages] = await Promise.all([
    // Whether the lead's current address bounced for good: mail to it is skipped, as the node says.
    db
      .selectFrom('leads as l')
      .select(['l.id', 'l.attributes', 'l.tags', 'l.unsubscribed_all'])
      .select((eb) => eb.exists(eb.selectFrom('bounced_addresses as b').select('b.lead_id').whereRef('b.lead_id', '=', 'l.id').whereRef('b.email_norm', '=', 'l.email_norm')).as('bounced'))
      .where('l.id', 'in', ids)
      .execute(),
    db.selectFrom('lead_products').select(['lead_id', 'product_line', 'score', 'rank', 'stage', 'hot', 'unsubscribed']).where('lead_id', 'in', ids).execute(),
    needs.eventWindowMs === null
      ? Promise.resolve([])
      : db
          .selectFrom('events')
          .select(['lead_id', 'id', 'kind', 'at', 'product_line', 'scenario_id', 'node_id', 'effect_key', 'data'])
          .where('lead_id', 'in', ids)
          .where('at', '>=', new Date(now - needs.eventWindowMs))
          .orderBy('at')
          .orderBy('seq')
          .execute(),
    needs.messageWindowMs === null
      ? Promise.resolve([])
      : db
          .selectFrom('outbox')
          .select(['lead_id', 'product_line', 'created_at'])
          .where('lead_id', 'in', ids)
          .where('type', '=', 'sendEmail')
          .where('status', 'in', ['pending', 'sent'])
          .where('created_at', '>=', new Date(now - needs.messageWindowMs))
          .orderBy('created_at')
          .execute(),
  ]);
  const standing = new Map<string, Record<string, ProductStanding>>();
  for (const p of products) {
    const m = standing.get(p.lead_id) ?? {};
    m[p.product_line] = { score: p.score, rank: (p.rank as Rank | null) ?? null, stage: p.stage as Stage, hot: p.hot, unsubscribed: p.unsubscribed };
    standing.set(p.lead_id, m);
  }
  const history = new Map<string, LeadEvent[]>();
  for (const e of events) {
    const list = history.get(e.lead_id) ?? [];
    list.push(toLeadEvent(e));
    history.set(e.lead_id, list);
  }
  const sent = new Map<string, { at: number; productLine: string }[]>();
  for (const m of messages) {
    const list = sent.get(m.lead_id) ?? [];
    list.push({ at: m.created_at.getTime(), productLine: m.product_line });
    sent.set(m.lead_id, list);
  }
  for (const l of leads) {
    out.set(l.id, {
      id: l.id,
      attributes: l.attributes as Record<string, Scalar>,
      tags: l.tags,
      products: standing.get(l.id) ?? {},
      unsubscribedAll: l.unsubscribed_all,
      ...(l.bounced ? { emailBounced: true } : {}),
      recentEvents: history.get(l.id) ?? [],
      messages: sent.get(l.id) ?? [],
    });
  }
  return out;
}

/** An events row as the engine's LeadEvent. */
export function toLeadEvent(e: {
  id: string;
  kind: string;
  at: Date;
  product_line: string | null;
  scenario_id: string | null;
  node_id: string | null;
  effect_key: string | null;
  data: unknown;
}): LeadEvent {
  return {
    id: e.id,
    kind: e.kind,
    at: e.at.getTime(),
    productLine: e.product_line,
    scenarioId: e.scenario_id,
    nodeId: e.node_id,
    effectKey: e.effect_key,
    data: e.data as Record<string, Scalar>,
  };
}
