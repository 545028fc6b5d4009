// What a publish changes: the nodes added, removed and changed between the published graph and the
// draft about to replace it. Positions are not changes; an output left empty equals one not listed.
// The editor's publish dialog shows it before publishing; the runtime's audit log keeps it after.

/** The node ids added, removed and changed, each sorted. */
export interface GraphDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

type Nodes = Readonly<Record<string, unknown>>;

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

function nodeKey(node: unknown): string {
  const n = { ...(node as Record<string, unknown>) };
  const outputs = n['outputs'];
  if (typeof outputs === 'object' && outputs !== null) {
    n['outputs'] = Object.fromEntries(Object.entries(outputs as Record<string, unknown>).filter(([, to]) => to !== null && to !== undefined));
  }
  return JSON.stringify(canonical(n));
}

/** The difference between two graphs' nodes (the published one first). */
export function diffNodes(before: Nodes, after: Nodes): GraphDiff {
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const id of Object.keys(after)) {
    if (!Object.hasOwn(before, id)) added.push(id);
    else if (nodeKey(before[id]) !== nodeKey(after[id])) changed.push(id);
  }
  for (const id of Object.keys(before)) if (!Object.hasOwn(after, id)) removed.push(id);
  return { added: added.sort(), removed: removed.sort(), changed: changed.sort() };
}
