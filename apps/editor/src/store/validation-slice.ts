import { compile } from '@nurtureflow/scenario';
import type { StateCreator } from 'zustand';
import { percentages } from '../document/summary.ts';
import { toEditorDocument, type FlowNode } from '../document/types.ts';
import type { EditorProblem, EditorState, ValidationSlice } from './types.ts';

/**
 * The editor's own rule on top of the format's: a split's weights are percentages that add up to
 * 100, so what the marketer reads on the canvas is what each variant gets.
 */
export function splitWeightProblems(nodes: readonly FlowNode[]): EditorProblem[] {
  const problems: EditorProblem[] = [];
  for (const n of nodes) {
    if (n.type !== 'split' || !Array.isArray(n.data['variants'])) continue;
    const weights = (n.data['variants'] as unknown[]).map((v) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)['weight'] : undefined));
    if (weights.length < 2 || !weights.every((w): w is number => typeof w === 'number' && Number.isFinite(w))) continue;
    const total = Math.round(weights.reduce((a, b) => a + b, 0) * 100) / 100;
    if (total === 100) continue;
    const shares = percentages(weights).join(' / ');
    problems.push({
      code: 'EDT001',
      severity: 'error',
      nodeId: n.id,
      field: 'variants',
      message: {
        en: `The weights of split "${n.id}" add up to ${total}%, not 100% (as drawn, the variants get ${shares}%). Make them add up to 100%.`,
        ja: `ランダム分岐「${n.id}」の比率の合計が${total}%です（このままでは ${shares}% の配分）。合計を100%にしてください。`,
      },
    });
  }
  return problems;
}

/** Live validation: compile the drawing with the format package and keep the problems by node. */
export const createValidationSlice: StateCreator<EditorState, [], [], ValidationSlice> = (set, get) => ({
  refs: {},
  problems: [],
  problemsByNode: {},
  errors: 0,
  warnings: 0,
  compiled: null,
  validated: -1,

  setRefs(refs) {
    set({ refs });
    get().revalidate();
  },

  revalidate() {
    const s = get();
    if (!s.meta) return;
    const { graph, problems: found } = compile(toEditorDocument({ meta: s.meta, nodes: s.nodes, edges: s.edges }), s.refs);
    const problems: EditorProblem[] = [...found, ...splitWeightProblems(s.nodes)];
    const problemsByNode: Record<string, EditorProblem[]> = {};
    for (const p of problems) if (p.nodeId !== null) (problemsByNode[p.nodeId] ??= []).push(p);
    const errors = problems.filter((p) => p.severity === 'error').length;
    set({ problems, problemsByNode, errors, warnings: problems.length - errors, compiled: graph, validated: s.structure });
  },
});
