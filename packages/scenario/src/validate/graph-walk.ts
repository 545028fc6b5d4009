import { NODE_KINDS, nodeWaits, outputsOf, type NodeKind } from '../nodes/index.ts';
import type { ValidationContext } from './context.ts';

/** One connection the engine can take: an offered output of `from` leading to an existing node. */
export interface Edge {
  from: string;
  output: string;
  to: string;
}

function isKind(kind: string | undefined): kind is NodeKind {
  return kind !== undefined && Object.hasOwn(NODE_KINDS, kind);
}

/** The connections leads can follow, per node, in a fixed order (a broken node's raw outputs count). */
export function edgesOf(ctx: ValidationContext): Map<string, Edge[]> {
  const exists = (id: string) => ctx.nodes.has(id) || ctx.broken.has(id);
  const edges = new Map<string, Edge[]>();
  for (const id of ctx.ids) {
    const list: Edge[] = [];
    const node = ctx.nodes.get(id);
    if (node) {
      for (const spec of outputsOf(node)) {
        const to = node.outputs[spec.name];
        if (typeof to === 'string' && exists(to)) list.push({ from: id, output: spec.name, to });
      }
    } else {
      const b = ctx.broken.get(id);
      for (const [output, to] of Object.entries(b?.outputs ?? {})) if (exists(to)) list.push({ from: id, output, to });
    }
    edges.set(id, list);
  }
  return edges;
}

/** True for trigger nodes, including a trigger that did not match the format. */
export function isTrigger(ctx: ValidationContext, id: string): boolean {
  return (ctx.nodes.get(id)?.kind ?? ctx.broken.get(id)?.kind) === 'trigger';
}

/** True when a node can hold a lead; a broken node of unknown kind is given the benefit of the doubt. */
export function waitsAt(ctx: ValidationContext, id: string): boolean {
  const node = ctx.nodes.get(id);
  if (node) return nodeWaits(node);
  const kind = ctx.broken.get(id)?.kind;
  return isKind(kind) ? NODE_KINDS[kind].waits : true;
}

/** The kind of a node, parsed or not. */
export function kindOf(ctx: ValidationContext, id: string): string | undefined {
  return ctx.nodes.get(id)?.kind ?? ctx.broken.get(id)?.kind;
}

/** Strongly connected components (Tarjan, iterative) of the nodes in `within`, in discovery order. */
export function stronglyConnected(ids: readonly string[], edges: ReadonlyMap<string, readonly Edge[]>, within: (id: string) => boolean): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of ids) {
    if (!within(root) || index.has(root)) continue;
    const work: { id: string; next: number }[] = [{ id: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { id: string; next: number };
      const out = (edges.get(frame.id) ?? []).filter((e) => within(e.to));
      if (frame.next < out.length) {
        const to = (out[frame.next++] as Edge).to;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ id: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.id, Math.min(low.get(frame.id) as number, index.get(to) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id) as number, low.get(frame.id) as number));
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        components.push(component);
      }
    }
  }
  return components;
}
