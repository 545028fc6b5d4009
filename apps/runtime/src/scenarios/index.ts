/**
 * Product lines and scenarios: their storage, drafts, validation against the database, publishing of
 * immutable versions, status changes, and the published graphs the worker runs.
 */
export {
  createProductLine,
  getProductLine,
  getProductLineSettings,
  listProductLines,
  productLineIds,
  updateProductLine,
  type ProductLineView,
} from './product-lines.ts';
export {
  createScenario,
  enrollmentCounts,
  getScenario,
  listScenarios,
  saveDraft,
  type EnrollmentCounts,
  type ScenarioDetail,
  type ScenarioSummary,
} from './scenarios.ts';
export { MAX_DRAFT_BYTES, checkDocument, references, type CheckedDocument } from './draft-document.ts';
export { publishScenario, type PublishResult } from './publish.ts';
export { ARCHIVED_REASON, TRANSITIONS, changeStatus, type StatusAction } from './lifecycle.ts';
export { activeScenarios, loadPublishedGraph, type ActiveScenario } from './published-graph.ts';
export { getVersion, listVersions, type VersionSummary, type VersionView } from './versions.ts';
