import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { EnrollmentState, Effect } from '@nurtureflow/engine';
import type { DB } from './tables.ts';
import { createTestDatabases, eachDialect, TEST_DIALECTS } from './testing.ts';

const at = (iso: string) => new Date(iso);

async function seedScenario(db: Kysely<DB>): Promise<void> {
  await db.insertInto('product_lines').values({ id: 'crm', name: 'CRM', settings: { hotThreshold: 80, ranks: ['A', 'B'] } }).execute();
  await db
    .insertInto('scenarios')
    .values({ id: 's1', product_line: 'crm', name: 'Whitepaper follow-up', status: 'active', published_version: 1 })
    .execute();
  await db.insertInto('scenario_versions').values({ scenario_id: 's1', version: 1, graph: { nodes: { start: { kind: 'trigger' } } } }).execute();
}

function anEnrollment(leadId: string, id: string): EnrollmentState {
  return {
    id,
    leadId,
    productLine: 'crm',
    scenarioId: 's1',
    version: 1,
    status: 'waiting',
    nodeId: 'wait1',
    enteredAt: Date.UTC(2026, 10, 1, 9),
    nodeEnteredAt: Date.UTC(2026, 10, 1, 9, 5),
    seq: 3,
    waiting: { until: Date.UTC(2026, 10, 4, 9), events: ['email.opened'], reason: 'event' },
    attempts: 0,
    pendingKey: null,
    endedAt: null,
    endReason: null,
  };
}

eachDialect('round trips', (current) => {
  it('a lead reads back with its jsonb attributes and tags, booleans and Dates as written', async () => {
    const { db } = current();
    await db
      .insertInto('leads')
      .values({
        id: 'lead-1',
        email: 'Taro.Yamada@Example.co.jp',
        email_norm: 'taro.yamada@example.co.jp',
        company_norm: 'やまだ商事',
        name_norm: '山田太郎',
        attributes: { title: '部長', employees: 120, ok: true, note: null },
        tags: ['seminar-2026', '展示会'],
        created_at: at('2026-11-01T00:00:00.123Z'),
        updated_at: at('2026-11-02T03:04:05.678Z'),
      })
      .execute();

    const lead = await db.selectFrom('leads').selectAll().where('id', '=', 'lead-1').executeTakeFirstOrThrow();
    expect(lead).toStrictEqual({
      id: 'lead-1',
      email: 'Taro.Yamada@Example.co.jp',
      email_norm: 'taro.yamada@example.co.jp',
      phone_norm: null,
      company_norm: 'やまだ商事',
      name_norm: '山田太郎',
      attributes: { title: '部長', employees: 120, ok: true, note: null },
      tags: ['seminar-2026', '展示会'],
      unsubscribed_all: false,
      merged_into: null,
      created_at: at('2026-11-01T00:00:00.123Z'),
      updated_at: at('2026-11-02T03:04:05.678Z'),
    });
  });

  it('an enrollment keeps the engine state as JSON, its wake time as a Date and wait_events as text[]', async () => {
    const { db } = current();
    await seedScenario(db);
    await db.insertInto('leads').values({ id: 'lead-2' }).execute();
    const state = anEnrollment('lead-2', 'e1');
    await db
      .insertInto('enrollments')
      .values({
        lead_id: 'lead-2',
        id: 'e1',
        scenario_id: 's1',
        version: 1,
        product_line: 'crm',
        status: state.status,
        node_id: state.nodeId,
        state,
        wake_at: new Date(Date.UTC(2026, 10, 4, 9)),
        wait_events: ['email.opened', 'email.clicked'],
      })
      .execute();
    await db
      .insertInto('enrollment_history')
      .values({
        lead_id: 'lead-2',
        enrollment_id: 'e1',
        seq: 1,
        at: new Date(Date.UTC(2026, 10, 1, 9)),
        node_id: 'branch',
        output: 'caseA',
        to_node: 'mail1',
        reason: { code: 'case', caseId: 'caseA', values: { score: 42, rank: 'B' } },
      })
      .execute();

    const row = await db
      .selectFrom('enrollments')
      .select(['state', 'wake_at', 'wait_events', 'version', 'claimed_until'])
      .where('lead_id', '=', 'lead-2')
      .executeTakeFirstOrThrow();
    expect(row).toStrictEqual({
      state,
      wake_at: new Date(Date.UTC(2026, 10, 4, 9)),
      wait_events: ['email.opened', 'email.clicked'],
      version: 1,
      claimed_until: null,
    });
    const history = await db.selectFrom('enrollment_history').select(['seq', 'at', 'reason']).executeTakeFirstOrThrow();
    expect(history).toStrictEqual({
      seq: 1,
      at: new Date(Date.UTC(2026, 10, 1, 9)),
      reason: { code: 'case', caseId: 'caseA', values: { score: 42, rank: 'B' } },
    });
  });

  it('an outbox row takes its defaults and reads the effect back as written', async () => {
    const { db } = current();
    await db.insertInto('leads').values({ id: 'lead-3' }).execute();
    await db
      .insertInto('enrollments')
      .values({
        lead_id: 'lead-3',
        id: 'e1',
        scenario_id: 's1',
        version: 1,
        product_line: 'crm',
        status: 'active',
        state: anEnrollment('lead-3', 'e1'),
      })
      .execute();
    const effect: Effect = { type: 'sendEmail', key: 'e1:3:mail1', nodeId: 'mail1', productLine: 'crm', template: 'wp-1', subject: null };
    const before = new Date(Date.now() - 60_000);
    await db
      .insertInto('outbox')
      .values({ lead_id: 'lead-3', key: effect.key, enrollment_id: 'e1', scenario_id: 's1', product_line: 'crm', type: effect.type, payload: effect })
      .execute();

    const row = await db.selectFrom('outbox').selectAll().where('lead_id', '=', 'lead-3').executeTakeFirstOrThrow();
    expect(row.payload).toStrictEqual(effect);
    expect(row.status).toBe('pending');
    expect(row.attempts).toBe(0);
    expect(row.next_attempt_at).toBeInstanceOf(Date);
    expect(row.next_attempt_at.getTime()).toBeGreaterThan(before.getTime());
  });

  it('aggregates and computed columns come back as plain numbers, Dates and arrays', async () => {
    const { db } = current();
    const { rows } = await sql<Record<string, unknown>>`
      select count(*) as count,
             sum(x)::int8 as sum8,
             9007199254740993::int8 as huge,
             2::int4 as int4,
             1.50::numeric as numeric,
             2.5::float8 as float8,
             timestamptz '2026-11-25 09:30:00.123+09' as tz,
             'infinity'::timestamptz as forever,
             array[1, 2]::int8[] as int8s,
             array['a', 'b']::text[] as texts,
             '{"a": [1, {"b": null}]}'::jsonb as json,
             current_setting('TimeZone') as zone
      from (values (1), (2)) v(x)`.execute(db);
    expect(rows[0]).toStrictEqual({
      count: 2,
      sum8: 3,
      huge: 9007199254740993n,
      int4: 2,
      numeric: '1.50',
      float8: 2.5,
      tz: at('2026-11-25T00:30:00.123Z'),
      forever: Number.POSITIVE_INFINITY,
      int8s: [1, 2],
      texts: ['a', 'b'],
      json: { a: [1, { b: null }] },
      zone: 'UTC',
    });
  });

  it('a JS string given for jsonb is stored as a JSON string, never parsed as JSON text', async () => {
    const { db } = current();
    const { rows } = await sql<Record<string, unknown>>`
      select ${'plain'}::jsonb as plain, ${'{"a":1}'}::jsonb as text, ${sql.val(['x', 1])}::jsonb as arr`.execute(db);
    expect(rows[0]).toStrictEqual({ plain: 'plain', text: '{"a":1}', arr: ['x', 1] });
  });

  it('a bigint inside jsonb is stored as its decimal string', async () => {
    const { db } = current();
    await db.insertInto('leads').values({ id: 'lead-4', attributes: { big: 12345678901234567890n as unknown as number } }).execute();
    const lead = await db.selectFrom('leads').select('attributes').where('id', '=', 'lead-4').executeTakeFirstOrThrow();
    expect(lead.attributes).toStrictEqual({ big: '12345678901234567890' });
  });
});

describe.runIf(TEST_DIALECTS.length === 2)('both dialects', () => {
  it('return identical JS values for the same rows', async () => {
    const databases = await createTestDatabases();
    try {
      const results = [];
      for (const { db } of databases) {
        await seedScenario(db);
        await db.insertInto('leads').values({ id: 'l', tags: ['a'], attributes: { n: 1 }, created_at: at('2026-01-02T03:04:05.006Z') }).execute();
        await db.insertInto('lead_products').values({ lead_id: 'l', product_line: 'crm', score: 85, rank: 'A', hot: true, hot_at: at('2026-01-03T00:00:00Z') }).execute();
        results.push({
          lead: await db.selectFrom('leads').select(['id', 'tags', 'attributes', 'created_at', 'unsubscribed_all']).execute(),
          standing: await db.selectFrom('lead_products').selectAll().execute(),
          versions: await db.selectFrom('scenario_versions').select(['graph', 'version', 'note']).execute(),
          counts: await db.selectFrom('lead_products').select((eb) => [eb.fn.countAll().as('n'), eb.fn.sum('score').as('total')]).execute(),
        });
      }
      expect(results[1]).toStrictEqual(results[0]);
      expect(results[0]?.counts).toStrictEqual([{ n: 1, total: 85 }]);
    } finally {
      await Promise.all(databases.map((d) => d.close()));
    }
  });
});
