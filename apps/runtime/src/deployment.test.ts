// The deployment shape of README "Deployment and scaling", as child processes on one Postgres schema:
// one `--api-only` process takes the events over HTTP, two `--worker-only` processes — one for every
// product line, one limited to product line da — wake the enrollments waiting for them. Nothing
// passes between the processes but the database: the API process steps nothing, every enrollment is
// stepped once by a worker, and the limited worker's steps, as the database records them
// (enrollments.claimed_by), are all da's. (The four-worker count is many-workers.test.ts; the
// processes and the fleet come from ops/child-runtime.ts and ops/fleet.ts.)
import { hostname } from 'node:os';
import { createTestDatabase, TEST_DATABASE_URL, TEST_DIALECTS, type TestDatabase } from '@nurtureflow/db/testing';
import { aGraph, dur } from '@nurtureflow/scenario/testing';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { killAll, listening, spawnRuntime, stopRuntime, tail, until, type ChildRuntime } from './ops/child-runtime.ts';
import { historyShapes, insertLeads, startFleet, stopFleet } from './ops/fleet.ts';
import { makeTestRuntime, type TestRuntime } from './testing.ts';

const PER_LINE = 1_000;
const LINES = ['da', 'db'] as const;
const EVENT = 'demo_requested';

async function ok(t: TestRuntime, method: string, path: string, body?: unknown): Promise<any> {
  const res = await t.call(method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Waits for the demo request (30 days at most), scores it and exits. */
function demoJourney(productLine: string, scenarioId: string) {
  return aGraph({ productLine, scenarioId, name: `Demo ${productLine}` })
    .trigger('t', { type: 'import' })
    .waitForEvent('we', EVENT, dur(30, 'days'))
    .score('s', 7)
    .exit('done')
    .from('we', 'timeout')
    .exit('late')
    .input();
}

describe.skipIf(!TEST_DIALECTS.includes('postgres'))('one API process and two worker processes on one Postgres', () => {
  let database: TestDatabase | undefined;
  const processes: ChildRuntime[] = [];
  afterAll(async () => {
    await killAll(processes);
    await database?.close();
  });

  it('events posted to the API process are taken by the workers; the worker limited to da steps only da’s', { timeout: 240_000 }, async () => {
    database = await createTestDatabase('postgres');
    const db = database.db;
    const t = makeTestRuntime(database, new Date().toISOString());
    for (const pl of LINES) {
      await ok(t, 'POST', '/product-lines', { id: pl, name: `Line ${pl}` });
      await ok(t, 'POST', '/scenarios', { id: `demo-${pl}`, productLine: pl, name: `Demo ${pl}`, draft: demoJourney(pl, `demo-${pl}`) });
      await ok(t, 'POST', `/scenarios/demo-${pl}/publish`, { note: 'deployment' });
      const ids = Array.from({ length: PER_LINE }, (_, i) => `${pl}-${i}`);
      await insertLeads(db, ids);
      expect(await ok(t, 'POST', '/enrollments', { scenarioId: `demo-${pl}`, leadIds: ids })).toMatchObject({ enrolled: PER_LINE, refused: 0 });
    }
    const waiting = await sql<{ n: number }>`select count(*)::int as n from enrollments where status = 'waiting' and node_id = 'we'`.execute(db);
    expect(waiting.rows[0]!.n).toBe(2 * PER_LINE);
    const token = await t.token({ orgAdmin: true, name: 'load balancer client' });

    const env = { DATABASE_URL: TEST_DATABASE_URL, NURTUREFLOW_DB_SCHEMA: database.schema! };
    const apiProcess = spawnRuntime(['--api-only', '--no-seed', '--port', '0'], env);
    processes.push(apiProcess);
    const [base, workers] = await Promise.all([listening(apiProcess, 120_000), startFleet(TEST_DATABASE_URL, database.schema!, [[], ['--product-lines', 'da']])]);
    processes.push(...workers);
    const apiWorkerId = `${hostname()}-${apiProcess.proc.pid}`;

    const ready = await fetch(`${base}api/v1/ready`);
    expect(ready.status, await ready.text()).toBe(200);
    // One event per lead, the two product lines interleaved, in batches through the API process.
    const events = Array.from({ length: PER_LINE }, (_, i) => LINES.map((pl) => ({ id: `demo-${pl}-${i}`, kind: EVENT, leadId: `${pl}-${i}`, productLine: pl }))).flat();
    for (let i = 0; i < events.length; i += 500) {
      const res = await fetch(`${base}api/v1/events/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: events.slice(i, i + 500) }),
      });
      const body = (await res.json()) as { accepted?: number };
      expect(res.status, JSON.stringify(body)).toBe(202);
      expect(body.accepted).toBe(500);
    }

    await until(
      'every enrollment completed',
      async () => Number((await sql<{ n: number }>`select count(*)::int as n from enrollments where status <> 'completed'`.execute(db)).rows[0]!.n) === 0,
      120_000,
      200,
    );
    const [general, limited] = await stopFleet(workers);
    const apiExit = await stopRuntime(apiProcess);
    expect(apiExit, tail(apiProcess)).toEqual({ code: 0, signal: null });
    expect(apiProcess.text(), 'the API process runs no worker').not.toMatch(/stepped \d+ enrollments/);

    expect(general!.stepped + limited!.stepped, 'no step taken twice, none missed').toBe(2 * PER_LINE);
    expect(limited!.stepped, 'the limited worker took a share of da').toBeGreaterThan(0);
    const byWorker = await sql<{ claimed_by: string | null; product_line: string; n: number }>`
      select claimed_by, product_line, count(*)::int as n from enrollments group by 1, 2 order by 1, 2`.execute(db);
    expect(byWorker.rows.filter((r) => r.claimed_by === limited!.workerId).map((r) => r.product_line), 'the da-only worker touched da alone').toEqual(['da']);
    expect(byWorker.rows.filter((r) => r.claimed_by === apiWorkerId), 'the API process stepped nothing').toEqual([]);
    expect(byWorker.rows.filter((r) => r.claimed_by !== general!.workerId && r.claimed_by !== limited!.workerId), 'every enrollment stepped by one of the two workers').toEqual([]);
    const db_ = byWorker.rows.filter((r) => r.product_line === 'db');
    expect(db_, 'db’s enrollments all stepped by the general worker').toEqual([{ claimed_by: general!.workerId, product_line: 'db', n: PER_LINE }]);

    // Each enrollment took the event branch once, with its history whole; the event scored once.
    const shapes = await historyShapes(db, LINES.map((pl) => `demo-${pl}`));
    expect(shapes).toHaveLength(1);
    expect(shapes[0]).toMatchObject({ status: 'completed', node_id: 'done', n: 2 * PER_LINE });
    expect(shapes[0]!.rows).toBe(shapes[0]!.state_seq);
    expect(shapes[0]!.seqs).toBe(shapes[0]!.state_seq);
    const scores = await sql<{ product_line: string; score: number; n: number }>`
      select product_line, score, count(*)::int as n from lead_products group by 1, 2 order by 1, 2`.execute(db);
    expect(scores.rows).toEqual(LINES.map((pl) => ({ product_line: pl, score: 7, n: PER_LINE })));
  });
});
