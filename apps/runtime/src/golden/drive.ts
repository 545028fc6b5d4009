// Drives a golden fixture through the real runtime over HTTP on a clock the test moves: product
// lines, scenarios published, leads created, the timeline replayed as API calls, the worker run
// at every due time. The same fixture the engine and the simulator replay.
import type { GoldenFixture } from '@nurtureflow/engine/golden';
import { sql } from 'kysely';
import { stepDue } from '../core/worker.ts';
import type { TestRuntime } from '../testing.ts';

/** One enrollment as the runtime stored it: the same shape the engine replay reports. */
export interface DrivenRun {
  lead: string;
  scenarioId: string;
  path: string[];
  status: string;
  nodeId: string | null;
  effects: string[];
}

async function ok(t: TestRuntime, method: string, path: string, body?: unknown) {
  const r = await t.call(method, path, body);
  if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Runs the worker until nothing is due at the current time. */
export async function drain(t: TestRuntime): Promise<void> {
  while ((await stepDue(t.rt, 500)) > 0);
}

/** How a replay runs: what it does at every time step, and templates to create per product line. */
export interface DriveOptions {
  /** Run at every time step after the timeline's step (default: the worker until nothing is due). */
  drain?: (t: TestRuntime) => Promise<void>;
  templates?: Record<string, { subject: string; html: string; text?: string }>;
}

/** Replays the fixture through the runtime and reads back every enrollment. */
export async function driveFixture(t: TestRuntime, fixture: GoldenFixture, options: DriveOptions = {}): Promise<DrivenRun[]> {
  const settle = options.drain ?? drain;
  for (const p of fixture.productLines) {
    await ok(t, 'POST', '/product-lines', p);
    for (const [id, tpl] of Object.entries(options.templates ?? {})) await ok(t, 'POST', `/product-lines/${p.id}/templates`, { id, name: id, ...tpl });
  }
  for (const g of fixture.graphs) {
    await ok(t, 'POST', '/scenarios', { id: g.scenarioId, productLine: g.productLine, name: g.name, draft: g });
    await ok(t, 'POST', `/scenarios/${g.scenarioId}/publish`, { note: 'golden' });
  }
  for (const l of fixture.leads) {
    const products = Object.fromEntries(Object.entries(l.products ?? {}).flatMap(([pl, p]) => (p.stage ? [[pl, { stage: p.stage }]] : [])));
    await ok(t, 'POST', '/leads', { id: l.id, email: l.email, name: l.name, company: l.company, ...(Object.keys(products).length ? { products } : {}) });
    // Unsubscribes are what the lead said: they arrive as events, before the timeline starts.
    for (const [pl, p] of Object.entries(l.products ?? {})) {
      if (p.unsubscribed) await ok(t, 'POST', '/events', { id: `unsub-${pl}`, kind: 'unsubscribed', leadId: l.id, productLine: pl, at: new Date(t.clock.now()).toISOString() });
    }
    if (l.unsubscribedAll) await ok(t, 'POST', '/events', { id: 'unsub-all', kind: 'unsubscribed', leadId: l.id, at: new Date(t.clock.now()).toISOString() });
  }
  const until = Date.parse(fixture.until);
  let i = 0;
  let n = 0;
  for (;;) {
    const due = await sql<{ at: Date | null }>`select min(wake_at) as at from enrollments where status = 'waiting'`.execute(t.rt.db);
    const wake = due.rows[0]?.at?.getTime() ?? Infinity;
    const step = fixture.timeline[i];
    const next = step ? Date.parse(step.at) : Infinity;
    if (wake <= next && wake <= until) {
      t.clock.set(wake);
      await settle(t);
      continue;
    }
    if (!step || next > until) break;
    i++;
    t.clock.set(next);
    const at = new Date(next).toISOString();
    if ('sweep' in step) await ok(t, 'POST', '/triggers/sweep', {});
    else if ('enroll' in step) await ok(t, 'POST', '/enrollments', { scenarioId: step.enroll, leadIds: [step.lead] });
    else if ('event' in step) await ok(t, 'POST', '/events', { id: `ev-${n++}`, kind: step.event.kind, leadId: step.lead, at, productLine: step.event.productLine ?? null, scenarioId: step.event.scenarioId ?? null, data: step.event.data ?? {} });
    else if ('callOutcome' in step) {
      const tasks = await ok(t, 'GET', `/call-tasks?leadId=${step.lead}&scenarioId=${step.callOutcome.scenarioId}&status=pending`);
      const task = tasks.items[0];
      if (task) await ok(t, 'POST', `/call-tasks/${encodeURIComponent(task.key)}/complete`, { outcome: step.callOutcome.outcome });
    } else {
      const handoffs = await ok(t, 'GET', `/handoffs?leadId=${step.lead}&scenarioId=${step.handoff.scenarioId}&status=pending`);
      const h = handoffs.items[0];
      if (h) await ok(t, 'POST', `/handoffs/${encodeURIComponent(h.key)}/${step.handoff.answer === 'accepted' ? 'accept' : 'return'}`, {});
    }
    await settle(t);
  }
  return readRuns(t);
}

async function readRuns(t: TestRuntime): Promise<DrivenRun[]> {
  const rows = await t.rt.db.selectFrom('enrollments').select(['lead_id', 'id', 'scenario_id', 'status', 'node_id', 'created_at']).orderBy('created_at').orderBy('id').execute();
  const runs: DrivenRun[] = [];
  for (const r of rows) {
    const history = await t.rt.db.selectFrom('enrollment_history').selectAll().where('lead_id', '=', r.lead_id).where('enrollment_id', '=', r.id).orderBy('seq').execute();
    const path = history.length > 0 ? [history[0]!.node_id!] : [];
    for (const h of history) if (h.to_node !== null) path.push(h.to_node);
    const effects = await t.rt.db.selectFrom('outbox').select(['key', 'type', 'payload']).where('lead_id', '=', r.lead_id).where('enrollment_id', '=', r.id).execute();
    const order = (key: string) => key.split(':').slice(-2).map(Number) as [number, number];
    effects.sort((a, b) => {
      const [sa, ia] = order(a.key);
      const [sb, ib] = order(b.key);
      return sa - sb || ia - ib;
    });
    runs.push({ lead: r.lead_id, scenarioId: r.scenario_id, path, status: r.status, nodeId: r.node_id, effects: effects.map((e) => `${e.type}:${e.payload.nodeId ?? ''}`) });
  }
  return runs;
}
