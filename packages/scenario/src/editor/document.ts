import { z } from 'zod';
import { graphSchema } from '../graph.ts';
import { NODE_KIND_NAMES, type NodeKind, type NodeOfKind } from '../nodes/index.ts';
import type { Problem } from '../problems.ts';
import { depthProblem } from '../validate/depth.ts';
import { formatProblem } from '../validate/parse.ts';
import { parseParams, schemaProblems } from '../validate/zod-issues.ts';

/**
 * The editor's document: the scenario as React Flow 12 holds it. Nodes and edges have the shape
 * of React Flow's `Node` and `Edge`, so the canvas can use them as they are; fields React Flow adds
 * (`measured`, `dragging`, …) are dropped when a document is parsed and ignored by `compile`.
 */
export const positionSchema = z.object({ x: z.number(), y: z.number() });

/** Ids and handles React Flow makes are short; a limit keeps a stranger's document from carrying megabytes in one. */
const handleSchema = z.string().max(256, { error: 'must be at most 256 characters' });

export const editorNodeSchema = z.object({
  id: handleSchema,
  /** The node kind; React Flow picks the component to draw by it. */
  type: z.enum(NODE_KIND_NAMES),
  position: positionSchema,
  /** The node's fields, without `kind` and `outputs` (those are `type` and the edges). */
  data: z.record(z.string().max(128, { error: 'must be at most 128 characters' }), z.unknown()),
  /** Outputs the graph lists as explicitly unconnected (`null`); kept so a graph survives the round trip unchanged. */
  openOutputs: z.array(handleSchema).max(100).optional(),
  /**
   * The graph had no position for this node and `decompile` placed it. `compile` leaves such a
   * node out of the layout while it stays where it was placed, so the editor need not clear it.
   */
  autoPlaced: z.boolean().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  selected: z.boolean().optional(),
});
export type EditorNode = z.infer<typeof editorNodeSchema>;

export const editorEdgeSchema = z.object({
  id: handleSchema,
  source: handleSchema,
  /** The output name; may be left out for a node with a single output. */
  sourceHandle: handleSchema.nullable().optional(),
  target: handleSchema,
  targetHandle: handleSchema.nullable().optional(),
});
export type EditorEdge = z.infer<typeof editorEdgeSchema>;

export const editorDocumentSchema = graphSchema.omit({ nodes: true, layout: true }).extend({
  /** A draft may be unnamed; publishing needs a name (validate reports it). */
  name: z.string().max(200),
  nodes: z.array(editorNodeSchema),
  edges: z.array(editorEdgeSchema),
});
export type EditorDocument = z.infer<typeof editorDocumentSchema>;
/** An editor document before defaults are filled in. */
export type EditorDocumentInput = z.input<typeof editorDocumentSchema>;

/** The `data` of an editor node of a given kind. */
export type EditorNodeData<K extends NodeKind> = Omit<NodeOfKind<K>, 'kind' | 'outputs'>;

/** An editor document received over the wire, or the problems with it (SCN019, SCN001 naming each field). */
export function parseEditorDocument(input: unknown): { ok: true; doc: EditorDocument } | { ok: false; problems: Problem[] } {
  const bad = formatProblem(input) ?? depthProblem(input);
  if (bad) return { ok: false, problems: [bad] };
  const r = editorDocumentSchema.safeParse(input, parseParams);
  return r.success ? { ok: true, doc: r.data } : { ok: false, problems: schemaProblems(r.error.issues, null) };
}
