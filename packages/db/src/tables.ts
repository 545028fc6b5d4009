// The row types kysely checks queries against, one interface per table, matching the migrations.
// Columns read as what both drivers return (see type-parsers.ts): timestamptz → Date, int → number,
// jsonb → its JS value, text[] → string[].
import type { ColumnType, Generated } from 'kysely';
import type { Effect, EnrollmentState, EnrollmentStatus, Reason } from '@nurtureflow/engine';

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * A jsonb column read as `S` and written as `I`. Objects are written as they are (the drivers
 * JSON-encode them); JSON objects whose shape belongs to another package (a graph, settings) read as
 * plain JSON and are parsed with that package's schema, since stored rows may predate its format.
 */
export type Jsonb<S, I = S> = ColumnType<S, I, I>;

/** A jsonb column with a database default: optional on insert. */
export type JsonbWithDefault<S, I = S> = ColumnType<S, I | undefined, I>;

/** A timestamptz column. */
export type Timestamp = ColumnType<Date, Date, Date>;

/** A timestamptz column defaulting to now(). */
export type TimestampDefaultNow = ColumnType<Date, Date | undefined, Date>;

export type ScenarioStatus = 'draft' | 'active' | 'paused' | 'archived';
export type OutboxStatus = 'pending' | 'sent' | 'done' | 'failed' | 'skipped';

export interface ProductLinesTable {
  id: string;
  name: string;
  settings: JsonbWithDefault<JsonObject, object>;
  created_at: TimestampDefaultNow;
  updated_at: TimestampDefaultNow;
}

export interface ScenariosTable {
  id: string;
  product_line: string;
  name: string;
  status: ColumnType<ScenarioStatus, ScenarioStatus | undefined, ScenarioStatus>;
  /** The editor's document in whatever state it is, valid or not. */
  draft: JsonbWithDefault<JsonObject, object>;
  published_version: number | null;
  created_at: TimestampDefaultNow;
  updated_at: TimestampDefaultNow;
}

export interface ScenarioVersionsTable {
  scenario_id: string;
  version: number;
  /** The compiled graph, immutable once published; may be an older format version. */
  graph: Jsonb<JsonObject, object>;
  note: ColumnType<string, string | undefined, string>;
  published_at: TimestampDefaultNow;
}

export interface LeadsTable {
  id: string;
  email: string | null;
  email_norm: string | null;
  phone_norm: string | null;
  company_norm: string | null;
  name_norm: string | null;
  attributes: JsonbWithDefault<JsonObject, object>;
  tags: JsonbWithDefault<string[], readonly string[]>;
  unsubscribed_all: Generated<boolean>;
  /** Set when this lead was merged (名寄せ) into another; the row is kept for history. */
  merged_into: string | null;
  created_at: TimestampDefaultNow;
  updated_at: TimestampDefaultNow;
}

export interface LeadMergesTable {
  /** The surviving lead. */
  lead_id: string;
  merged_lead_id: string;
  /** Which key matched: 'email', 'phone', 'companyName', 'manual'. */
  matched_by: string;
  /** The merged lead as it was, so a merge can be explained and undone by hand. */
  snapshot: Jsonb<JsonObject, object>;
  at: TimestampDefaultNow;
}

export interface LeadProductsTable {
  lead_id: string;
  product_line: string;
  score: Generated<number>;
  rank: string | null;
  stage: ColumnType<string, string | undefined, string>;
  hot: Generated<boolean>;
  unsubscribed: Generated<boolean>;
  last_activity_at: Date | null;
  hot_at: Date | null;
  /** Points each scoring rule gave today, for rules capped per day: `{ day: 'YYYY-MM-DD', points: { ruleId: n } }`. */
  daily: JsonbWithDefault<{ day?: string; points?: Record<string, number> }, object>;
}

export interface EventsTable {
  lead_id: string;
  /** Client-supplied; ingestion is idempotent by (lead_id, id). */
  id: string;
  kind: string;
  at: Timestamp;
  product_line: string | null;
  scenario_id: string | null;
  node_id: string | null;
  effect_key: string | null;
  data: JsonbWithDefault<JsonObject, object>;
  received_at: TimestampDefaultNow;
  /** Order of arrival; enrollments read their inbox past their cursor. */
  seq: Generated<number>;
}

export interface EnrollmentsTable {
  lead_id: string;
  id: string;
  scenario_id: string;
  version: number;
  product_line: string;
  status: EnrollmentStatus;
  node_id: string | null;
  /** The engine's state, stored as it is. */
  state: Jsonb<EnrollmentState>;
  /** Copied out of the state for the worker's claim query. */
  wake_at: Date | null;
  /** Event kinds that wake this enrollment, copied out of the state for event routing. */
  wait_events: ColumnType<string[] | null, readonly string[] | null | undefined, readonly string[] | null>;
  claimed_by: string | null;
  claimed_until: Date | null;
  /** The last event seq this enrollment has seen; later events of its wait_events are its inbox. */
  event_cursor: Generated<number>;
  created_at: TimestampDefaultNow;
  updated_at: TimestampDefaultNow;
}

export interface EnrollmentHistoryTable {
  lead_id: string;
  enrollment_id: string;
  seq: number;
  at: Timestamp;
  node_id: string | null;
  output: string | null;
  to_node: string | null;
  /** Why the step went where it went (the engine's Reason). */
  reason: Jsonb<Reason>;
}

export interface OutboxTable {
  lead_id: string;
  /** The effect's idempotency key; a channel delivers each key at most once. */
  key: string;
  enrollment_id: string;
  scenario_id: string;
  product_line: string;
  type: Effect['type'];
  /** The effect as the engine emitted it. */
  payload: Jsonb<Effect>;
  status: ColumnType<OutboxStatus, OutboxStatus | undefined, OutboxStatus>;
  attempts: Generated<number>;
  next_attempt_at: TimestampDefaultNow;
  last_error: string | null;
  created_at: TimestampDefaultNow;
  updated_at: TimestampDefaultNow;
}

export interface ScheduleRunsTable {
  scenario_id: string;
  node_id: string;
  last_run_at: Timestamp;
}

/** Why a lead went to sales, kept as sales read it, and how they were told (one row per hand-off effect). */
export interface HandoffsTable {
  lead_id: string;
  /** The handOff effect's outbox key. */
  key: string;
  product_line: string;
  scenario_id: string;
  enrollment_id: string;
  node_id: string;
  /** The node's reason text, in the marketer's words. */
  reason: ColumnType<string, string | undefined, string>;
  /** The lead, its standing, score history and recent events when it was handed off. */
  record: Jsonb<JsonObject, object>;
  /** How sales were told: `{ via, to, status, at, error, text }`. */
  notification: JsonbWithDefault<JsonObject, object>;
  created_at: TimestampDefaultNow;
  updated_at: TimestampDefaultNow;
}

/** A direct mail or FAX job ready for the print shop, with the personal code of its tracking URL. */
export interface PrintJobsTable {
  lead_id: string;
  /** The printJob effect's outbox key. */
  key: string;
  /** Random and unique: the path of the tracking URL and the QR code. */
  code: string;
  product_line: string;
  scenario_id: string;
  node_id: string;
  medium: string;
  template: string;
  landing_url: string;
  tracking_url: string;
  /** The print batch: the day (YYYY-MM-DD, product line's time zone) the job became ready. */
  batch_day: string;
  visits: Generated<number>;
  first_visit_at: Date | null;
  last_visit_at: Date | null;
  created_at: TimestampDefaultNow;
}

/** An e-mail template of a product line: liquid subject, HTML and (optionally) authored plain text. */
export interface TemplatesTable {
  product_line: string;
  id: string;
  name: string;
  subject: string;
  html: string;
  /** Authored plain-text part; generated from the HTML when null. */
  text: string | null;
  created_at: TimestampDefaultNow;
  updated_at: TimestampDefaultNow;
}

/** An e-mail handed over (to SMTP or the local mailbox), with the links tracking may redirect to. */
export interface SentEmailsTable {
  lead_id: string;
  /** The sendEmail effect's outbox key. */
  key: string;
  product_line: string;
  scenario_id: string;
  node_id: string;
  template_id: string;
  to: string;
  subject: string;
  message_id: string;
  transport: 'smtp' | 'mailbox';
  /** The original URLs of the message's links; a click token names one by its index. */
  links: JsonbWithDefault<string[], readonly string[]>;
  sent_at: TimestampDefaultNow;
  /** Names the message in its Return-Path and mailto: unsubscribe tokens; null on mail sent before bounces were read. */
  return_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A message kept locally because no SMTP server is configured, as it would have been sent. */
export interface MailboxTable {
  lead_id: string;
  key: string;
  product_line: string;
  to: string;
  from: string;
  subject: string;
  html: string;
  text: string;
  headers: JsonbWithDefault<Record<string, string>, Record<string, string>>;
  created_at: TimestampDefaultNow;
}

/** A lead's address that bounced for good (a hard bounce, or soft bounces in a row): it is not mailed again. */
export interface BouncedAddressesTable {
  lead_id: string;
  /** The address as leads.email_norm has it; mail is held back while the lead's address is this one. */
  email_norm: string;
  reason: string;
  source: 'smtp' | 'dsn' | 'arf' | 'notification';
  product_line: string | null;
  scenario_id: string | null;
  node_id: string | null;
  outbox_key: string | null;
  at: TimestampDefaultNow;
}

/** Secrets the server generates once and keeps (the tracking key), by name. */
export interface ServerSecretsTable {
  name: string;
  value: string;
  created_at: TimestampDefaultNow;
}

/** A role on a product line. */
export type MemberRole = 'admin' | 'editor' | 'analyst' | 'sales';

/** A person who logs in. */
export interface UsersTable {
  id: string;
  /** Lower-cased and trimmed. */
  email: string;
  display_name: string;
  /** `scrypt$N$r$p$<salt>$<hash>`, never the password. */
  password_hash: string;
  org_admin: ColumnType<boolean, boolean | undefined, boolean>;
  disabled: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: TimestampDefaultNow;
  updated_at: TimestampDefaultNow;
}

/** A user's role on one product line. */
export interface MembershipsTable {
  user_id: string;
  product_line: string;
  role: MemberRole;
  created_at: TimestampDefaultNow;
}

/** An editor session: the cookie's value is known only by its SHA-256. */
export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  expires_at: Timestamp;
  created_at: TimestampDefaultNow;
}

/** A machine's credential: the secret is known only by its SHA-256. */
export interface ApiTokensTable {
  id: string;
  secret_hash: string;
  name: string;
  org_admin: ColumnType<boolean, boolean | undefined, boolean>;
  roles: JsonbWithDefault<Record<string, MemberRole>>;
  created_by: string | null;
  created_at: TimestampDefaultNow;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

/** One change someone made: who, what, to which object, when, and what changed. */
export interface AuditLogTable {
  id: Generated<number>;
  /** Null for org-wide changes (people, product lines' creation is on the product line itself). */
  product_line: string | null;
  /** Who: a user's e-mail, `token:<name>`, or `system`. */
  actor: string;
  /** `scenario.published`, `template.changed`… (apps/runtime/src/audit/actions.ts lists them). */
  action: string;
  object_kind: string;
  object_id: string;
  at: TimestampDefaultNow;
  /** What changed: a publish's node diff, the settings' changed fields (never a secret's value)… */
  details: JsonbWithDefault<JsonObject, object>;
}

/** Every table, by name, for `Kysely<DB>`. */
export interface DB {
  schedule_runs: ScheduleRunsTable;
  product_lines: ProductLinesTable;
  scenarios: ScenariosTable;
  scenario_versions: ScenarioVersionsTable;
  leads: LeadsTable;
  lead_merges: LeadMergesTable;
  lead_products: LeadProductsTable;
  events: EventsTable;
  enrollments: EnrollmentsTable;
  enrollment_history: EnrollmentHistoryTable;
  outbox: OutboxTable;
  templates: TemplatesTable;
  sent_emails: SentEmailsTable;
  mailbox: MailboxTable;
  server_secrets: ServerSecretsTable;
  handoffs: HandoffsTable;
  print_jobs: PrintJobsTable;
  bounced_addresses: BouncedAddressesTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
}
