// Small pieces of a lead's world: which trigger a lead is enrolled by, when an effect happened,
// and how much of a lead's past its view keeps.
import { matchTriggers, type AdvanceResult, type LeadView } from '@nurtureflow/engine';
import type { Graph } from '@nurtureflow/scenario';
import { viewWith } from './lead-view.ts';
import type { World } from './prepare.ts';

/** The trigger a lead enters by when enrolled by hand, by import or by a move: import, else manual, else the first. */
export function entryTrigger(graph: Graph, lead: LeadView): string | undefined {
  return matchTriggers(graph, { type: 'import' }, lead)[0] ?? matchTriggers(graph, { type: 'manual' }, lead)[0] ?? Object.keys(graph.nodes).find((id) => graph.nodes[id]!.kind === 'trigger');
}

/**
 * The time of the history row an effect belongs to: its key is `${enrollment}:${row seq}:${n}`,
 * the row being the one written right after the effect was emitted.
 */
export function effectTime(r: AdvanceResult, key: string): number {
  // Keys start with the enrollment id and a colon; the row's seq follows.
  // Read as digits in place: this runs for every effect of a run.
  let seq = 0;
  for (let i = r.state.id.length + 1; i < key.length; i++) {
    const digit = key.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) break;
    seq = seq * 10 + digit;
  }
  const trace = r.trace;
  const first = trace[0];
  if (first !== undefined) {
    const row = trace[seq - first.seq];
    if (row !== undefined && row.seq === seq) return row.at;
  }
  return r.state.nodeEnteredAt;
}

const WEEK = 7 * 86_400_000;
const EMPTY: readonly never[] = Object.freeze([]);

/** Keeps only the past the graphs can look at, so a long run's lead views do not grow. */
export function trim(world: World, lead: LeadView, now: number): LeadView {
  const messages = lead.messages;
  if (messages.length === 0) return lead;
  if (!world.keepsMessages) return viewWith(lead, lead.products, lead.unsubscribedAll, lead.recentEvents, EMPTY);
  const from = now - WEEK;
  if (messages[0]!.at > from) return lead;
  // Oldest first, so what stays is a tail; a list out of order is filtered instead.
  let keep = 1;
  while (keep < messages.length && messages[keep]!.at <= from) keep++;
  for (let i = keep + 1; i < messages.length; i++) {
    if (messages[i]!.at <= from) return viewWith(lead, lead.products, lead.unsubscribedAll, lead.recentEvents, messages.filter((m) => m.at > from));
  }
  return viewWith(lead, lead.products, lead.unsubscribedAll, lead.recentEvents, messages.slice(keep));
}
