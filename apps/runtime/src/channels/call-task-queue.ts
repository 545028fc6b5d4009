// Inside sales' queue: a product line's call tasks in the order they fall due, each with what the
// caller needs before dialling — who, which company, the number, the score and rank, what the lead
// did lately — and which attempt of how many this is. Completing one is POST /call-tasks/:key/complete.
import type { OutboxStatus } from '@nurtureflow/db';
import type { Effect } from '@nurtureflow/engine';
import { sql } from 'kysely';
import type { Db } from '../core/bulk.ts';
import { leadCards, recentEvents, type LeadCard, type RecentEvent } from './lead-summary.ts';

type CallEffect = Extract<Effect, { type: 'createCallTask' }>;

/** One task in the queue. */
export interface QueuedCall {
  key: string;
  status: string;
  dueAt: string;
  /** The due time has come and the task is still open. */
  due: boolean;
  attempt: number;
  maxAttempts: number;
  script: string;
  scenarioId: string;
  nodeId: string;
  enrollmentId: string;
  createdAt: string;
  lead: (LeadCard | { id: string }) & { recentEvents: RecentEvent[] };
}

/** Which tasks: still to call (the default), already answered, or both. */
export type QueueState = 'open' | 'done' | 'all';

const RECENT = 5;

/** The product line's call tasks ordered by due time (then key), at most `limit`. */
export async function callTaskQueue(db: Db, productLine: string, options: { state: QueueState; limit: number; now: number }): Promise<QueuedCall[]> {
  const statuses: OutboxStatus[] = options.state === 'open' ? ['pending', 'sent'] : options.state === 'done' ? ['done', 'failed', 'skipped'] : ['pending', 'sent', 'done', 'failed', 'skipped'];
  const rows = await db
    .selectFrom('outbox')
    .selectAll()
    .where('product_line', '=', productLine)
    .where('type', '=', 'createCallTask')
    .where('status', 'in', statuses)
    .orderBy(sql`(payload->>'dueAt')::bigint`)
    .orderBy('key')
    .limit(options.limit)
    .execute();
  const leadIds = rows.map((r) => r.lead_id);
  const [cards, events] = await Promise.all([leadCards(db, leadIds, productLine), recentEvents(db, leadIds, productLine, RECENT)]);
  return rows.map((r) => {
    const task = r.payload as CallEffect;
    return {
      key: r.key,
      status: r.status,
      dueAt: new Date(task.dueAt).toISOString(),
      due: task.dueAt <= options.now && (r.status === 'pending' || r.status === 'sent'),
      attempt: task.attempt,
      maxAttempts: task.maxAttempts,
      script: task.script,
      scenarioId: r.scenario_id,
      nodeId: task.nodeId,
      enrollmentId: r.enrollment_id,
      createdAt: r.created_at.toISOString(),
      lead: { ...(cards.get(r.lead_id) ?? { id: r.lead_id }), recentEvents: events.get(r.lead_id) ?? [] },
    };
  });
}
