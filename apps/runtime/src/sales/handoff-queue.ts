// A product line's hand-offs as sales work through them: each with its record (why the lead came:
// reasons, score history, recent events, the node that handed off), how sales were told, the lead
// as it stands now, and sales' answer once given. Answering is POST /handoffs/:key/accept · /return.
import type { HandoffsTable, OutboxStatus } from '@nurtureflow/db';
import type { Effect } from '@nurtureflow/engine';
import type { Selectable } from 'kysely';
import type { Db } from '../core/bulk.ts';
import { leadCards, type LeadCard } from '../channels/lead-summary.ts';

type HandoffEffect = Extract<Effect, { type: 'handOff' }>;

/** Which hand-offs: still to answer (the default), answered, or every one. */
export type HandoffState = 'open' | 'answered' | 'all';

/** Sales' answer: the event the answer recorded. */
export interface HandoffAnswer {
  outcome: 'accepted' | 'returned';
  at: string;
  note: string | null;
}

/** One hand-off in the sales view. */
export interface QueuedHandoff {
  key: string;
  status: string;
  /** Sales may accept or return it now. */
  open: boolean;
  createdAt: string;
  scenarioId: string;
  enrollmentId: string;
  node: { id: string; reason: string; to: string };
  /** The lead as it stands now in the product line (the record keeps it as it was at the hand-off). */
  lead: LeadCard | { id: string };
  /** Null until the hand-off channel has written it. */
  record: Selectable<HandoffsTable>['record'] | null;
  notification: Selectable<HandoffsTable>['notification'] | null;
  answer: HandoffAnswer | null;
}

const OPEN: OutboxStatus[] = ['pending', 'sent'];
const STATUSES: Record<HandoffState, OutboxStatus[]> = { open: OPEN, answered: ['done'], all: ['pending', 'sent', 'done', 'failed', 'skipped'] };

/** The product line's hand-offs in the given state, newest first (then by key), `limit` from `offset`. */
export async function handoffQueue(db: Db, productLine: string, options: { state: HandoffState; limit: number; offset: number }): Promise<{ total: number; items: QueuedHandoff[] }> {
  const base = db
    .selectFrom('outbox as o')
    .where('o.product_line', '=', productLine)
    .where('o.type', '=', 'handOff')
    .where('o.status', 'in', STATUSES[options.state]);
  const [counted, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
    base
      .leftJoin('handoffs as h', 'h.key', 'o.key')
      .selectAll('o')
      .select(['h.record', 'h.notification'])
      .orderBy('o.created_at', 'desc')
      .orderBy('o.key')
      .limit(options.limit)
      .offset(options.offset)
      .execute(),
  ]);
  const leadIds = rows.map((r) => r.lead_id);
  const answered = rows.filter((r) => r.status === 'done');
  const [cards, answers] = await Promise.all([
    leadCards(db, leadIds, productLine),
    answered.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('events')
          .select(['effect_key', 'kind', 'at', 'data'])
          .where('lead_id', 'in', answered.map((r) => r.lead_id))
          .where('effect_key', 'in', answered.map((r) => r.key))
          .where('kind', 'in', ['handoff_accepted', 'handoff_returned'])
          .execute(),
  ]);
  const answerOf = new Map<string, HandoffAnswer>();
  for (const a of answers) {
    const note = (a.data as { note?: unknown }).note;
    answerOf.set(a.effect_key!, { outcome: a.kind === 'handoff_accepted' ? 'accepted' : 'returned', at: a.at.toISOString(), note: typeof note === 'string' ? note : null });
  }
  return {
    total: Number(counted.n),
    items: rows.map((r) => {
      const effect = r.payload as HandoffEffect;
      return {
        key: r.key,
        status: r.status,
        open: OPEN.includes(r.status),
        createdAt: r.created_at.toISOString(),
        scenarioId: r.scenario_id,
        enrollmentId: r.enrollment_id,
        node: { id: effect.nodeId, reason: effect.reason, to: effect.to },
        lead: cards.get(r.lead_id) ?? { id: r.lead_id },
        record: r.record,
        notification: r.notification,
        answer: answerOf.get(r.key) ?? null,
      };
    }),
  };
}
