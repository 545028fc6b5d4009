// Reading leads for the API: the search list, and one lead with its standings, enrollments,
// merge history and timeline. Merged ids read as their survivor; rows that still sit on a merged
// id (an event written while the merge committed) are read with the survivor's.
import type { DB, JsonObject } from '@nurtureflow/db';
import type { Kysely, Selectable } from 'kysely';
import type { LeadRow } from './lead-book.ts';
import { normalizeCompany, normalizeEmail, normalizeName } from './normalize.ts';
import { resolveLeadId } from './resolve.ts';

/** A lead as the API shows it in lists. */
export interface LeadSummary {
  id: string;
  email: string | null;
  name: string | null;
  company: string | null;
  phone: string | null;
  attributes: JsonObject;
  tags: string[];
  unsubscribedAll: boolean;
  createdAt: string;
  updatedAt: string;
}

/** One entry of a lead's timeline: something the lead did, or a step a scenario took with them. */
export type TimelineEntry =
  | { type: 'event'; at: string; id: string; kind: string; productLine: string | null; scenarioId: string | null; nodeId: string | null; data: JsonObject }
  | { type: 'step'; at: string; enrollmentId: string; scenarioId: string | null; seq: number; nodeId: string | null; output: string | null; toNode: string | null; reason: unknown };

/** A lead with everything the lead page shows. */
export interface LeadDetail extends LeadSummary {
  /** The id asked for when it was merged into this lead; null when asked for this lead. */
  mergedFrom: string | null;
  products: {
    productLine: string;
    score: number;
    rank: string | null;
    stage: string;
    hot: boolean;
    hotAt: string | null;
    unsubscribed: boolean;
    lastActivityAt: string | null;
  }[];
  enrollments: {
    id: string;
    scenarioId: string;
    version: number;
    productLine: string;
    status: string;
    nodeId: string | null;
    waitingUntil: string | null;
    waitingFor: string[] | null;
    enteredAt: string;
    updatedAt: string;
  }[];
  merges: { mergedLeadId: string; into: string; matchedBy: string; at: string; snapshot: JsonObject }[];
  /** Set while the lead's address is one that bounced for good: no product line mails it until the address changes. */
  emailBounced: { address: string; reason: string; source: string; at: string; productLine: string | null; outboxKey: string | null } | null;
  /** Newest first, at most the limit asked for. */
  timeline: TimelineEntry[];
  /** True when older entries were left out. */
  timelineTruncated: boolean;
}

/** A lead row as the API shows it. */
export function leadSummary(row: LeadRow): LeadSummary {
  const text = (key: string) => {
    const v = row.attributes[key];
    return typeof v === 'string' ? v : null;
  };
  return {
    id: row.id,
    email: row.email,
    name: text('name'),
    company: text('company'),
    phone: text('phone'),
    attributes: row.attributes,
    tags: row.tags,
    unsubscribedAll: row.unsubscribed_all,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/**
 * One lead by any id it ever had, with standings, enrollments, merges and the newest timeline
 * entries; null if unknown. With `productLines`, only those product lines' standings, enrollments,
 * steps and events are read (events for every product line belong to the person and stay).
 */
export async function getLead(db: Kysely<DB>, id: string, options: { timelineLimit: number; productLines?: readonly string[] | null | undefined }): Promise<LeadDetail | null> {
  const survivor = await resolveLeadId(db, id);
  if (survivor === null) return null;
  const row = await db.selectFrom('leads').selectAll().where('id', '=', survivor).executeTakeFirstOrThrow();
  const absorbed = await db.selectFrom('leads').select('id').where('merged_into', '=', survivor).execute();
  const ids = [survivor, ...absorbed.map((a) => a.id)];
  const limit = options.timelineLimit;
  const only = options.productLines ?? null;

  const [products, enrollments, merges, events, steps, bounced] = await Promise.all([
    db
      .selectFrom('lead_products')
      .selectAll()
      .where('lead_id', 'in', ids)
      .$if(only !== null, (q) => q.where('product_line', 'in', only!))
      .orderBy('product_line')
      .execute(),
    db
      .selectFrom('enrollments')
      .selectAll()
      .where('lead_id', 'in', ids)
      .$if(only !== null, (q) => q.where('product_line', 'in', only!))
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute(),
    db.selectFrom('lead_merges').selectAll().where('lead_id', 'in', ids).orderBy('at').orderBy('merged_lead_id').execute(),
    db
      .selectFrom('events')
      .selectAll()
      .where('lead_id', 'in', ids)
      .$if(only !== null, (q) => q.where((eb) => eb.or([eb('product_line', 'is', null), eb('product_line', 'in', only!)])))
      .orderBy('at', 'desc')
      .orderBy('seq', 'desc')
      .limit(limit + 1)
      .execute(),
    db
      .selectFrom('enrollment_history as h')
      .leftJoin('enrollments as e', (j) => j.onRef('e.lead_id', '=', 'h.lead_id').onRef('e.id', '=', 'h.enrollment_id'))
      .select(['h.enrollment_id', 'h.seq', 'h.at', 'h.node_id', 'h.output', 'h.to_node', 'h.reason', 'e.scenario_id'])
      .where('h.lead_id', 'in', ids)
      .$if(only !== null, (q) => q.where('e.product_line', 'in', only!))
      .orderBy('h.at', 'desc')
      .orderBy('h.seq', 'desc')
      .limit(limit + 1)
      .execute(),
    row.email_norm === null
      ? Promise.resolve(undefined)
      : db.selectFrom('bounced_addresses').selectAll().where('lead_id', '=', survivor).where('email_norm', '=', row.email_norm).executeTakeFirst(),
  ]);

  const timeline = [...steps.map(stepEntry), ...events.map(eventEntry)].sort(newestFirst);
  return {
    ...leadSummary(row),
    mergedFrom: survivor === id ? null : id,
    products: products.map((p) => ({
      productLine: p.product_line,
      score: p.score,
      rank: p.rank,
      stage: p.stage,
      hot: p.hot,
      hotAt: iso(p.hot_at),
      unsubscribed: p.unsubscribed,
      lastActivityAt: iso(p.last_activity_at),
    })),
    enrollments: enrollments.map((e) => ({
      id: e.id,
      scenarioId: e.scenario_id,
      version: e.version,
      productLine: e.product_line,
      status: e.status,
      nodeId: e.node_id,
      waitingUntil: iso(e.wake_at),
      waitingFor: e.wait_events,
      enteredAt: e.created_at.toISOString(),
      updatedAt: e.updated_at.toISOString(),
    })),
    merges: merges.map((m) => ({ mergedLeadId: m.merged_lead_id, into: m.lead_id, matchedBy: m.matched_by, at: m.at.toISOString(), snapshot: m.snapshot })),
    // The address is the person's; which product line's message bounced is told only to that product line.
    emailBounced: bounced
      ? only === null || bounced.product_line === null || only.includes(bounced.product_line)
        ? { address: row.email ?? bounced.email_norm, reason: bounced.reason, source: bounced.source, at: bounced.at.toISOString(), productLine: bounced.product_line, outboxKey: bounced.outbox_key }
        : { address: row.email ?? bounced.email_norm, reason: bounced.reason, source: bounced.source, at: bounced.at.toISOString(), productLine: null, outboxKey: null }
      : null,
    timeline: timeline.slice(0, limit),
    timelineTruncated: timeline.length > limit,
  };
}

function eventEntry(e: Selectable<DB['events']>): TimelineEntry {
  return { type: 'event', at: e.at.toISOString(), id: e.id, kind: e.kind, productLine: e.product_line, scenarioId: e.scenario_id, nodeId: e.node_id, data: e.data };
}

function stepEntry(h: { enrollment_id: string; seq: number; at: Date; node_id: string | null; output: string | null; to_node: string | null; reason: unknown; scenario_id: string | null }): TimelineEntry {
  return { type: 'step', at: h.at.toISOString(), enrollmentId: h.enrollment_id, scenarioId: h.scenario_id, seq: h.seq, nodeId: h.node_id, output: h.output, toNode: h.to_node, reason: h.reason };
}

/** Newest first; at the same instant a step comes before the event that caused it. */
function newestFirst(a: TimelineEntry, b: TimelineEntry): number {
  const steps = (e: TimelineEntry) => (e.type === 'step' ? 1 : 0);
  return a.at < b.at ? 1 : a.at > b.at ? -1 : steps(b) - steps(a);
}

/** What the lead list filters on. */
export interface LeadSearch {
  email?: string | undefined;
  q?: string | undefined;
  limit: number;
  /** From the previous page's `nextCursor`. */
  cursor?: { createdAt: Date; id: string } | undefined;
  /** Only leads with a standing or an enrollment on one of these product lines (all leads when absent). */
  productLines?: readonly string[] | null | undefined;
}

/**
 * Live leads, newest first: `email` matches the normalised address exactly; `q` finds a part of the
 * name, company, e-mail or phone, compared in their normalised forms (so 株式会社 and width do not matter).
 */
export async function searchLeads(db: Kysely<DB>, search: LeadSearch): Promise<{ leads: LeadSummary[]; nextCursor: string | null }> {
  let query = db.selectFrom('leads').selectAll().where('merged_into', 'is', null);
  if (search.email !== undefined) query = query.where('email_norm', '=', normalizeEmail(search.email) ?? '');
  if (search.q !== undefined) {
    const q = search.q;
    const contains = (v: string | null) => (v === null ? null : `%${v.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const name = contains(normalizeName(q));
    const company = contains(normalizeCompany(q));
    const email = contains(q.normalize('NFKC').toLowerCase().replace(/\s/g, '') || null);
    const digits = q.normalize('NFKC').replace(/\D/g, '');
    const phone = digits.length >= 4 ? contains(digits) : null;
    query = query.where((eb) =>
      eb.or([
        ...(name ? [eb('name_norm', 'like', name)] : []),
        ...(company ? [eb('company_norm', 'like', company)] : []),
        ...(email ? [eb('email_norm', 'like', email)] : []),
        ...(phone ? [eb('phone_norm', 'like', phone)] : []),
      ]),
    );
  }
  const only = search.productLines;
  if (only) {
    query = query.where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('lead_products as p').select('p.lead_id').whereRef('p.lead_id', '=', 'leads.id').where('p.product_line', 'in', only)),
        eb.exists(eb.selectFrom('enrollments as e').select('e.lead_id').whereRef('e.lead_id', '=', 'leads.id').where('e.product_line', 'in', only)),
      ]),
    );
  }
  if (search.cursor) {
    const { createdAt, id } = search.cursor;
    query = query.where((eb) => eb.or([eb('created_at', '<', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)])]));
  }
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(search.limit + 1).execute();
  const page = rows.slice(0, search.limit);
  const last = page.at(-1);
  return {
    leads: page.map(leadSummary),
    nextCursor: rows.length > search.limit && last ? encodeCursor(last.created_at, last.id) : null,
  };
}

/** An opaque list cursor for (created_at, id). */
export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
}

/** The (created_at, id) inside a list cursor, or null when it is not one. */
export function decodeCursor(cursor: string): { createdAt: Date; id: string } | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'string' || typeof value[1] !== 'string') return null;
    const createdAt = new Date(value[0]);
    return Number.isNaN(createdAt.getTime()) ? null : { createdAt, id: value[1] };
  } catch {
    return null;
  }
}
