// Probabilistic behaviour: each lead is one persona, drawn from those that fit it (by rank,
// industry, company size), and reacts to what the scenario does as the persona says — a mail may
// be opened after a while, an open may lead to a click, a click to a download or a seminar; a
// call task is answered with an outcome; sales accept or return a hand-off. Draws come from the
// lead's own seeded stream, a fixed number per thing the scenario does, so two drafts run with the
// same seed meet the same leads making the same choices wherever the drafts agree.
import type { AdvanceResult, LeadView } from '@nurtureflow/engine';
import { personaSchema, type CompanySize, type Persona, type PersonaInput, type SampleLead } from '../schemas.ts';
import { exponential, type Random } from '../random.ts';
import type { Enrollment, LeadWorld, Observer } from '../world/lead-world.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NO_DATA: Readonly<Record<string, never>> = Object.freeze({});

/** Three kinds of lead most B2B lists hold, when the caller names none. */
export const DEFAULT_PERSONAS: readonly PersonaInput[] = [
  {
    id: 'engaged',
    name: '関心が高い / Engaged',
    share: 2,
    open: 0.45,
    click: 0.12,
    download: 0.4,
    seminar: 0.12,
    visit: 0.12,
    unsubscribe: 0.001,
    callConnected: 0.55,
    appointment: 0.35,
    refused: 0.05,
    handoffAccepted: 0.8,
    delays: { openHours: 3 },
  },
  { id: 'average', name: '標準 / Average', share: 5 },
  {
    id: 'cold',
    name: '反応が薄い / Cold',
    share: 3,
    open: 0.08,
    click: 0.005,
    download: 0.1,
    seminar: 0.01,
    visit: 0.01,
    unsubscribe: 0.01,
    callConnected: 0.25,
    appointment: 0.05,
    refused: 0.25,
    handoffAccepted: 0.4,
    delays: { openHours: 24 },
  },
];

/** Personas with their defaults filled in; the defaults above when none are given. */
export function parsePersonas(inputs: readonly PersonaInput[] | undefined): Persona[] {
  const list = (inputs === undefined || inputs.length === 0 ? DEFAULT_PERSONAS : inputs).map((p) => personaSchema.parse(p));
  const seen = new Set<string>();
  for (const p of list) {
    if (seen.has(p.id)) throw new Error(`persona "${p.id}" is listed twice`);
    seen.add(p.id);
  }
  return list;
}

/** The size band of a company, from `attributes.employees` (a number) or a band named in `attributes.companySize`. */
export function companySizeOf(attributes: Readonly<Record<string, unknown>>): CompanySize | null {
  const named = attributes['companySize'] ?? attributes['size'];
  if (named === 'small' || named === 'medium' || named === 'large' || named === 'enterprise') return named;
  const raw = attributes['employees'];
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw.replace(/[,，]/g, '')) : NaN;
  if (!Number.isFinite(n)) return null;
  return n < 50 ? 'small' : n < 300 ? 'medium' : n < 1000 ? 'large' : 'enterprise';
}

function fold(text: string): string {
  return text.normalize('NFKC').trim().toLowerCase();
}

/** Whether a persona may describe this lead (its rank in the persona's product line, industry, size). */
export function personaFits(p: Persona, lead: LeadView, productLine: string): boolean {
  const when = p.when;
  if (when === undefined) return true;
  if (when.ranks !== undefined) {
    const rank = lead.products[when.productLine ?? productLine]?.rank ?? null;
    if (rank === null || !when.ranks.includes(rank)) return false;
  }
  if (when.industries !== undefined) {
    const industry = lead.attributes['industry'];
    if (typeof industry !== 'string' || !when.industries.some((i) => fold(i) === fold(industry))) return false;
  }
  if (when.sizes !== undefined) {
    const size = companySizeOf(lead.attributes);
    if (size === null || !when.sizes.includes(size)) return false;
  }
  return true;
}

/**
 * Draws a lead's persona: the one it is pinned to, else one of those that fit it weighted by
 * share; a lead no persona with a `when` fits takes one of those without, or of all.
 */
export function drawPersona(personas: readonly Persona[], sample: SampleLead, lead: LeadView, productLine: string, random: Random): Persona {
  const u = random.next();
  if (sample.persona !== undefined) {
    const pinned = personas.find((p) => p.id === sample.persona);
    if (pinned !== undefined) return pinned;
  }
  let pool = personas.every((p) => p.when === undefined && p.share > 0) ? personas : personas.filter((p) => p.share > 0 && personaFits(p, lead, productLine));
  if (pool.length === 0) pool = personas.filter((p) => p.share > 0 && p.when === undefined);
  if (pool.length === 0) pool = personas;
  const total = pool.reduce((s, p) => s + p.share, 0);
  if (total <= 0) return pool[0]!;
  let x = u * total;
  for (const p of pool) {
    x -= p.share;
    if (x < 0) return p;
  }
  return pool[pool.length - 1]!;
}

/** Reacts to a lead's effects as its persona would, by scheduling the lead's next inputs. */
export class PersonaBehaviour implements Observer {
  persona!: Persona;
  random!: Random;
  /** Whether the persona looked at last has per-template overrides (most have none). */
  private templatesOf: Persona | null = null;
  private templated = false;

  private hasTemplates(p: Persona): boolean {
    if (p !== this.templatesOf) {
      this.templatesOf = p;
      this.templated = false;
      for (const _ in p.templates) {
        this.templated = true;
        break;
      }
    }
    return this.templated;
  }

  advanced(world: LeadWorld, e: Enrollment, r: AdvanceResult): void {
    const p = this.persona;
    const rnd = this.random;
    const effects = r.effects;
    for (let i = 0; i < effects.length; i++) {
      const f = effects[i]!;
      const t = world.effectTimes[i]!;
      switch (f.type) {
        case 'sendEmail': {
          const own = this.hasTemplates(p) && Object.hasOwn(p.templates, f.template) ? p.templates[f.template] : undefined;
          const open = own?.open ?? p.open;
          const click = Math.min(open, own?.click ?? p.click);
          const download = own?.download ?? p.download;
          const seminar = own?.seminar ?? p.seminar;
          const unsubscribe = own?.unsubscribe ?? p.unsubscribe;
          // A fixed number of draws per mail, whatever happens.
          const uOpen = rnd.next(), dOpen = rnd.next(), uClick = rnd.next(), dClick = rnd.next(), uDownload = rnd.next();
          const dDownload = rnd.next(), uSeminar = rnd.next(), dSeminar = rnd.next(), uUnsub = rnd.next();
          if (uOpen >= open) break;
          // Items written out (no spreads), so every scheduled event has one shape.
          const scenarioId = e.graph.scenarioId;
          const openedAt = t + Math.round(exponential(dOpen, p.delays.openHours * HOUR));
          world.schedule(openedAt, { type: 'event', kind: 'email_opened', productLine: f.productLine, scenarioId, nodeId: f.nodeId, effectKey: f.key, data: NO_DATA });
          if (open > 0 && uClick < click / open) {
            const clickedAt = openedAt + Math.round(exponential(dClick, p.delays.clickMinutes * MINUTE));
            world.schedule(clickedAt, { type: 'event', kind: 'link_clicked', productLine: f.productLine, scenarioId, nodeId: f.nodeId, effectKey: f.key, data: { link: 0 } });
            if (uDownload < download) {
              const at = clickedAt + Math.round(exponential(dDownload, p.delays.downloadMinutes * MINUTE));
              world.schedule(at, { type: 'event', kind: 'whitepaper_downloaded', productLine: f.productLine, scenarioId, nodeId: f.nodeId, effectKey: f.key, data: { template: f.template } });
            }
            if (uSeminar < seminar) {
              const at = clickedAt + Math.round(exponential(dSeminar, p.delays.seminarDays * DAY));
              world.schedule(at, { type: 'event', kind: 'seminar_attended', productLine: f.productLine, scenarioId, nodeId: f.nodeId, effectKey: f.key, data: { template: f.template } });
            }
          } else if (uUnsub < unsubscribe) {
            world.schedule(openedAt + MINUTE, { type: 'event', kind: 'unsubscribed', productLine: f.productLine, scenarioId, nodeId: f.nodeId, effectKey: f.key, data: NO_DATA });
          }
          break;
        }
        case 'printJob': {
          const u = rnd.next(), d = rnd.next();
          if (u < p.visit) {
            const at = t + Math.round(exponential(d, p.delays.visitDays * DAY));
            world.schedule(at, { type: 'event', kind: 'dm_url_visited', productLine: f.productLine, scenarioId: e.graph.scenarioId, nodeId: f.nodeId, effectKey: f.key, data: { code: f.trackingCode } });
          }
          break;
        }
        case 'createCallTask': {
          const uConnect = rnd.next(), uOutcome = rnd.next(), d = rnd.next();
          const outcome = uConnect >= p.callConnected ? 'noAnswer' : uOutcome < p.appointment ? 'appointment' : uOutcome < p.appointment + p.refused ? 'refused' : 'connected';
          const at = Math.max(f.dueAt, t) + Math.round(exponential(d, p.delays.callHours * HOUR));
          world.schedule(at, { type: 'answer', scenarioId: e.graph.scenarioId, kind: 'call_completed', outcome, key: f.key });
          break;
        }
        case 'handOff': {
          const u = rnd.next(), d = rnd.next();
          const at = t + Math.round(exponential(d, p.delays.handoffHours * HOUR));
          world.schedule(at, { type: 'answer', scenarioId: e.graph.scenarioId, kind: u < p.handoffAccepted ? 'handoff_accepted' : 'handoff_returned', outcome: null, key: f.key });
          break;
        }
        default:
          break;
      }
    }
  }
}

