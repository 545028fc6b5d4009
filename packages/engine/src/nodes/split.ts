import type { SplitNode } from '@nurtureflow/scenario';
import { splitBucket } from '../split-bucket.ts';
import type { NodeHandler } from './handler.ts';

interface Thresholds {
  ids: readonly string[];
  /** Cumulative share of each variant, the last one 1. */
  upTo: readonly number[];
}

/** Sends the lead to a variant by its stable bucket for (lead, scenario, node) and the variants' weights. */
export const split: NodeHandler<SplitNode> = {
  prepare(node): Thresholds {
    const total = node.variants.reduce((sum, v) => sum + v.weight, 0);
    let acc = 0;
    const upTo = node.variants.map((v, i) => {
      acc += total > 0 ? v.weight / total : i === 0 ? 1 : 0;
      // Rounding must not leave a sliver above the last weighted variant for a zero-weight one.
      return acc > 1 - 1e-9 ? 1 : acc;
    });
    return { ids: node.variants.map((v) => v.id), upTo };
  },
  arrive(run, p, at) {
    const { ids, upTo } = p.aux as Thresholds;
    const bucket = splitBucket(run.leadId, run.scenarioId, p.id);
    let i = 0;
    while (i < upTo.length - 1 && bucket >= upTo[i]!) i++;
    const variant = ids[i];
    if (variant === undefined) return run.take('default', { code: 'split', variant: '', bucket }, at);
    run.take(variant, { code: 'split', variant, bucket }, at);
  },
};
