import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import type { EnrollmentState } from '@nurtureflow/engine';
import type { DB } from './tables.ts';
import { eachDialect } from './testing.ts';

const NOW = new Date('2026-11-25T09:00:00Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

// The shape of the worker's claim: due waiting enrollments, oldest wake first, rows another worker
// holds are passed over instead of waited for.
async function claimDue(trx: Transaction<DB>, worker: string, limit: number): Promise<string[]> {
  const due = await trx
    .selectFrom('enrollments')
    .select(['lead_id', 'id'])
    .where('status', '=', 'waiting')
    .where('wake_at', '<=', NOW)
    .orderBy('wake_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  for (const row of due) {
    await trx
      .updateTable('enrollments')
      .set({ claimed_by: worker, claimed_until: minutes(5) })
      .where('lead_id', '=', row.lead_id)
      .where('id', '=', row.id)
      .execute();
  }
  return due.map((row) => row.id);
}

async function seed(db: Kysely<DB>): Promise<void> {
  await db.insertInto('product_lines').values({ id: 'crm', name: 'CRM' }).execute();
  await db.insertInto('scenarios').values({ id: 's1', product_line: 'crm', name: 'Nurture', status: 'active' }).execute();
  await db.insertInto('scenario_versions').values({ scenario_id: 's1', version: 1, graph: {} }).execute();
  const enrollments: [string, Date | null, 'waiting' | 'completed'][] = [
    ['e1', minutes(-30), 'waiting'],
    ['e2', minutes(-20), 'waiting'],
    ['e3', minutes(-10), 'waiting'],
    ['e4', minutes(+10), 'waiting'], // not due yet
    ['e5', minutes(-40), 'completed'], // ended: never claimed
  ];
  for (const [id, wakeAt, status] of enrollments) {
    const leadId = `lead-${id}`;
    const state: EnrollmentState = {
      id,
      leadId,
      productLine: 'crm',
      scenarioId: 's1',
      version: 1,
      status,
      nodeId: 'wait',
      enteredAt: 0,
      nodeEnteredAt: 0,
      seq: 0,
      waiting: null,
      attempts: 0,
      pendingKey: null,
      endedAt: null,
      endReason: null,
    };
    await db.insertInto('leads').values({ id: leadId }).execute();
    await db
      .insertInto('enrollments')
      .values({ lead_id: leadId, id, scenario_id: 's1', version: 1, product_line: 'crm', status, wake_at: wakeAt, state })
      .execute();
  }
}

eachDialect('claiming due enrollments with FOR UPDATE SKIP LOCKED', (current, dialect) => {
  beforeAll(async () => {
    await seed(current().db);
  });

  it('claims due waiting enrollments, oldest wake first, and nothing else', async () => {
    const { db } = current();
    const claimed = await db.transaction().execute((trx) => claimDue(trx, 'worker-a', 2));
    expect(claimed).toEqual(['e1', 'e2']);

    const rows = await db.selectFrom('enrollments').select(['id', 'claimed_by', 'claimed_until']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'e1', claimed_by: 'worker-a', claimed_until: minutes(5) },
      { id: 'e2', claimed_by: 'worker-a', claimed_until: minutes(5) },
      { id: 'e3', claimed_by: null, claimed_until: null },
      { id: 'e4', claimed_by: null, claimed_until: null },
      { id: 'e5', claimed_by: null, claimed_until: null },
    ]);
  });

  // Embedded PGlite has a single connection, so there is no second transaction to race; the
  // concurrency is proved where it happens, on Postgres with two pooled connections.
  if (dialect === 'postgres') {
    it('a second worker skips the rows the first holds instead of waiting for them', async () => {
      const { db } = current();
      await db.transaction().execute(async (first) => {
        const held = await first.selectFrom('enrollments').select('id').where('id', 'in', ['e1', 'e2']).forUpdate().execute();
        expect(held).toHaveLength(2);

        // The rows really are locked: asking for them without waiting fails at once.
        const blocked = await db
          .transaction()
          .execute((second) => second.selectFrom('enrollments').select('id').where('id', '=', 'e1').forUpdate().noWait().execute())
          .catch((error: unknown) => error);
        expect(blocked).toMatchObject({ code: '55P03' });

        // With SKIP LOCKED the second worker takes the next due row and never blocks.
        const claimed = await db.transaction().execute(async (second) => {
          await sql`set local lock_timeout = '2s'`.execute(second);
          return claimDue(second, 'worker-b', 10);
        });
        expect(claimed).toEqual(['e3']);
      });
    });
  }
});
