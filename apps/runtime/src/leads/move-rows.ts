// Re-points everything a merged lead owns to the lead it was merged into. The lead id is the first
// column of every hot table's key, so moving a row can collide with one the survivor already has:
// - events: the same client event id on both is the same event ingested twice; the survivor's row
//   is kept and the duplicate goes into the merge's snapshot;
// - lead_products: one standing per product line, folded by combineStanding;
// - enrollments: an id the survivor already uses is renamed `<id>~<merged lead id>`, and its
//   history, its outbox keys (`<id>:…`), its pending key and the events answering those keys follow;
// - outbox keys that still collide get `~<merged lead id>` appended;
// - sent e-mails and the local mailbox follow their outbox rows' keys, so the links in mail already
//   delivered (whose tokens name the merged lead) resolve to the survivor; a bounced address the
//   survivor already has on record keeps the survivor's record;
// - hand-off records and print jobs follow their outbox rows' keys (and a hand-off its enrollment's
//   id), so sales see the survivor and a print job's personal URL records on the survivor.
// Enrollments, their history and their outbox move in one statement, so no reader (and no foreign
// key, where one ties them) ever sees an enrollment apart from its history and effects.
import type { DB } from '@nurtureflow/db';
import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import { combineStanding, type ProductRow } from './products.ts';

/** One merged lead and the lead that survived it. */
export interface LeadMove {
  from: string;
  to: string;
}

/** What the merged leads had that is not carried over as is, for the merge snapshots. */
export interface MovedRows {
  /** Each merged lead's standings as they were before the merge. */
  products: Map<string, ProductRow[]>;
  /** Events dropped because the survivor already had the same client event id. */
  duplicateEvents: Map<string, Selectable<DB['events']>[]>;
}

/** Merges per statement, kept whole per survivor so collisions between merged leads are seen together. */
const MOVES_PER_STATEMENT = 500;

/** Moves the rows of each `from` lead to its `to` lead (events, standings, enrollments, history, outbox, sent mail, bounces, hand-offs, print jobs). */
export async function moveLeadRows(tx: Kysely<DB>, moves: readonly LeadMove[]): Promise<MovedRows> {
  const moved: MovedRows = { products: new Map(), duplicateEvents: new Map() };
  for (const part of bySurvivor(moves)) {
    await moveProducts(tx, part, moved);
    const renames = await enrollmentRenames(tx, part);
    const keyRenames = await outboxKeyRenames(tx, part, renames);
    await moveEvents(tx, part, keyRenames, moved);
    await moveEnrollments(tx, part, renames, keyRenames);
    await moveMail(tx, part, keyRenames);
    await moveSalesRows(tx, part, renames, keyRenames);
    // Older merges into a lead merged now point straight at the survivor: chains stay one hop long.
    await sql`with m(f, t) as (values ${pairs(part)}) update leads set merged_into = m.t from m where leads.merged_into = m.f`.execute(tx);
  }
  return moved;
}

function bySurvivor(moves: readonly LeadMove[]): LeadMove[][] {
  const groups = new Map<string, LeadMove[]>();
  for (const m of moves) groups.set(m.to, [...(groups.get(m.to) ?? []), m]);
  const out: LeadMove[][] = [];
  let current: LeadMove[] = [];
  for (const group of groups.values()) {
    if (current.length > 0 && current.length + group.length > MOVES_PER_STATEMENT) {
      out.push(current);
      current = [];
    }
    current.push(...group);
  }
  if (current.length > 0) out.push(current);
  return out;
}

function pairs(moves: readonly LeadMove[]): RawBuilder<unknown> {
  return sql.join(moves.map((m) => sql`(${m.from}::text, ${m.to}::text)`));
}

function involved(moves: readonly LeadMove[]): string[] {
  return [...new Set(moves.flatMap((m) => [m.from, m.to]))];
}

async function moveProducts(tx: Kysely<DB>, moves: readonly LeadMove[], moved: MovedRows): Promise<void> {
  const to = new Map(moves.map((m) => [m.from, m.to]));
  const rows = await tx.selectFrom('lead_products').selectAll().where('lead_id', 'in', involved(moves)).orderBy('lead_id').orderBy('product_line').execute();
  const standing = new Map<string, ProductRow>();
  for (const row of rows) if (!to.has(row.lead_id)) standing.set(`${row.lead_id}\u0000${row.product_line}`, row);
  const relocate: { from: string; productLine: string; to: string }[] = [];
  const drop: ProductRow[] = [];
  const combined = new Map<string, ProductRow>();
  for (const row of rows) {
    const target = to.get(row.lead_id);
    if (target === undefined) continue;
    moved.products.set(row.lead_id, [...(moved.products.get(row.lead_id) ?? []), row]);
    const key = `${target}\u0000${row.product_line}`;
    const existing = standing.get(key);
    if (existing === undefined) {
      relocate.push({ from: row.lead_id, productLine: row.product_line, to: target });
      standing.set(key, { ...row, lead_id: target });
    } else {
      const folded = combineStanding(existing, row);
      standing.set(key, folded);
      combined.set(key, folded);
      drop.push(row);
    }
  }
  for (const row of drop) {
    await tx.deleteFrom('lead_products').where('lead_id', '=', row.lead_id).where('product_line', '=', row.product_line).execute();
  }
  if (relocate.length > 0) {
    const values = sql.join(relocate.map((r) => sql`(${r.from}::text, ${r.productLine}::text, ${r.to}::text)`));
    await sql`update lead_products set lead_id = v.t from (values ${values}) as v(f, p, t) where lead_products.lead_id = v.f and lead_products.product_line = v.p`.execute(tx);
  }
  if (combined.size > 0) {
    await tx
      .insertInto('lead_products')
      .values(
        [...combined.values()].map((r) => ({
          lead_id: r.lead_id,
          product_line: r.product_line,
          score: r.score,
          rank: r.rank,
          stage: r.stage,
          hot: r.hot,
          unsubscribed: r.unsubscribed,
          last_activity_at: r.last_activity_at,
          hot_at: r.hot_at,
          daily: r.daily,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['lead_id', 'product_line']).doUpdateSet((eb) => ({
          score: eb.ref('excluded.score'),
          rank: eb.ref('excluded.rank'),
          stage: eb.ref('excluded.stage'),
          hot: eb.ref('excluded.hot'),
          unsubscribed: eb.ref('excluded.unsubscribed'),
          last_activity_at: eb.ref('excluded.last_activity_at'),
          hot_at: eb.ref('excluded.hot_at'),
          daily: eb.ref('excluded.daily'),
        })),
      )
      .execute();
  }
}

interface Rename {
  lead: string;
  from: string;
  to: string;
}

/** Enrollment ids of merged leads that the survivor (or another merged lead) already uses, with new ids. */
async function enrollmentRenames(tx: Kysely<DB>, moves: readonly LeadMove[]): Promise<Rename[]> {
  const to = new Map(moves.map((m) => [m.from, m.to]));
  const rows = await tx.selectFrom('enrollments').select(['lead_id', 'id']).where('lead_id', 'in', involved(moves)).orderBy('lead_id').orderBy('id').execute();
  const taken = new Map<string, Set<string>>();
  const use = (lead: string) => taken.get(lead) ?? taken.set(lead, new Set()).get(lead)!;
  for (const row of rows) if (!to.has(row.lead_id)) use(row.lead_id).add(row.id);
  const renames: Rename[] = [];
  for (const row of rows) {
    const target = to.get(row.lead_id);
    if (target === undefined) continue;
    const ids = use(target);
    let id = row.id;
    for (let n = 2; ids.has(id); n++) id = n === 2 ? `${row.id}~${row.lead_id}` : `${row.id}~${row.lead_id}~${n}`;
    ids.add(id);
    if (id !== row.id) renames.push({ lead: row.lead_id, from: row.id, to: id });
  }
  return renames;
}

/** New outbox keys: those of renamed enrollments follow the new id; other colliding keys get a suffix. */
async function outboxKeyRenames(tx: Kysely<DB>, moves: readonly LeadMove[], renames: readonly Rename[]): Promise<Rename[]> {
  const out: Rename[] = [];
  const renamed = new Set<string>();
  if (renames.length > 0) {
    const byEnrollment = new Map(renames.map((r) => [`${r.lead}\u0000${r.from}`, r]));
    const values = sql.join(renames.map((r) => sql`(${r.lead}::text, ${r.from}::text)`));
    const { rows } = await sql<{ lead_id: string; key: string; enrollment_id: string }>`
      select o.lead_id, o.key, o.enrollment_id from outbox o
      join (values ${values}) as v(l, e) on o.lead_id = v.l and o.enrollment_id = v.e`.execute(tx);
    for (const row of rows) {
      const r = byEnrollment.get(`${row.lead_id}\u0000${row.enrollment_id}`)!;
      const key = row.key.startsWith(`${r.from}:`) ? r.to + row.key.slice(r.from.length) : `${row.key}~${row.lead_id}`;
      out.push({ lead: row.lead_id, from: row.key, to: key });
      renamed.add(`${row.lead_id}\u0000${row.key}`);
    }
  }
  const collisions = await sql<{ lead_id: string; key: string }>`
    with m(f, t) as (values ${pairs(moves)})
    select x.lead_id, x.key from (
      select o.lead_id, o.key,
        row_number() over (partition by coalesce(m.t, o.lead_id), o.key order by (m.f is null) desc, o.lead_id) as n
      from outbox o left join m on m.f = o.lead_id
      where o.lead_id in (select f from m union select t from m)
    ) x where x.n > 1`.execute(tx);
  for (const row of collisions.rows) {
    if (!renamed.has(`${row.lead_id}\u0000${row.key}`)) out.push({ lead: row.lead_id, from: row.key, to: `${row.key}~${row.lead_id}` });
  }
  return out;
}

function renameTable(name: string, renames: readonly Rename[]): RawBuilder<unknown> {
  const body =
    renames.length === 0
      ? sql`select null::text, null::text, null::text where false`
      : sql`values ${sql.join(renames.map((r) => sql`(${r.lead}::text, ${r.from}::text, ${r.to}::text)`))}`;
  return sql`${sql.id(name)}(lead, src, dst) as (${body})`;
}

async function moveEvents(tx: Kysely<DB>, moves: readonly LeadMove[], keyRenames: readonly Rename[], moved: MovedRows): Promise<void> {
  if (keyRenames.length > 0) {
    await sql`with ${renameTable('k', keyRenames)}
      update events set effect_key = k.dst from k where events.lead_id = k.lead and events.effect_key = k.src`.execute(tx);
  }
  const dropped = await sql<Selectable<DB['events']>>`
    with m(f, t) as (values ${pairs(moves)})
    delete from events e using (
      select x.lead_id, x.id from (
        select ev.lead_id, ev.id,
          row_number() over (partition by coalesce(m.t, ev.lead_id), ev.id order by (m.f is null) desc, ev.received_at, ev.lead_id) as n
        from events ev left join m on m.f = ev.lead_id
        where ev.lead_id in (select f from m union select t from m)
      ) x where x.n > 1
    ) d
    where e.lead_id = d.lead_id and e.id = d.id
    returning e.*`.execute(tx);
  for (const row of dropped.rows) moved.duplicateEvents.set(row.lead_id, [...(moved.duplicateEvents.get(row.lead_id) ?? []), row]);
  await sql`with m(f, t) as (values ${pairs(moves)}) update events set lead_id = m.t from m where events.lead_id = m.f`.execute(tx);
}

async function moveEnrollments(tx: Kysely<DB>, moves: readonly LeadMove[], renames: readonly Rename[], keyRenames: readonly Rename[]): Promise<void> {
  // The enrollment id a row ends up with: renamed when it collided, unchanged otherwise.
  const newId = (alias: string, column: string) => {
    const id = sql.ref(`${alias}.${column}`);
    return sql`coalesce((select r.dst from r where r.lead = ${sql.ref(`${alias}.lead_id`)} and r.src = ${id}), ${id})`;
  };
  const pendingKey = sql`coalesce((select k.dst from k where k.lead = e.lead_id and k.src = e.state->>'pendingKey'), e.state->>'pendingKey')`;
  await sql`
    with m(f, t) as (values ${pairs(moves)}),
    ${renameTable('r', renames)},
    ${renameTable('k', keyRenames)},
    moved_history as (
      update enrollment_history h set lead_id = m.t, enrollment_id = ${newId('h', 'enrollment_id')}
      from m where h.lead_id = m.f
      returning 1
    ),
    moved_outbox as (
      update outbox o set lead_id = m.t, enrollment_id = ${newId('o', 'enrollment_id')},
        key = coalesce((select k.dst from k where k.lead = o.lead_id and k.src = o.key), o.key)
      from m where o.lead_id = m.f
      returning 1
    )
    update enrollments e set
      lead_id = m.t,
      id = ${newId('e', 'id')},
      state = case when e.state->>'pendingKey' is null
        then jsonb_set(jsonb_set(e.state, '{leadId}', to_jsonb(m.t)), '{id}', to_jsonb(${newId('e', 'id')}))
        else jsonb_set(jsonb_set(jsonb_set(e.state, '{leadId}', to_jsonb(m.t)), '{id}', to_jsonb(${newId('e', 'id')})), '{pendingKey}', to_jsonb(${pendingKey}))
      end
    from m where e.lead_id = m.f`.execute(tx);
}

async function moveMail(tx: Kysely<DB>, moves: readonly LeadMove[], keyRenames: readonly Rename[]): Promise<void> {
  for (const table of ['sent_emails', 'mailbox'] as const) {
    await sql`
      with m(f, t) as (values ${pairs(moves)}), ${renameTable('k', keyRenames)}
      update ${sql.table(table)} x set lead_id = m.t, key = coalesce((select k.dst from k where k.lead = x.lead_id and k.src = x.key), x.key)
      from m where x.lead_id = m.f`.execute(tx);
  }
  await sql`
    with m(f, t) as (values ${pairs(moves)})
    delete from bounced_addresses b using (
      select x.lead_id, x.email_norm from (
        select ba.lead_id, ba.email_norm,
          row_number() over (partition by coalesce(m.t, ba.lead_id), ba.email_norm order by (m.f is null) desc, ba.at desc, ba.lead_id) as n
        from bounced_addresses ba left join m on m.f = ba.lead_id
        where ba.lead_id in (select f from m union select t from m)
      ) x where x.n > 1
    ) d
    where b.lead_id = d.lead_id and b.email_norm = d.email_norm`.execute(tx);
  await sql`with m(f, t) as (values ${pairs(moves)}) update bounced_addresses set lead_id = m.t from m where bounced_addresses.lead_id = m.f`.execute(tx);
}

async function moveSalesRows(tx: Kysely<DB>, moves: readonly LeadMove[], renames: readonly Rename[], keyRenames: readonly Rename[]): Promise<void> {
  const key = sql`coalesce((select k.dst from k where k.lead = x.lead_id and k.src = x.key), x.key)`;
  await sql`
    with m(f, t) as (values ${pairs(moves)}), ${renameTable('r', renames)}, ${renameTable('k', keyRenames)}
    update handoffs x set lead_id = m.t, key = ${key},
      enrollment_id = coalesce((select r.dst from r where r.lead = x.lead_id and r.src = x.enrollment_id), x.enrollment_id)
    from m where x.lead_id = m.f`.execute(tx);
  await sql`
    with m(f, t) as (values ${pairs(moves)}), ${renameTable('k', keyRenames)}
    update print_jobs x set lead_id = m.t, key = ${key}
    from m where x.lead_id = m.f`.execute(tx);
}
