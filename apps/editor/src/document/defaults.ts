import { NODE_KINDS, type NodeKind } from '@nurtureflow/scenario';
import type { NodeData } from './types.ts';

/** The palette's groups in the order a journey reads, each with its kinds. */
export const PALETTE_GROUPS = ['triggers', 'messages', 'sales', 'timing', 'logic', 'data', 'end'] as const;
export type PaletteGroup = (typeof PALETTE_GROUPS)[number];

/** Every node kind of a palette group, in the format's registry order. */
export function kindsOf(group: PaletteGroup): NodeKind[] {
  return (Object.keys(NODE_KINDS) as NodeKind[]).filter((k) => NODE_KINDS[k].group === group);
}

/**
 * What a node dropped from the palette starts with: the common case filled in (wait 3 business
 * days, an even A/B split, three call attempts) and what only the marketer can say left empty, so
 * validation asks for it (an e-mail's template, a webhook's URL).
 */
export function defaultData(kind: NodeKind): NodeData {
  switch (kind) {
    case 'trigger':
      return { trigger: { type: 'event', event: 'form_submitted', filters: [] } };
    case 'email':
      return { template: '', onCap: 'defer', respectQuietHours: true };
    case 'directMail':
      return { medium: 'mail', template: '', landingUrl: '' };
    case 'webhook':
      return { url: '', payload: {}, channel: 'webhook' };
    case 'callTask':
      return { script: '', dueIn: { amount: 2, unit: 'businessDays' }, maxAttempts: 3, retryInterval: { amount: 1, unit: 'businessDays' } };
    case 'handoff':
      return { to: 'sales', reason: '' };
    case 'wait':
      return { wait: { mode: 'for', duration: { amount: 3, unit: 'businessDays' } } };
    case 'waitForEvent':
      return { event: 'email_opened', filters: [], sameScenario: false, timeout: { amount: 3, unit: 'days' } };
    case 'branch':
      return { cases: [{ id: 'hot', label: '', condition: { type: 'score', op: 'gte', value: 50 } }] };
    case 'split':
      return {
        variants: [
          { id: 'A', label: '', weight: 50, holdout: false },
          { id: 'B', label: '', weight: 50, holdout: false },
        ],
      };
    case 'score':
      return { points: 10, reason: '' };
    case 'update':
      return { changes: [{ op: 'addTag', tag: 'nurtured' }] };
    case 'move':
      return { scenarioId: '', exitCurrent: true };
    case 'goal':
      return { goal: 'conversion' };
    case 'exit':
      return { reason: '' };
  }
}

/** A node id for a new node of a kind, not yet used: `email-1`, `email-2`… */
export function newNodeId(kind: NodeKind, taken: ReadonlySet<string>): string {
  for (let i = 1; ; i++) {
    const id = `${kind}-${i}`;
    if (!taken.has(id)) return id;
  }
}
