// What a scenario file may hold for a simulation: a graph document (any supported format
// version), an editor document (nodes and edges, compiled here), or a bundle of several graphs
// with their product lines' settings and personas. Browser-safe.
import { compile, FORMAT_VERSION, parseEditorDocument, upgrade, type GraphInput, type ProductLineSettingsInput, type Problem } from '@nurtureflow/scenario';
import type { PersonaInput } from './schemas.ts';

/** A scenario file's contents, ready for `simulate`. */
export interface ScenarioFile {
  graphs: GraphInput[];
  productLines: Record<string, ProductLineSettingsInput>;
  personas: PersonaInput[] | undefined;
}

/** A document that cannot be read as a graph: its problems, with codes. */
export class ScenarioFileError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => `${p.code} ${p.nodeId === null ? '' : `node ${p.nodeId} `}${p.field ? `${p.field}: ` : ''}${p.message.en}`).join('\n'));
  }
}

/** One document as a graph: upgraded from an older format version, or compiled from the editor's nodes and edges. */
export function documentToGraph(doc: unknown): GraphInput {
  const record = typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>) : null;
  const editor = record !== null && (Array.isArray(record['edges']) || (Array.isArray(record['nodes']) && record['formatVersion'] === FORMAT_VERSION));
  if (editor) {
    const parsed = parseEditorDocument(doc);
    if (!parsed.ok) throw new ScenarioFileError(parsed.problems);
    const compiled = compile(parsed.doc);
    const errors = compiled.problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) throw new ScenarioFileError(errors);
    return compiled.graph;
  }
  const upgraded = upgrade(doc);
  if (!upgraded.ok) throw new ScenarioFileError(upgraded.problems);
  return upgraded.graph;
}

/**
 * Reads a scenario file: a single document, or `{ graphs: [...] | graph, productLines?: { id:
 * settings } | [{ id, settings }], personas?: [...] }`.
 */
export function readScenarioFile(json: unknown): ScenarioFile {
  const record = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : null;
  if (record === null || (record['graphs'] === undefined && record['graph'] === undefined)) {
    return { graphs: [documentToGraph(json)], productLines: {}, personas: undefined };
  }
  const list = record['graphs'] ?? [record['graph']];
  if (!Array.isArray(list) || list.length === 0) throw new Error('"graphs" must be a list of scenario documents');
  const lines = record['productLines'];
  const productLines: Record<string, ProductLineSettingsInput> = Array.isArray(lines)
    ? Object.fromEntries(lines.map((p: { id: string; settings?: ProductLineSettingsInput }) => [p.id, p.settings ?? {}]))
    : ((lines ?? {}) as Record<string, ProductLineSettingsInput>);
  const personas = record['personas'];
  if (personas !== undefined && !Array.isArray(personas)) throw new Error('"personas" must be a list');
  return { graphs: list.map(documentToGraph), productLines, personas: personas as PersonaInput[] | undefined };
}
