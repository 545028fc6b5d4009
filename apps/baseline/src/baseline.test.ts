// The baseline does the runtime's work: the same leads, taken through the bench scenario by the job
// queue by hand and by Nurtureflow's runtime, end at the same nodes by the same paths, with the same
// scores, tags and outbox. Both on the local Postgres (graphile-worker needs a real server) and on
// clocks the test moves: the runtime's ManualClock, and Node's clock for graphile-worker.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, TEST_DATABASE_URL, TEST_DIALECTS, type TestDatabase } from '@nurtureflow/db/testing';
import { drainDue } from '../../runtime/src/core/worker.ts';
import { makeTestRuntime } from '../../runtime/src/testing.ts';
import { benchGraph } from '../../runtime/bench/bench-scenario.ts';
import { addLeads, enrol, ingestEvent, openBaseline, readJourneys, type Baseline } from './index.ts';

const START = Date.parse('2026-04-06T00:00:00Z');
const ROUND = 11 * 60_000;
const SCENARIO = 'steps';
const plain = ['lead-1', 'lead-2', 'lead-3', 'lead-4', 'lead-5', 'lead-6'];
/** Opens a mail while it waits for one (the event output, 5 more points). */
const opener = 'lead-open';
/** Opened nine mails before it came in: 45 points, hot after the scenario's 8, handed off. */
const hot = 'lead-hot';
const leads = [...plain, opener, hot];

type Path = [string, string | null, string | null][];
interface Outcome {
  node: string | null;
  status: string;
  score: number;
  tags: string[];
  path: Path;
  outbox: string[];
}

/** Five rounds of the clock moved past a wait; `between` runs after round 2, when the leads wait for an open. */
async function rounds(step: (now: number) => Promise<void>, between: (now: number) => Promise<void>): Promise<void> {
  for (let round = 1; round <= 5; round++) {
    await step(START + round * ROUND);
    if (round === 2) {
      await between(START + round * ROUND);
      await step(START + round * ROUND);
    }
  }
}

async function throughRuntime(database: TestDatabase): Promise<Map<string, Outcome>> {
  const t = makeTestRuntime(database);
  const ok = async (method: string, path: string, body: unknown) => {
    const r = await t.call(method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  };
  await ok('POST', '/product-lines', { id: 'bench', name: 'Bench', settings: { scoring: { rules: [{ id: 'open', event: 'email_opened', points: 5 }], hotThreshold: 1000 } } });
  await ok('POST', '/scenarios', { id: SCENARIO, productLine: 'bench', name: 'bench', draft: benchGraph(SCENARIO, 'minutes', 10) });
  await ok('POST', `/scenarios/${SCENARIO}/publish`, { note: 'test' });
  await t.rt.db.insertInto('leads').values(leads.map((id) => ({ id, email: `${id}@example.jp`, attributes: {}, tags: [] }))).execute();
  const open = (leadId: string, id: string) => ok('POST', '/events', { id, kind: 'email_opened', leadId, productLine: 'bench', at: new Date(t.clock.now()).toISOString() });
  for (let i = 0; i < 9; i++) await open(hot, `early-${i}`);
  await ok('POST', '/enrollments', { scenarioId: SCENARIO, leadIds: leads });
  await rounds(
    async (now) => {
      t.clock.set(now);
      await drainDue(t.rt);
    },
    () => open(opener, 'while-waiting'),
  );
  const enrollments = await t.rt.db.selectFrom('enrollments').select(['lead_id', 'node_id', 'status']).execute();
  const history = await t.rt.db.selectFrom('enrollment_history').select(['lead_id', 'node_id', 'output', 'to_node']).orderBy('lead_id').orderBy('seq').execute();
  const outbox = await t.rt.db.selectFrom('outbox').select(['lead_id', 'payload']).execute();
  const standings = await t.rt.db.selectFrom('lead_products').select(['lead_id', 'score']).execute();
  const tags = await t.rt.db.selectFrom('leads').select(['id', 'tags']).execute();
  const out = new Map<string, Outcome>();
  for (const e of enrollments) {
    out.set(e.lead_id, {
      node: e.node_id,
      status: e.status,
      score: standings.find((s) => s.lead_id === e.lead_id)?.score ?? 0,
      tags: [...((tags.find((l) => l.id === e.lead_id)?.tags as string[] | undefined) ?? [])].sort(),
      path: history.filter((h) => h.lead_id === e.lead_id).map((h): Path[number] => [h.node_id ?? '', h.output, h.to_node]),
      outbox: outbox.filter((o) => o.lead_id === e.lead_id).map((o) => `${o.payload.nodeId}:${o.payload.type}`).sort(),
    });
  }
  return out;
}

async function throughBaseline(b: Baseline): Promise<Map<string, Outcome>> {
  // graphile-worker compares run_at with Node's clock (useNodeTime): only Date is faked, timers run.
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    vi.setSystemTime(START);
    await addLeads(b.pool, b.schemas, leads);
    for (let i = 0; i < 9; i++) await ingestEvent(b.pool, b.schemas, { leadId: hot, kind: 'email_opened', at: START });
    await enrol(b.pool, b.schemas, SCENARIO, leads, START);
    await rounds(
      async (now) => {
        vi.setSystemTime(now);
        await b.runDue();
      },
      (now) => ingestEvent(b.pool, b.schemas, { leadId: opener, kind: 'email_opened', at: now }),
    );
  } finally {
    vi.useRealTimers();
  }
  const journeys = await readJourneys(b.pool, b.schemas);
  const outbox = await b.pool.query<{ lead_id: string; node_id: string; type: string }>(`select lead_id, node_id, type from ${b.schemas.app}.outbox`);
  const out = new Map<string, Outcome>();
  for (const [leadId, { journey: j, path }] of journeys) {
    out.set(leadId, {
      node: j.node,
      status: j.status,
      score: j.score,
      tags: [...j.tags].sort(),
      path,
      outbox: outbox.rows.filter((o) => o.lead_id === leadId).map((o) => `${o.node_id}:${o.type}`).sort(),
    });
  }
  return out;
}

// Only where the suite runs on Postgres (TEST_DIALECTS): graphile-worker has no embedded mode.
describe.skipIf(!TEST_DIALECTS.includes('postgres'))('the job queue by hand (graphile-worker)', () => {
  let database: TestDatabase;
  let baseline: Baseline;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    const tag = `baseline_test_${process.pid}`;
    baseline = await openBaseline({
      connectionString: TEST_DATABASE_URL,
      schemas: { app: tag, worker: `${tag}_worker` },
      scenarioId: SCENARIO,
      // One job at a time, each fetched and completed on its own: every round ends with nothing locked.
      concurrency: 1,
      localQueueSize: -1,
      completeJobBatchDelay: -1,
      useNodeTime: true,
    });
  });
  afterAll(async () => {
    await baseline?.drop();
    await database?.close();
  });

  it('takes leads to the same nodes by the same paths as the runtime, with the same scores, tags and outbox', async () => {
    const runtime = await throughRuntime(database);
    const byHand = await throughBaseline(baseline);
    for (const id of leads) expect({ id, ...byHand.get(id) }).toEqual({ id, ...runtime.get(id) });

    // The leads cover the scenario's paths: both split variants, the opened mail, the hand-off.
    const paths = [...runtime.values()].map((o) => o.path.map(([node, output]) => `${node}:${output}`));
    expect(paths.some((p) => p.includes('sp:a'))).toBe(true);
    expect(paths.some((p) => p.includes('sp:b'))).toBe(true);
    expect(runtime.get(opener)?.path).toContainEqual(['we', 'event', 'm3']);
    expect(runtime.get(hot)).toMatchObject({ node: 'h1', status: 'waiting', score: 53 });
    expect(runtime.get('lead-1')).toMatchObject({ node: 'g1', status: 'completed', score: 8, tags: ['nurtured'] });
  });
});
