import type { Rank, Scalar, Stage } from '@nurtureflow/scenario';
import type { LeadEvent, LeadView, Millis, ProductStanding } from '../types.ts';

/** An instant given as Tokyo wall-clock time: `jst('2026-04-06T09:00')`. */
export function jst(local: string): Millis {
  const full = local.length === 16 ? `${local}:00` : local;
  return Date.parse(`${full}+09:00`);
}

/** Shorthand for the test product line's standing, plus anything else of the lead. */
export interface LeadPatch extends Partial<Omit<LeadView, 'products'>> {
  /** The product line the shorthand fields apply to (default `crm`, the builder's). */
  productLine?: string;
  score?: number;
  rank?: Rank | null;
  stage?: Stage;
  hot?: boolean;
  unsubscribed?: boolean;
  products?: Record<string, Partial<ProductStanding>>;
}

/** A lead for a test: `aLead({ score: 55, rank: 'B' })`. */
export function aLead(patch: LeadPatch = {}): LeadView {
  const { productLine = 'crm', score, rank, stage, hot, unsubscribed, products = {}, ...rest } = patch;
  const full: Record<string, ProductStanding> = {};
  const mine: Partial<ProductStanding> = {
    ...(score !== undefined ? { score } : {}),
    ...(rank !== undefined ? { rank } : {}),
    ...(stage !== undefined ? { stage } : {}),
    ...(hot !== undefined ? { hot } : {}),
    ...(unsubscribed !== undefined ? { unsubscribed } : {}),
  };
  const lines = { ...products, ...(Object.keys(mine).length > 0 ? { [productLine]: { ...products[productLine], ...mine } } : {}) };
  for (const [line, s] of Object.entries(lines)) {
    full[line] = { score: 0, rank: null, stage: 'prospect', hot: false, unsubscribed: false, ...s };
  }
  return {
    id: 'lead-1',
    attributes: {},
    tags: [],
    unsubscribedAll: false,
    recentEvents: [],
    messages: [],
    ...rest,
    products: full,
  };
}

let eventCounter = 0;

/** An event of the lead: `anEvent('email_opened', jst('2026-04-07T10:00'), { data: { template: 'welcome' } })`. */
export function anEvent(kind: string, at: Millis, patch: Partial<Omit<LeadEvent, 'kind' | 'at'>> & { data?: Record<string, Scalar> } = {}): LeadEvent {
  return { id: patch.id ?? `ev-${++eventCounter}`, kind, at, productLine: null, data: {}, ...patch };
}
