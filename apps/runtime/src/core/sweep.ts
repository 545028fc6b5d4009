import { matchTriggers, nextScheduleAt } from '@nurtureflow/engine';
import type { Runtime } from '../runtime.ts';
import { withRetry } from './bulk.ts';
import { noFollowUps } from './commit.ts';
import { enrollLeads, type EnrollRequest } from './enroll.ts';
import { settle } from './ingest.ts';
import { activeGraphs, needsOf, widest } from './graphs.ts';
import { loadLeadViews } from './lead-views.ts';
import { loadSettings } from './settings.ts';

const PAGE = 2000;

/**
 * Checks every lead against the active scenarios' segment, score and rank triggers (or one
 * scenario's), page by page, each page in its own transaction. Leads who match and may enter are
 * enrolled. Returns how many enrollments began.
 */
export async function sweepSegments(rt: Runtime, scenarioId?: string): Promise<number> {
  return sweep(rt, scenarioId, (g, view, now) => matchTriggers(g, { type: 'lead', now }, view));
}

/**
 * Runs the schedule triggers that are due: each (scenario, trigger) records its last run, so any
 * number of processes run each occurrence once; its audience is swept like a segment.
 */
export async function runSchedules(rt: Runtime): Promise<number> {
  const now = rt.clock.now();
  const graphs = await activeGraphs(rt.db, rt.productLines);
  let started = 0;
  for (const g of graphs) {
    for (const [nodeId, node] of Object.entries(g.nodes)) {
      if (node.kind !== 'trigger' || node.trigger.type !== 'schedule') continue;
      const source = node.trigger;
      const claimed = await rt.db.transaction().execute(async (trx) => {
        const last = await trx.selectFrom('schedule_runs').select('last_run_at').where('scenario_id', '=', g.scenarioId).where('node_id', '=', nodeId).forUpdate().executeTakeFirst();
        if (!last) {
          // First sight of this schedule: start counting from now, run at the next occurrence.
          await trx.insertInto('schedule_runs').values({ scenario_id: g.scenarioId, node_id: nodeId, last_run_at: new Date(now) }).onConflict((oc) => oc.doNothing()).execute();
          return false;
        }
        const due = nextScheduleAt(g.settings, source, last.last_run_at.getTime());
        if (due > now) return false;
        await trx.updateTable('schedule_runs').set({ last_run_at: new Date(now) }).where('scenario_id', '=', g.scenarioId).where('node_id', '=', nodeId).execute();
        return true;
      });
      if (claimed) started += await sweep(rt, g.scenarioId, (graph, view, at) => (graph === g ? matchTriggers(graph, { type: 'schedule', now: at }, view).filter((t) => t === nodeId) : []));
    }
  }
  return started;
}

async function sweep(
  rt: Runtime,
  scenarioId: string | undefined,
  fire: (graph: Awaited<ReturnType<typeof activeGraphs>>[number], view: Parameters<typeof matchTriggers>[2], now: number) => string[],
): Promise<number> {
  let after = '';
  let started = 0;
  for (;;) {
    const page = await rt.db.selectFrom('leads').select('id').where('merged_into', 'is', null).where('id', '>', after).orderBy('id').limit(PAGE).execute();
    if (page.length === 0) return started;
    after = page[page.length - 1]!.id;
    started += await withRetry(() =>
      rt.db.transaction().execute(async (trx) => {
        const now = rt.clock.now();
        const graphs = (await activeGraphs(trx, null)).filter((g) => scenarioId === undefined || g.scenarioId === scenarioId);
        if (graphs.length === 0) return 0;
        const settings = await loadSettings(trx);
        const views = await loadLeadViews(trx, page.map((p) => p.id), widest(graphs.map((g) => needsOf(g))), now);
        const requests: EnrollRequest[] = [];
        for (const view of views.values()) for (const g of graphs) for (const t of fire(g, view, now)) requests.push({ leadId: view.id, scenarioId: g.scenarioId, triggerNodeId: t, at: now });
        const follow = noFollowUps();
        const outcomes = await enrollLeads(trx, requests, settings, follow);
        await settle(trx, rt, settings, follow);
        return outcomes.filter((o) => o.enrolled).length;
      }),
    );
  }
}
