// Writing the audit log. Every entry is written with the db handle of the change it describes —
// inside that change's transaction — so a change that rolls back leaves no entry and one that
// commits always has its entry.
import type { DB, JsonObject } from '@nurtureflow/db';
import { sql, type Kysely } from 'kysely';
import type { AuditAction, AuditObjectKind } from './actions.ts';

/** One change: who did what to which object, and what changed. */
export interface AuditEntry {
  /** The product line the object belongs to; null for org-wide changes (people). */
  productLine: string | null;
  actor: string;
  action: AuditAction;
  objectKind: AuditObjectKind;
  objectId: string;
  at: Date;
  /** What changed, as plain JSON; never a secret's value. */
  details?: JsonObject;
}

/** The actor of a change made with no caller: scripts and the runtime itself (routes pass `input.auth.actor`). */
export const SYSTEM_ACTOR = 'system';

/**
 * Records one entry with `db` — pass the transaction that makes the change, so both commit or
 * neither does.
 */
export async function recordAudit(db: Kysely<DB>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      product_line: entry.productLine,
      actor: entry.actor,
      action: entry.action,
      object_kind: entry.objectKind,
      object_id: entry.objectId,
      at: entry.at,
      details: entry.details ?? {},
    })
    .execute();
}

/**
 * How long an actor's draft saves of one scenario keep going into the same entry. The editor saves
 * 0.7 s after each change, so an afternoon's editing would otherwise be thousands of entries; a
 * pause of this long starts a new one.
 */
export const DRAFT_COALESCE_MS = 5 * 60_000;

/**
 * Records a draft save: the actor's latest `scenario.draftChanged` entry for the scenario grows
 * (`saves`, `lastAt`) while its last save is less than DRAFT_COALESCE_MS ago; otherwise a new entry
 * starts. Its `at` stays the first save's, so the list's order does not move under a reader.
 * Callers hold the scenario's row lock (the draft update takes it), so two saves of one scenario
 * never race to start two entries.
 */
export async function recordDraftSave(db: Kysely<DB>, entry: Omit<AuditEntry, 'action' | 'objectKind' | 'details'>): Promise<void> {
  const since = new Date(entry.at.getTime() - DRAFT_COALESCE_MS);
  const latest = await db
    .selectFrom('audit_log')
    .select(['id', 'details'])
    .where('object_kind', '=', 'scenario')
    .where('object_id', '=', entry.objectId)
    .where('action', '=', 'scenario.draftChanged')
    .where('actor', '=', entry.actor)
    .where('at', '>=', new Date(entry.at.getTime() - 24 * 3_600_000))
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const lastAt = typeof latest?.details['lastAt'] === 'string' ? Date.parse(latest.details['lastAt']) : Number.NaN;
  if (latest && lastAt >= since.getTime()) {
    await db
      .updateTable('audit_log')
      .set({
        details: sql`details || jsonb_build_object('saves', coalesce((details->>'saves')::int, 1) + 1, 'lastAt', ${entry.at.toISOString()}::text)`,
      })
      .where('id', '=', latest.id)
      .execute();
    return;
  }
  await recordAudit(db, {
    ...entry,
    action: 'scenario.draftChanged',
    objectKind: 'scenario',
    details: { saves: 1, lastAt: entry.at.toISOString() },
  });
}
