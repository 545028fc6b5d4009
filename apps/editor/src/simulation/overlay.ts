// What a simulation report looks like on the canvas: counts on each node, a stroke width per
// connection in proportion to the leads that took it, and a lead's path step by step. Plain
// functions over the simulator's report, tested in node.
import type { Kpis, LeadTrace, ScenarioReport, SimulationReport, TraceRow } from '@nurtureflow/simulator';

/** A node's counts: visits that reached it, enrollments there at the horizon, visits over. */
export interface NodeCounts {
  entered: number;
  there: number;
  exited: number;
}

/** A connection's flow: how many took it and how wide it is drawn. */
export interface EdgeFlow {
  count: number;
  width: number;
}

/** The report of one scenario as the canvas draws it. */
export interface CanvasOverlay {
  scenarioId: string;
  nodes: Record<string, NodeCounts>;
  /** By `flowKey(from, output)`: an output leads one way, so it names the connection. */
  flows: Record<string, EdgeFlow>;
  maxFlow: number;
}

/** Thinnest and widest stroke, in pixels, for a connection some lead took. */
export const MIN_WIDTH = 1.5;
export const MAX_WIDTH = 14;

/** The key of a connection: the node and the output it leaves by. */
export function flowKey(from: string, output: string | null | undefined): string {
  return `${from}\u0000${output ?? ''}`;
}

/** A stroke width in proportion to the flow: the busiest connection MAX_WIDTH, one lead about MIN_WIDTH, none 1. */
export function edgeWidth(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 1;
  return Math.round((MIN_WIDTH + ((MAX_WIDTH - MIN_WIDTH) * count) / max) * 100) / 100;
}

/** The scenario's part of a report: the one asked for, else the first (the entry scenario). */
export function scenarioOf(report: SimulationReport, scenarioId: string): ScenarioReport | undefined {
  return report.scenarios.find((s) => s.scenarioId === scenarioId) ?? report.scenarios[0];
}

/** The overlay of a report on the canvas of one scenario. */
export function overlayOf(report: SimulationReport, scenarioId: string): CanvasOverlay {
  const s = scenarioOf(report, scenarioId);
  const nodes: Record<string, NodeCounts> = {};
  const flows: Record<string, EdgeFlow> = {};
  if (!s) return { scenarioId, nodes, flows, maxFlow: 0 };
  for (const n of s.nodes) nodes[n.id] = { entered: n.entered, there: n.there, exited: n.exited };
  const connected = s.edges.filter((e) => e.to !== null);
  const maxFlow = connected.reduce((m, e) => Math.max(m, e.count), 0);
  for (const e of connected) {
    const key = flowKey(e.from, e.output);
    const count = (flows[key]?.count ?? 0) + e.count;
    flows[key] = { count, width: edgeWidth(count, maxFlow) };
  }
  return { scenarioId: s.scenarioId, nodes, flows, maxFlow };
}

/** One KPI of two runs: the values and the difference (b − a). */
export interface KpiDiff {
  key: KpiKey;
  a: number;
  b: number;
  diff: number;
  /** Rates are fractions (shown as percentage points); counts are counts. */
  rate: boolean;
}

/** The KPIs the panel shows and compares, in order. */
export const KPI_KEYS = ['sent', 'openRate', 'clickRate', 'hotLeads', 'handoffs', 'goals', 'conversionRate', 'unsubscribes', 'enrolledLeads'] as const;
export type KpiKey = (typeof KPI_KEYS)[number];

/** A KPI's value from a report's KPIs. */
export function kpiValue(k: Kpis, key: KpiKey): number {
  return key === 'handoffs' ? k.handoffs.sent : k[key];
}

const RATES = new Set<KpiKey>(['openRate', 'clickRate', 'conversionRate']);

/** Whether a KPI is a rate (a fraction) rather than a count. */
export function isRate(key: KpiKey): boolean {
  return RATES.has(key);
}

/** The KPIs of two runs side by side with their differences. */
export function kpiDiff(a: Kpis, b: Kpis): KpiDiff[] {
  return KPI_KEYS.map((key) => {
    const va = kpiValue(a, key);
    const vb = kpiValue(b, key);
    return { key, a: va, b: vb, diff: vb - va, rate: isRate(key) };
  });
}

/** One node of two runs: its counts in each (null where the node is not in that run's graph). */
export interface NodeDiff {
  id: string;
  a: NodeCounts | null;
  b: NodeCounts | null;
  /** Difference of `entered` (b − a); a missing node counts as 0. */
  diff: number;
}

/** Per-node counts of two runs, in the order of run A's nodes, then nodes only B has. */
export function nodeDiff(a: CanvasOverlay, b: CanvasOverlay): NodeDiff[] {
  const ids = [...Object.keys(a.nodes), ...Object.keys(b.nodes).filter((id) => !(id in a.nodes))];
  return ids.map((id) => {
    const na = a.nodes[id] ?? null;
    const nb = b.nodes[id] ?? null;
    return { id, a: na, b: nb, diff: (nb?.entered ?? 0) - (na?.entered ?? 0) };
  });
}

/** Where a replayed lead is after some rows of its trace, on one scenario's canvas. */
export interface ReplayFrame {
  /** The row shown now. */
  row: TraceRow;
  /** The node the lead is at (the last step's destination, or the node it stays at); null before it entered. */
  nodeId: string | null;
  /** Connections taken so far, by `flowKey`. */
  taken: Record<string, true>;
}

/**
 * The frames of a lead's replay, one per row of its trace (steps, effects, events, hot crossings),
 * each with the node it is at and the connections taken so far in the scenario shown.
 */
export function replayFrames(trace: LeadTrace, scenarioId: string): ReplayFrame[] {
  let nodeId: string | null = null;
  let taken: Record<string, true> = {};
  return trace.rows.map((row) => {
    if (row.type === 'step' && row.scenarioId === scenarioId) {
      if (row.to !== null && row.nodeId !== null && row.output !== null) {
        taken = { ...taken, [flowKey(row.nodeId, row.output)]: true };
        nodeId = row.to;
      } else {
        nodeId = row.nodeId;
      }
    }
    return { row, nodeId, taken };
  });
}

/** Bars of a histogram: the day leads became hot, grouped so that at most `maxBars` are drawn. */
export function hotBars(byDay: readonly number[], days: number, maxBars = 45): { from: number; to: number; count: number }[] {
  const span = Math.max(Math.ceil(Math.max(days, byDay.length)), 1);
  const width = Math.max(1, Math.ceil(span / maxBars));
  const bars: { from: number; to: number; count: number }[] = [];
  for (let from = 0; from < span; from += width) {
    let count = 0;
    for (let d = from; d < Math.min(from + width, span); d++) count += byDay[d] ?? 0;
    bars.push({ from, to: Math.min(from + width, span) - 1, count });
  }
  return bars;
}
