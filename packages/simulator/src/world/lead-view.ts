import { rankFor, type LeadView, type ProductStanding } from '@nurtureflow/engine';
import type { Scalar } from '@nurtureflow/scenario';
import type { SampleLead } from '../schemas.ts';
import type { World } from './prepare.ts';

const NO_EVENTS: LeadView['recentEvents'] = Object.freeze([]);
const NO_MESSAGES: LeadView['messages'] = Object.freeze([]);
const NO_TAGS: readonly string[] = Object.freeze([]);

/**
 * A lead view with its changing parts replaced. Written out as one literal in the order the
 * engine's own copies use, so every view shares one shape (a spread makes a new one each time and
 * turns the engine's lookups megamorphic).
 */
export function viewWith(
  lead: LeadView,
  products: LeadView['products'],
  unsubscribedAll: boolean,
  recentEvents: LeadView['recentEvents'],
  messages: LeadView['messages'],
): LeadView {
  return { id: lead.id, attributes: lead.attributes, tags: lead.tags, products, unsubscribedAll, recentEvents, messages };
}

/** A standing, in the field order the engine writes. */
export function standing(score: number, rank: ProductStanding['rank'], stage: ProductStanding['stage'], hot: boolean, unsubscribed: boolean): ProductStanding {
  return { score, rank, stage, hot, unsubscribed };
}

/**
 * The engine's view of a sample lead at the start: identity fields and attributes, and a standing
 * in every product line of the run (rank and hot from its score by that product line's rules).
 */
export function toLeadView(sample: SampleLead, world: World): LeadView {
  const products: Record<string, ProductStanding> = {};
  const lines = world.lines;
  const own = sample.products;
  for (let i = 0; i < lines.length; i++) {
    const { productLine: pl, settings: s } = lines[i]!;
    const p = own?.[pl];
    const score = p?.score ?? 0;
    products[pl] = standing(score, rankFor(s.scoring, score), p?.stage ?? 'prospect', score >= s.scoring.hotThreshold, p?.unsubscribed ?? false);
  }
  const attributes: Record<string, Scalar> = {};
  if (sample.email !== undefined) attributes['email'] = sample.email;
  if (sample.name !== undefined) attributes['name'] = sample.name;
  if (sample.company !== undefined) attributes['company'] = sample.company;
  if (sample.phone !== undefined) attributes['phone'] = sample.phone;
  if (sample.attributes !== undefined) Object.assign(attributes, sample.attributes);
  return {
    id: sample.id,
    attributes,
    tags: sample.tags ?? NO_TAGS,
    products,
    unsubscribedAll: sample.unsubscribedAll ?? false,
    recentEvents: NO_EVENTS,
    messages: NO_MESSAGES,
  };
}
