// What a run needs besides the graph, from the runtime: every product line's settings (scoring,
// hot threshold, caps, quiet hours) and the published graphs of the scenarios the graph moves
// leads into, and theirs in turn — as the runtime's own simulate route gathers them.
import type { Graph, GraphInput } from '@nurtureflow/scenario';
import { api, type ScenarioSummary } from '../api/client.ts';
import type { RunTarget } from './settings.ts';

/** At most this many scenarios are followed through moves (as the runtime's route). */
const MAX_GRAPHS = 20;

/** Scenarios the graphs move leads into that are published and active, not already among `known`. */
function moveTargetsOf(graph: GraphInput | Graph, known: ReadonlySet<string>, scenarios: readonly ScenarioSummary[]): ScenarioSummary[] {
  const ids = new Set<string>();
  for (const node of Object.values(graph.nodes)) if (node.kind === 'move' && !known.has(node.scenarioId)) ids.add(node.scenarioId);
  return scenarios.filter((s) => ids.has(s.id) && s.status === 'active' && s.publishedVersion !== null);
}

/** The graphs a run of `graph` needs: itself first, then the published scenarios it moves leads into. */
export async function withMoveTargets(graph: GraphInput | Graph): Promise<(GraphInput | Graph)[]> {
  const out: (GraphInput | Graph)[] = [graph];
  if (!Object.values(graph.nodes).some((n) => n.kind === 'move')) return out;
  const scenarios = await api.scenarios();
  const seen = new Set([graph.scenarioId]);
  for (let i = 0; i < out.length && out.length < MAX_GRAPHS; i++) {
    for (const target of moveTargetsOf(out[i]!, seen, scenarios)) {
      seen.add(target.id);
      out.push((await api.version(target.id, target.publishedVersion!)).graph);
    }
  }
  return out;
}

/** A run target for `graph` with everything around it fetched from the runtime. */
export async function runTargetFor(label: string, graph: GraphInput | Graph): Promise<RunTarget> {
  const [productLines, graphs] = await Promise.all([api.productLines(), withMoveTargets(graph)]);
  return { label, graphs, productLines: Object.fromEntries(productLines.map((p) => [p.id, p.settings])) };
}
