import type { LeadChange } from '@nurtureflow/scenario';
import { own } from './field-test.ts';
import type { LeadView, Millis, ProductStanding } from './types.ts';

/** A product line the lead has no standing in reads as score 0, prospect. */
export const NO_STANDING: ProductStanding = Object.freeze({ score: 0, rank: null, stage: 'prospect', hot: false, unsubscribed: false });

/** The lead's standing in a product line, or the empty one. */
export function standingOf(lead: LeadView, productLine: string): ProductStanding {
  return own(lead.products, productLine) ?? NO_STANDING;
}

/** A lead view the engine may change: a shallow copy, taken once per advance and only when a node changes the lead. */
export type WorkingLead = { -readonly [K in keyof LeadView]: LeadView[K] };

/** Copy of the lead, its nested collections still shared (each change replaces the one it touches). */
export function copyLead(lead: LeadView): WorkingLead {
  // Written out rather than spread: this runs on every advance that changes the lead.
  return {
    id: lead.id,
    attributes: lead.attributes,
    tags: lead.tags,
    products: lead.products,
    unsubscribedAll: lead.unsubscribedAll,
    recentEvents: lead.recentEvents,
    messages: lead.messages,
  };
}

/** Replace one product line's standing. */
export function setStanding(lead: WorkingLead, productLine: string, patch: Partial<ProductStanding>): void {
  const was = standingOf(lead, productLine);
  const next: ProductStanding = {
    score: patch.score ?? was.score,
    rank: patch.rank === undefined ? was.rank : patch.rank,
    stage: patch.stage ?? was.stage,
    hot: patch.hot ?? was.hot,
    unsubscribed: patch.unsubscribed ?? was.unsubscribed,
  };
  lead.products = withStanding(lead.products, productLine, next);
}

/**
 * The products record with one product line's standing replaced. Built key by key rather than by
 * a spread with a computed key, so every record of the same product lines has one shape and the
 * lookups of the hot path stay monomorphic.
 */
export function withStanding(products: LeadView['products'], productLine: string, standing: ProductStanding): Record<string, ProductStanding> {
  const out: Record<string, ProductStanding> = {};
  for (const pl in products) out[pl] = products[pl]!;
  out[productLine] = standing;
  return out;
}

/** Record a message sent now, so later mails in the same advance count it toward the caps. */
export function addMessage(lead: WorkingLead, at: Millis, productLine: string): void {
  // Copied into a list of the exact size (a spread or a push leaves room to grow that is never used).
  const prev = lead.messages;
  const n = prev.length;
  const messages = new Array<{ at: Millis; productLine: string }>(n + 1);
  for (let i = 0; i < n; i++) messages[i] = prev[i]!;
  messages[n] = { at, productLine };
  lead.messages = messages;
}

/** Apply an update node's changes; rank and stage are the scenario's product line's. */
export function applyChanges(lead: WorkingLead, productLine: string, changes: readonly LeadChange[]): void {
  for (const c of changes) {
    switch (c.op) {
      case 'setAttribute':
        lead.attributes = { ...lead.attributes, [c.key]: c.value };
        break;
      case 'unsetAttribute':
        if (Object.hasOwn(lead.attributes, c.key)) {
          const { [c.key]: _gone, ...rest } = lead.attributes;
          lead.attributes = rest;
        }
        break;
      case 'setRank':
        setStanding(lead, productLine, { rank: c.rank });
        break;
      case 'setStage':
        setStanding(lead, productLine, { stage: c.stage });
        break;
      case 'addTag':
        if (!lead.tags.includes(c.tag)) {
          const tags = lead.tags.slice();
          tags.push(c.tag);
          lead.tags = tags;
        }
        break;
      case 'removeTag':
        if (lead.tags.includes(c.tag)) lead.tags = lead.tags.filter((t) => t !== c.tag);
        break;
    }
  }
}
