// A run split by leads into shares that separate threads (worker threads in Node, web workers in
// the browser) can take: leads never affect one another and each has its own random stream, so the
// shares' partial reports, absorbed in order, make the report a single run gives.
import type { SimulationInput } from '../simulate.ts';

/** The input of each of `n` shares of a run: contiguous ranges of the leads, with their steps and traces. */
export function splitInput(input: SimulationInput, n: number): SimulationInput[] {
  const leads = input.leads;
  const parts = Math.max(1, Math.min(Math.floor(n), leads.length));
  const shares: SimulationInput[] = [];
  for (let i = 0; i < parts; i++) {
    const slice = leads.slice(Math.floor((i * leads.length) / parts), Math.floor(((i + 1) * leads.length) / parts));
    const ids = new Set(slice.map((l) => l.id));
    const behaviour = input.behaviour;
    const { onProgress: _progress, ...rest } = input;
    shares.push({
      ...rest,
      leads: slice,
      trace: (input.trace ?? []).filter((id) => ids.has(id)),
      behaviour:
        'timeline' in behaviour
          ? { timeline: behaviour.timeline.filter((s) => !('lead' in s) || s.lead === undefined || ids.has(s.lead)) }
          : 'timelines' in behaviour
            ? { timelines: Object.fromEntries(Object.entries(behaviour.timelines).filter(([id]) => ids.has(id))) }
            : behaviour,
    });
  }
  return shares;
}
