// How leads come in under personas: through the entry scenario's trigger, at a time spread over
// the first days — enrolled for an import or manual trigger, doing the event for an event
// trigger, looked at for a segment, score or rank trigger. Schedule triggers run at each of their
// times for every lead.
import { nextScheduleAt } from '@nurtureflow/engine';
import type { FieldTest, Graph, TriggerSource } from '@nurtureflow/scenario';
import type { Arrival } from '../schemas.ts';
import type { Entry, Item } from '../world/queue.ts';
import type { World } from '../world/prepare.ts';
import { SimulationInputError } from './timeline.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** What a lead's arrival is, or null when the entry trigger is a schedule (leads come in at its times). */
export function arrivalItem(world: World, arrival: Arrival): Item | null {
  const graph: Graph | undefined = arrival.scenarioId === undefined ? world.graphs[0] : world.byScenario.get(arrival.scenarioId);
  if (graph === undefined) throw new SimulationInputError([{ path: 'behaviour.arrival.scenarioId', message: `no scenario "${arrival.scenarioId}" in this run` }]);
  const triggers = Object.keys(graph.nodes).filter((id) => graph.nodes[id]!.kind === 'trigger');
  const id = arrival.trigger ?? triggers[0];
  const node = id === undefined ? undefined : graph.nodes[id];
  if (id === undefined || node === undefined || node.kind !== 'trigger') {
    throw new SimulationInputError([{ path: 'behaviour.arrival.trigger', message: `scenario "${graph.scenarioId}" has no trigger node "${id ?? ''}"` }]);
  }
  const source: TriggerSource = node.trigger;
  switch (source.type) {
    case 'import':
    case 'manual':
      return { type: 'enroll', scenarioId: graph.scenarioId, trigger: id };
    case 'event':
      return { type: 'event', kind: source.event, productLine: graph.productLine, scenarioId: null, nodeId: null, effectKey: null, data: dataPassing(source.filters) };
    case 'segment':
    case 'score':
    case 'rank':
      return { type: 'sweep', lead: true, schedule: null };
    case 'schedule':
      return null;
  }
}

/** When a lead arrives: a draw spread over the first `days`, to the minute. */
export function arrivalTime(start: number, arrival: Arrival, u: number): number {
  return start + Math.floor((u * arrival.days * DAY) / MINUTE) * MINUTE;
}

/** Event data that passes a trigger's simple filters (equal to, one of, present). */
function dataPassing(filters: readonly FieldTest[]): Record<string, string | number | boolean | null> {
  const data: Record<string, string | number | boolean | null> = {};
  for (const f of filters) {
    const v = f.value;
    if (f.op === 'eq' && !Array.isArray(v) && v !== undefined) data[f.field] = v;
    else if (f.op === 'in' && Array.isArray(v) && v.length > 0) data[f.field] = v[0]!;
    else if (f.op === 'exists') data[f.field] = true;
  }
  return data;
}

/** Every run of every schedule trigger between start and end, as inputs all leads share. */
export function scheduleEntries(world: World, start: number, end: number): Entry[] {
  const entries: Entry[] = [];
  for (const graph of world.graphs) {
    for (const [nodeId, node] of Object.entries(graph.nodes)) {
      if (node.kind !== 'trigger' || node.trigger.type !== 'schedule') continue;
      for (let at = nextScheduleAt(graph.settings, node.trigger, start - 1); at <= end; at = nextScheduleAt(graph.settings, node.trigger, at)) {
        entries.push({ at, seq: 0, item: { type: 'sweep', lead: false, schedule: { scenarioId: graph.scenarioId, nodeId } } });
      }
    }
  }
  entries.sort((a, b) => a.at - b.at);
  entries.forEach((e, i) => (e.seq = i));
  return entries;
}
