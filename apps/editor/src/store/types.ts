import type { Connection, EdgeChange, NodeChange } from '@xyflow/react';
import type { GraphInput, NodeKind, Problem, References } from '@nurtureflow/scenario';
import type { Clip } from '../document/clipboard.ts';
import type { CanvasDocument, DocMeta, FlowEdge, FlowNode, NodeData } from '../document/types.ts';

/**
 * When a change becomes an undo step (after excalidraw's capture policy): at once, never (selection,
 * sizes), or merged with the previous step of the same key made moments ago (typing in one field).
 * A drag is one step: captured when it starts, not on every frame.
 */
export type CapturePolicy = 'immediately' | 'never' | { coalesce: string };

/** A problem the editor shows: the format's, or the editor's own (split weights must add up). */
export type EditorProblem = Omit<Problem, 'code'> & { code: Problem['code'] | 'EDT001' };

/** The document being edited: the scenario's fields, its nodes and edges. */
export interface DocumentSlice {
  meta: DocMeta | null;
  nodes: FlowNode[];
  edges: FlowEdge[];
  readOnly: boolean;
  /** Bumped on every change of the document, for saving. */
  revision: number;
  /** Bumped on changes that can change validation (everything but moves and sizes). */
  structure: number;
  load(doc: CanvasDocument, options?: { readOnly?: boolean }): void;
  onNodesChange(changes: NodeChange<FlowNode>[]): void;
  /** A drag begins on the screen: its moves reach the store when it ends, as one undo step. */
  startDrag(): void;
  onEdgesChange(changes: EdgeChange<FlowEdge>[]): void;
  connect(connection: Connection): void;
  reconnect(old: FlowEdge, connection: Connection): void;
  addNode(kind: NodeKind, position: { x: number; y: number }): string;
  updateNodeData(id: string, data: NodeData, policy?: CapturePolicy): void;
  renameNode(id: string, to: string): boolean;
  updateMeta(patch: Partial<DocMeta>, policy?: CapturePolicy): void;
  deleteSelected(): void;
  copySelected(): void;
  paste(at?: { x: number; y: number }): void;
  duplicateSelected(): void;
  selectAll(): void;
  selectNode(id: string | null): void;
  autoLayout(): void;
}

/** One state of the document an undo returns to. */
export interface Snapshot {
  meta: DocMeta | null;
  nodes: FlowNode[];
  edges: FlowEdge[];
}

export interface HistorySlice {
  past: Snapshot[];
  future: Snapshot[];
  lastCapture: { key: string; at: number } | null;
  dragging: boolean;
  capture(policy: CapturePolicy): void;
  undo(): void;
  redo(): void;
}

export interface SelectionSlice {
  selectedNodes: string[];
  selectedEdges: string[];
}

export interface UiSlice {
  /** A request to bring a node into view; `seq` makes a repeated request for one node count. */
  focus: { id: string; seq: number } | null;
  clip: Clip | null;
  focusNode(id: string): void;
}

/** Leads at each node of the published scenario now, and those whose enrollment ended there. */
export interface LiveCount {
  /** Leads at the node now. */
  now: number;
  /** Leads that reached the node, each once. */
  passed: number;
  /** Enrollments that ended at the node. */
  ended: number;
}

export interface LiveSlice {
  live: Record<string, LiveCount> | null;
  setLive(items: readonly ({ nodeId: string } & LiveCount)[] | null): void;
}

export interface ValidationSlice {
  refs: References;
  problems: EditorProblem[];
  problemsByNode: Record<string, EditorProblem[]>;
  errors: number;
  warnings: number;
  compiled: GraphInput | null;
  /** The structure revision the problems are of. */
  validated: number;
  setRefs(refs: References): void;
  revalidate(): void;
}

export type EditorState = DocumentSlice & HistorySlice & SelectionSlice & UiSlice & LiveSlice & ValidationSlice;
