/**
 * The audit log: who created, changed, published, paused and archived what, and when, per product
 * line. `recordAudit(tx, entry)` is called inside the transaction of the change it describes.
 */
export { AUDIT_ACTIONS, AUDIT_OBJECT_KINDS, type AuditAction, type AuditObjectKind } from './actions.ts';
export { DRAFT_COALESCE_MS, SYSTEM_ACTOR, recordAudit, recordDraftSave, type AuditEntry } from './record.ts';
export { listAudit, type AuditFilter, type AuditView } from './list.ts';
export { scoringChange, settingsChange } from './settings-changes.ts';
