import { z } from 'zod';
import { branch, branchNodeSchema } from './branch.ts';
import { callTask, callTaskNodeSchema } from './call-task.ts';
import { directMail, directMailNodeSchema } from './direct-mail.ts';
import { email, emailNodeSchema } from './email.ts';
import { exit, exitNodeSchema } from './exit.ts';
import { goal, goalNodeSchema } from './goal.ts';
import { handoff, handoffNodeSchema } from './handoff.ts';
import { move, moveNodeSchema } from './move.ts';
import { score, scoreNodeSchema } from './score.ts';
import { split, splitNodeSchema } from './split.ts';
import { trigger, triggerNodeSchema } from './trigger.ts';
import { update, updateNodeSchema } from './update.ts';
import { wait, waitNodeSchema } from './wait.ts';
import { webhook, webhookNodeSchema } from './webhook.ts';
import { waitForEvent, waitForEventNodeSchema } from './wait-for-event.ts';
import type { NodeKindSpec, OutputSpec } from './base.ts';

export * from './base.ts';
export * from './branch.ts';
export * from './call-task.ts';
export * from './direct-mail.ts';
export * from './email.ts';
export * from './exit.ts';
export * from './goal.ts';
export * from './handoff.ts';
export * from './move.ts';
export * from './score.ts';
export * from './split.ts';
export * from './trigger.ts';
export * from './update.ts';
export * from './wait.ts';
export * from './webhook.ts';
export * from './wait-for-event.ts';

/** Any node of the graph, a tagged union on `kind`. */
export const nodeSchema = z.discriminatedUnion('kind', [
  triggerNodeSchema,
  emailNodeSchema,
  callTaskNodeSchema,
  handoffNodeSchema,
  directMailNodeSchema,
  webhookNodeSchema,
  waitNodeSchema,
  waitForEventNodeSchema,
  branchNodeSchema,
  splitNodeSchema,
  scoreNodeSchema,
  updateNodeSchema,
  moveNodeSchema,
  goalNodeSchema,
  exitNodeSchema,
]);
export type GraphNode = z.infer<typeof nodeSchema>;
export type NodeKind = GraphNode['kind'];
export type NodeOfKind<K extends NodeKind> = Extract<GraphNode, { kind: K }>;


/** Every node kind, with its group, outputs and whether it waits. */
export const NODE_KINDS: { [K in NodeKind]: NodeKindSpec<NodeOfKind<K>> } = {
  trigger,
  email,
  callTask,
  handoff,
  directMail,
  webhook,
  wait,
  waitForEvent,
  branch,
  split,
  score,
  update,
  move,
  goal,
  exit,
};

export const NODE_KIND_NAMES = Object.keys(NODE_KINDS) as NodeKind[];

/** The outputs a node offers, given its kind and configuration. */
export function outputsOf(node: GraphNode): OutputSpec[] {
  return (NODE_KINDS[node.kind] as NodeKindSpec<GraphNode>).outputs(node);
}

/** True when reaching this node can stop an advance. */
export function nodeWaits(node: GraphNode): boolean {
  return NODE_KINDS[node.kind].waits;
}
