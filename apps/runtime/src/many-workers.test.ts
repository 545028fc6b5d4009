// Four worker processes on one Postgres: three for every product line and one limited to product
// line fa. 20,000 enrollments (10,000 per product line) are held until all four run, then released
// at once. No enrollment is stepped twice or missed, and the limited worker touches only fa's:
// each enrollment keeps the id of the process that stepped it (claimed_by), so the database, not
// the workers' own word, says who did what.
import { createTestDatabase, TEST_DATABASE_URL, TEST_DIALECTS, type TestDatabase } from '@nurtureflow/db/testing';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { killAll, until, type ChildRuntime } from './ops/child-runtime.ts';
import { fleetJourney, historyShapes, insertLeads, setScenarioStatus, startFleet, stopFleet } from './ops/fleet.ts';
import { makeTestRuntime, type TestRuntime } from './testing.ts';

const PER_LINE = Number(process.env['MANY_WORKERS_LEADS'] ?? 10_000);
const MINUTE = 60_000;

async function ok(t: TestRuntime, method: string, path: string, body?: unknown): Promise<any> {
  const res = await t.call(method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

describe.skipIf(!TEST_DIALECTS.includes('postgres'))('four worker processes on one Postgres', () => {
  let database: TestDatabase | undefined;
  let fleet: ChildRuntime[] = [];
  afterAll(async () => {
    await killAll(fleet);
    await database?.close();
  });

  it(`${2 * PER_LINE} enrollments over two product lines: each stepped exactly once, and the worker limited to fa never touches fb`, { timeout: 240_000 }, async () => {
    database = await createTestDatabase('postgres');
    const db = database.db;
    // Ten minutes back: both one-minute waits have ended, so one wake-up takes each lead to the exit.
    const t = makeTestRuntime(database, new Date(Date.now() - 10 * MINUTE).toISOString());
    const lines = ['fa', 'fb'];
    for (const pl of lines) {
      await ok(t, 'POST', '/product-lines', { id: pl, name: `Fleet ${pl}` });
      await ok(t, 'POST', '/scenarios', { id: `fleet-${pl}`, productLine: pl, name: `Fleet ${pl}`, draft: fleetJourney(pl, `fleet-${pl}`) });
      await ok(t, 'POST', `/scenarios/fleet-${pl}/publish`, { note: 'fleet' });
      const ids = Array.from({ length: PER_LINE }, (_, i) => `${pl}-${i}`);
      await insertLeads(db, ids);
      for (let i = 0; i < ids.length; i += 2000) expect(await ok(t, 'POST', '/enrollments', { scenarioId: `fleet-${pl}`, leadIds: ids.slice(i, i + 2000) })).toMatchObject({ refused: 0 });
    }
    const scenarios = lines.map((pl) => `fleet-${pl}`);
    await setScenarioStatus(db, scenarios, 'paused');

    fleet = await startFleet(TEST_DATABASE_URL, database.schema!, [[], [], [], ['--product-lines', 'fa']]);
    await setScenarioStatus(db, scenarios, 'active');
    await until(
      'every enrollment completed',
      async () => Number((await sql<{ n: number }>`select count(*)::int as n from enrollments where status <> 'completed'`.execute(db)).rows[0]!.n) === 0,
      180_000,
      200,
    );
    const reports = await stopFleet(fleet);
    const limited = reports[3]!;

    expect(new Set(reports.map((r) => r.workerId)).size, 'four distinct processes').toBe(4);
    expect(reports.reduce((s, r) => s + r.stepped, 0), 'no step taken twice, none missed').toBe(2 * PER_LINE);
    expect(limited.stepped, 'the limited worker took a share of fa').toBeGreaterThan(0);

    // Who stepped what, from the database.
    const byWorker = await sql<{ claimed_by: string; product_line: string; n: number }>`
      select claimed_by, product_line, count(*)::int as n from enrollments group by 1, 2 order by 1, 2`.execute(db);
    for (const r of reports) {
      const mine = byWorker.rows.filter((row) => row.claimed_by === r.workerId);
      expect(mine.reduce((s, row) => s + row.n, 0), `${r.workerId} stepped what it says`).toBe(r.stepped);
    }
    expect(byWorker.rows.filter((row) => row.claimed_by === limited.workerId).map((row) => row.product_line), 'the fa-only worker touched fa alone').toEqual(['fa']);
    expect(byWorker.rows.filter((row) => !reports.some((r) => r.workerId === row.claimed_by)), 'every enrollment stepped by one of the four').toEqual([]);

    // Every enrollment's history: each row once, none missing.
    const shapes = await historyShapes(db, scenarios);
    expect(shapes).toHaveLength(1);
    const [shape] = shapes;
    expect(shape).toMatchObject({ status: 'completed', node_id: 'x', n: 2 * PER_LINE });
    expect(shape!.rows).toBe(shape!.state_seq);
    expect(shape!.seqs).toBe(shape!.state_seq);
    expect(shape!.max).toBe(shape!.state_seq);
  });
});
