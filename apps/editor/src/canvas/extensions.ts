// The canvas's extension point: another part of the editor (the simulation overlay) draws on
// nodes and connections through it, without the node and edge components knowing that part.
import type { EdgeTypes } from '@xyflow/react';
import { createContext, type ComponentType } from 'react';

/** What is drawn on the canvas besides the scenario itself. */
export interface CanvasExtensions {
  /** Drawn at the foot of every node, above its outputs. */
  NodeFooter?: ComponentType<{ id: string }>;
  /** Edge components by type, in place of React Flow's own (constant: a new object re-mounts every edge). */
  edgeTypes?: EdgeTypes;
}

const NONE: CanvasExtensions = {};

/** The extensions in force; none unless a provider says otherwise. */
export const CanvasExtensionsContext = createContext<CanvasExtensions>(NONE);
