// A node's connection point. React Flow's <Handle> subscribes to React Flow's store twice (the
// connection in progress, its configuration), so the handles of a thousand nodes are thousands of
// subscriptions that every frame of a drag wakes. A node the pointer is not on draws its handles as
// still copies of that markup — React Flow measures them, and accepts them as a connection's end,
// by their classes and data attributes — and the node under the pointer (or selected) the live ones.
import { Handle, useStoreApi, type HandleType, type Position } from '@xyflow/react';

/** The props of a node's handle; `live` makes it React Flow's own. */
export interface NodeHandleProps {
  live: boolean;
  nodeId: string;
  type: HandleType;
  position: Position;
  id?: string;
  className: string;
}

/** A handle: React Flow's own while `live`, else the same markup without its store subscriptions. */
export function NodeHandle({ live, nodeId, type, position, id, className }: NodeHandleProps) {
  const flow = useStoreApi();
  if (live) return <Handle type={type} position={position} className={className} {...(id !== undefined ? { id } : {})} />;
  // Read once, not subscribed: neither changes while the canvas is open.
  const { rfId, noPanClassName } = flow.getState();
  return (
    <div
      data-handleid={id}
      data-nodeid={nodeId}
      data-handlepos={position}
      data-id={`${rfId}-${nodeId}-${id ?? null}-${type}`}
      className={`react-flow__handle react-flow__handle-${position} nodrag ${noPanClassName} ${className} ${type} connectable connectablestart connectableend connectionindicator`}
    />
  );
}
