// The document as the canvas holds it: React Flow nodes and edges plus the scenario's own fields.
// Converting to and from the format's EditorDocument is lossless, so compile() sees what is drawn.
import type { Edge, Node } from '@xyflow/react';
import {
  decompile,
  parseEditorDocument,
  parseGraph,
  upgrade,
  type EditorDocument,
  type EditorDocumentInput,
  type NodeKind,
} from '@nurtureflow/scenario';

/** A node's own fields (without `kind` and `outputs`), as the format's editor document has them. */
export type NodeData = Record<string, unknown>;

/** A node on the canvas: React Flow's node with the scenario kind as its type. */
export type FlowNode = Node<NodeData, NodeKind> & {
  /** Outputs the graph keeps explicitly unconnected, carried through so a graph round-trips. */
  openOutputs?: string[];
  /** Placed by decompile rather than by the marketer (see the format's compile). */
  autoPlaced?: boolean;
};

/** A connection: from a node's output (sourceHandle) to the next node. */
export type FlowEdge = Edge;

/** Everything of the scenario document except its nodes and edges. */
export type DocMeta = Omit<EditorDocument, 'nodes' | 'edges'>;

/** The canvas state a document is made of. */
export interface CanvasDocument {
  meta: DocMeta;
  nodes: FlowNode[];
  edges: FlowEdge[];
}

/** The editor document of what is on the canvas, without what React Flow adds to nodes and edges. */
export function toEditorDocument(doc: CanvasDocument): EditorDocumentInput {
  return {
    ...doc.meta,
    nodes: doc.nodes.map((n) => ({
      id: n.id,
      type: n.type as NodeKind,
      position: { x: n.position.x, y: n.position.y },
      data: n.data,
      ...(n.openOutputs && n.openOutputs.length > 0 ? { openOutputs: n.openOutputs } : {}),
      ...(n.autoPlaced ? { autoPlaced: true } : {}),
    })),
    edges: doc.edges.map((e) => ({ id: e.id, source: e.source, ...(e.sourceHandle != null ? { sourceHandle: e.sourceHandle } : {}), target: e.target })),
  };
}

/** Canvas state from an editor document. */
export function fromEditorDocument(doc: EditorDocument): CanvasDocument {
  const { nodes, edges, ...meta } = doc;
  return {
    meta,
    nodes: nodes.map((n) => ({
      id: n.id,
      type: n.type,
      position: { ...n.position },
      data: n.data,
      ...(n.openOutputs ? { openOutputs: n.openOutputs } : {}),
      ...(n.autoPlaced ? { autoPlaced: true } : {}),
    })),
    edges: edges.map((e) => ({ id: e.id, source: e.source, target: e.target, ...(e.sourceHandle != null ? { sourceHandle: e.sourceHandle } : {}) })),
  };
}

/**
 * The canvas state of a stored draft or a published graph. A draft is either the editor's own
 * document (nodes and edges as arrays) or a graph (nodes keyed by id, any supported format
 * version); a graph is decompiled. The scenario's id and product line always win.
 */
export function documentFromDraft(draft: unknown, own: { scenarioId: string; productLine: string; name: string }): CanvasDocument {
  const input = typeof draft === 'object' && draft !== null ? (draft as Record<string, unknown>) : {};
  if (Array.isArray(input['edges'])) {
    const parsed = parseEditorDocument({ ...input, scenarioId: own.scenarioId, productLine: own.productLine });
    if (parsed.ok) return fromEditorDocument(parsed.doc);
  } else {
    const up = upgrade({ ...input, scenarioId: own.scenarioId, productLine: own.productLine });
    if (up.ok) {
      const graph = parseGraph(up.graph);
      if (graph.ok) return fromEditorDocument(decompile(graph.graph));
    }
  }
  // Unreadable drafts open as an empty scenario rather than not at all; the stored draft is only
  // replaced once the marketer changes something.
  return emptyDocument(own);
}

/** An empty scenario of the given identity, every setting at its default. */
export function emptyDocument(own: { scenarioId: string; productLine: string; name: string }): CanvasDocument {
  const parsed = parseEditorDocument({
    format: 'nurtureflow.scenario',
    formatVersion: 1,
    productLine: own.productLine,
    scenarioId: own.scenarioId,
    version: 0,
    name: own.name,
    nodes: [],
    edges: [],
  });
  if (!parsed.ok) throw new Error(`an empty scenario does not parse: ${parsed.problems.map((p) => p.message.en).join('; ')}`);
  return fromEditorDocument(parsed.doc);
}
