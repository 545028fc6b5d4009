import { outputsOf, type GraphNode, type NodeKind, type OutputSpec } from '@nurtureflow/scenario';
import type { NodeData } from './types.ts';

/**
 * The outputs a node offers (the format's `outputsOf`), for data that may be half filled in while
 * the marketer edits: a node whose configuration cannot say yet offers none.
 */
export function nodeOutputs(kind: NodeKind, data: NodeData): OutputSpec[] {
  try {
    return outputsOf({ ...data, kind, outputs: {} } as unknown as GraphNode).filter((o) => typeof o.name === 'string' && o.name !== '');
  } catch {
    return [];
  }
}

/** Kinds whose output names are the marketer's own (case and variant ids), not fixed words. */
export function hasNamedOutputs(kind: NodeKind): boolean {
  return kind === 'branch' || kind === 'split';
}
