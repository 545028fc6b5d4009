// What the audit log records: each change has an action name that never changes meaning, so the
// editor, the API and anyone reading an export can rely on it, and the kind of object it touched.

/** Every action the log knows, by the object it touches. */
export const AUDIT_ACTIONS = [
  'scenario.created',
  /** Draft saves, coalesced: one entry per actor and scenario while saves keep coming (audit/record.ts). */
  'scenario.draftChanged',
  'scenario.renamed',
  'scenario.published',
  'scenario.paused',
  'scenario.resumed',
  'scenario.archived',
  'template.created',
  'template.changed',
  'productLine.created',
  'productLine.renamed',
  /** Settings other than scoring; secrets only as set, changed or removed, never their values. */
  'productLine.settingsChanged',
  'scoring.changed',
  'member.added',
  'member.changed',
  'member.removed',
  'token.created',
  'token.revoked',
  'user.created',
  'user.changed',
  'user.disabled',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The kinds of object an entry names. */
export const AUDIT_OBJECT_KINDS = ['scenario', 'template', 'productLine', 'member', 'token', 'user'] as const;

export type AuditObjectKind = (typeof AUDIT_OBJECT_KINDS)[number];
