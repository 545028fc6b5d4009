// 名寄せ in memory: the leads a batch can touch, indexed by their normalised keys, and the rule
// that decides which lead an input is and which others it proves to be the same person. The
// database is read once before and written once after, so a batch of thousands costs a handful of
// queries; inputs are applied in order, so row 9 sees the lead row 2 created.
import type { DB } from '@nurtureflow/db';
import type { Selectable } from 'kysely';
import { normalizeCompany, normalizeEmail, normalizeName, normalizePhone } from './normalize.ts';
import { blank, type LeadInput } from './schemas.ts';

/** A leads row as read. */
export type LeadRow = Selectable<DB['leads']>;

/** Which key found the lead: the client's id, then e-mail, then phone, then company + name. */
export type MatchKey = 'id' | 'email' | 'phone' | 'companyName';

/** An input with its normalised keys. */
export interface PreparedInput {
  input: LeadInput;
  id: string | null;
  emailNorm: string | null;
  phoneNorm: string | null;
  companyNorm: string | null;
  nameNorm: string | null;
}

/** A lead absorbed into another while applying one input. */
export interface MergeRecord {
  survivorId: string;
  mergedId: string;
  matchedBy: MatchKey;
  /** The merged lead as it was just before the merge. */
  snapshot: LeadRow;
  /** False for a lead created earlier in the same batch (it has no rows elsewhere yet). */
  existed: boolean;
}

/** What one input did. */
export interface Applied {
  leadId: string;
  created: boolean;
  matchedBy: MatchKey | null;
  merges: MergeRecord[];
}

interface Working {
  row: LeadRow;
  existed: boolean;
}

/** Normalises an input's identity fields once. */
export function prepareInput(input: LeadInput): PreparedInput {
  const companyNorm = normalizeCompany(input.company);
  const nameNorm = normalizeName(input.name);
  return {
    input,
    id: input.id ?? null,
    emailNorm: normalizeEmail(input.email),
    phoneNorm: normalizePhone(input.phone),
    // Company + name identify a person only together.
    companyNorm,
    nameNorm,
  };
}

/** The company + name key, or null when either half is missing. */
export function companyNameKey(companyNorm: string | null, nameNorm: string | null): string | null {
  return companyNorm !== null && nameNorm !== null ? `${companyNorm}\u0000${nameNorm}` : null;
}

/** Every key an input can match on, as strings, for locking. */
export function inputKeys(p: PreparedInput): string[] {
  const keys: string[] = [];
  if (p.id !== null) keys.push(`i:${p.id}`);
  if (p.emailNorm !== null) keys.push(`e:${p.emailNorm}`);
  if (p.phoneNorm !== null) keys.push(`p:${p.phoneNorm}`);
  const cn = companyNameKey(p.companyNorm, p.nameNorm);
  if (cn !== null) keys.push(`c:${cn}`);
  return keys;
}

/**
 * The leads of one batch. `rows` are the live leads that share a key with some input (and the
 * survivors of merged ids the inputs name); `aliases` maps merged ids to the lead they went into.
 */
export class LeadBook {
  private readonly leads = new Map<string, Working>();
  private readonly aliases: Map<string, string>;
  private readonly byEmail = new Map<string, Set<string>>();
  private readonly byPhone = new Map<string, Set<string>>();
  private readonly byCompanyName = new Map<string, Set<string>>();
  /** Ids of the leads created or changed, in the order they were first touched. */
  private readonly dirty = new Set<string>();

  constructor(rows: readonly LeadRow[], aliases: ReadonlyMap<string, string>) {
    this.aliases = new Map(aliases);
    for (const row of rows) {
      this.leads.set(row.id, { row: { ...row }, existed: true });
      this.index(row, 1);
    }
  }

  /** Applies one input: finds or creates its lead, absorbs the other leads it proves to be the same person. */
  apply(p: PreparedInput, now: Date, newId: () => string): Applied {
    const found = this.candidates(p);
    const primaryIndex = found.findIndex((f) => f.by === 'id' || f.by === 'email' || compatible(f.lead.row, p.emailNorm));
    if (primaryIndex < 0) {
      const id = p.id ?? this.freshId(newId);
      const row = emptyRow(id, now);
      this.leads.set(id, { row, existed: false });
      this.update(row, (r) => applyInput(r, p, now));
      return { leadId: id, created: true, matchedBy: null, merges: [] };
    }
    const primary = found[primaryIndex]!;
    const survivor = primary.lead.row;
    const identityEmail = p.emailNorm ?? survivor.email_norm;
    const merges: MergeRecord[] = [];
    for (const other of found) {
      if (other === primary || !compatible(other.lead.row, identityEmail)) continue;
      merges.push({ survivorId: survivor.id, mergedId: other.lead.row.id, matchedBy: other.by, snapshot: { ...other.lead.row }, existed: other.lead.existed });
      this.absorb(survivor, other.lead.row, now);
    }
    this.update(survivor, (r) => applyInput(r, p, now));
    return { leadId: survivor.id, created: false, matchedBy: primary.by, merges };
  }

  /** Every lead this batch created or changed, merged ones included (with merged_into set). */
  touched(): { row: LeadRow; existed: boolean }[] {
    return [...this.dirty].map((id) => this.leads.get(id)!);
  }

  /** Where an id ended up: itself, or the lead it was merged into (followed to the end). */
  survivorOf(id: string): string {
    let current = id;
    for (let i = 0; i < 64; i++) {
      const next = this.aliases.get(current) ?? this.leads.get(current)?.row.merged_into ?? null;
      if (next === null || next === current) return current;
      current = next;
    }
    return current;
  }

  private candidates(p: PreparedInput): { lead: Working; by: MatchKey }[] {
    const out: { lead: Working; by: MatchKey }[] = [];
    const seen = new Set<string>();
    const add = (ids: Iterable<string>, by: MatchKey) => {
      const leads = [...ids]
        .map((id) => this.leads.get(id))
        .filter((w): w is Working => w !== undefined && w.row.merged_into === null && !seen.has(w.row.id))
        .sort(olderFirst);
      for (const lead of leads) {
        seen.add(lead.row.id);
        out.push({ lead, by });
      }
    };
    if (p.id !== null) add([this.survivorOf(p.id)], 'id');
    if (p.emailNorm !== null) add(this.byEmail.get(p.emailNorm) ?? [], 'email');
    if (p.phoneNorm !== null) add(this.byPhone.get(p.phoneNorm) ?? [], 'phone');
    const cn = companyNameKey(p.companyNorm, p.nameNorm);
    if (cn !== null) add(this.byCompanyName.get(cn) ?? [], 'companyName');
    return out;
  }

  private absorb(survivor: LeadRow, merged: LeadRow, now: Date): void {
    this.update(merged, (m) => {
      m.merged_into = survivor.id;
      m.updated_at = now;
    });
    this.aliases.set(merged.id, survivor.id);
    this.update(survivor, (s) => {
      s.attributes = { ...merged.attributes, ...s.attributes };
      s.tags = union(s.tags, merged.tags);
      if (s.email_norm === null) {
        s.email = merged.email;
        s.email_norm = merged.email_norm;
      }
      s.phone_norm ??= merged.phone_norm;
      if (s.company_norm === null && s.name_norm === null) {
        s.company_norm = merged.company_norm;
        s.name_norm = merged.name_norm;
      }
      s.unsubscribed_all = s.unsubscribed_all || merged.unsubscribed_all;
      if (merged.created_at < s.created_at) s.created_at = merged.created_at;
      s.updated_at = now;
    });
  }

  /** Changes a row and keeps the key indexes right. */
  private update(row: LeadRow, change: (row: LeadRow) => void): void {
    this.dirty.add(row.id);
    this.index(row, -1);
    change(row);
    if (row.merged_into === null) this.index(row, 1);
  }

  private index(row: LeadRow, direction: 1 | -1): void {
    const put = (map: Map<string, Set<string>>, key: string | null) => {
      if (key === null) return;
      let ids = map.get(key);
      if (direction === 1) {
        if (!ids) map.set(key, (ids = new Set()));
        ids.add(row.id);
      } else ids?.delete(row.id);
    };
    put(this.byEmail, row.email_norm);
    put(this.byPhone, row.phone_norm);
    put(this.byCompanyName, companyNameKey(row.company_norm, row.name_norm));
  }

  private freshId(newId: () => string): string {
    for (;;) {
      const id = newId();
      if (!this.leads.has(id) && !this.aliases.has(id)) return id;
    }
  }
}

/**
 * A phone or company + name match is the same person only if the e-mail does not say otherwise:
 * colleagues share a switchboard number, and two 佐藤健 can work at one company.
 */
function compatible(row: LeadRow, email: string | null): boolean {
  return email === null || row.email_norm === null || row.email_norm === email;
}

function olderFirst(a: Working, b: Working): number {
  return a.row.created_at.getTime() - b.row.created_at.getTime() || (a.row.id < b.row.id ? -1 : a.row.id > b.row.id ? 1 : 0);
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

function emptyRow(id: string, now: Date): LeadRow {
  return {
    id,
    email: null,
    email_norm: null,
    phone_norm: null,
    company_norm: null,
    name_norm: null,
    attributes: {},
    tags: [],
    unsubscribed_all: false,
    merged_into: null,
    created_at: now,
    updated_at: now,
  };
}

/** Provided, non-empty fields win; attributes merge; tags add up; unsubscribing sticks. */
function applyInput(row: LeadRow, p: PreparedInput, now: Date): void {
  const { input } = p;
  const attributes = { ...row.attributes, ...input.attributes };
  if (p.emailNorm !== null && !blank(input.email)) {
    row.email = input.email!.trim();
    row.email_norm = p.emailNorm;
  }
  if (!blank(input.phone)) {
    row.phone_norm = p.phoneNorm ?? row.phone_norm;
    attributes['phone'] = input.phone!.trim();
  }
  if (!blank(input.name)) {
    row.name_norm = p.nameNorm ?? row.name_norm;
    attributes['name'] = input.name!.trim();
  }
  if (!blank(input.company)) {
    row.company_norm = p.companyNorm ?? row.company_norm;
    attributes['company'] = input.company!.trim();
  }
  row.attributes = attributes;
  if (input.tags) row.tags = union(row.tags, input.tags);
  if (input.unsubscribedAll === true) row.unsubscribed_all = true;
  row.updated_at = now;
}
