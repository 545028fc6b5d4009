import { z } from 'zod';
import { conditionSchema, idSchema } from '../common.ts';
import { nodeBase, type NodeKindSpec } from './base.ts';

export const branchCaseSchema = z.object({
  id: idSchema,
  label: z.string().max(200).default(''),
  condition: conditionSchema,
});
export type BranchCase = z.infer<typeof branchCaseSchema>;

export const branchNodeSchema = z.object({
  kind: z.literal('branch'),
  ...nodeBase,
  /** Tried in order; the first that matches wins, else `default`. */
  cases: z.array(branchCaseSchema).max(50),
});
export type BranchNode = z.infer<typeof branchNodeSchema>;

export const branch: NodeKindSpec<BranchNode> = {
  kind: 'branch',
  group: 'logic',
  outputs: (n) => [...n.cases.map((c) => ({ name: c.id, required: true })), { name: 'default', required: true }],
  waits: false,
};
