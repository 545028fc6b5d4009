// What a stored draft (or a document sent for validation) means as a graph of its scenario. A draft
// is either a graph document (nodes keyed by id; older format versions are upgraded first) or the
// editor's React Flow document (nodes and edges as arrays); both are checked the same way. The scenario owns its id and product line, so
// those are taken from the scenario whatever the document says; the version is 0 until published.
import type { DB, JsonObject } from '@nurtureflow/db';
import {
  compile,
  FORMAT_VERSION,
  parseEditorDocument,
  upgrade,
  validate,
  type GraphInput,
  type Problem,
  type References,
} from '@nurtureflow/scenario';
import type { Kysely } from 'kysely';
import { ApiError } from '../errors.ts';
import { productLineIds } from './product-lines.ts';

/** The largest draft stored, in bytes of JSON: far above any drawn scenario, far below the body limit. */
export const MAX_DRAFT_BYTES = 2 * 1024 * 1024;

/** The result of checking a document: every problem, their counts, and the graph when one could be read. */
export interface CheckedDocument {
  problems: Problem[];
  errors: number;
  warnings: number;
  /** The document as a graph of this scenario (not yet parsed with defaults); null when unreadable. */
  graph: GraphInput | null;
}

/** The scenario fields a document is checked against. */
export interface ScenarioIdentity {
  id: string;
  product_line: string;
  name: string;
}

/** Throws 413 naming the field when a draft is larger than MAX_DRAFT_BYTES. */
export function assertDraftSize(draft: unknown, path: string): void {
  const bytes = Buffer.byteLength(JSON.stringify(draft));
  if (bytes > MAX_DRAFT_BYTES) {
    throw new ApiError(413, 'draft_too_large', `the draft is ${bytes} bytes; at most ${MAX_DRAFT_BYTES} are stored`, [
      { path, message: `must be at most ${MAX_DRAFT_BYTES} bytes of JSON` },
    ]);
  }
}

/** Names outside the graph that it may refer to: product lines and scenarios, read from the database. */
export async function references(db: Kysely<DB>): Promise<References> {
  const [productLines, scenarios] = await Promise.all([
    productLineIds(db),
    db.selectFrom('scenarios').select(['id', 'product_line']).execute(),
  ]);
  return { productLines, scenarios: scenarios.map((s) => ({ productLine: s.product_line, scenarioId: s.id })) };
}

/** An editor document has edges; a format 0 graph also lists its nodes, but has no edges and an older version. */
function isEditorDocument(doc: Record<string, unknown>): boolean {
  return Array.isArray(doc['edges']) || (Array.isArray(doc['nodes']) && doc['formatVersion'] === FORMAT_VERSION);
}

/** Every problem of a document as a graph of the given scenario, with references from the database. */
export async function checkDocument(db: Kysely<DB>, scenario: ScenarioIdentity, doc: JsonObject | Record<string, unknown>): Promise<CheckedDocument> {
  const refs = await references(db);
  const own = {
    productLine: scenario.product_line,
    scenarioId: scenario.id,
    version: 0,
    name: typeof doc['name'] === 'string' ? doc['name'] : scenario.name,
  };
  let problems: Problem[];
  let graph: GraphInput | null = null;
  if (isEditorDocument(doc)) {
    const parsed = parseEditorDocument({ ...doc, ...own });
    if (parsed.ok) {
      const compiled = compile(parsed.doc, refs);
      graph = compiled.graph;
      problems = compiled.problems;
    } else problems = parsed.problems;
  } else {
    const upgraded = upgrade(doc);
    if (upgraded.ok) {
      graph = { ...upgraded.graph, ...own };
      problems = validate(graph, refs);
    } else problems = upgraded.problems;
  }
  const errors = problems.filter((p) => p.severity === 'error').length;
  return { problems, errors, warnings: problems.length - errors, graph };
}
