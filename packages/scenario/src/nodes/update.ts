import { z } from 'zod';
import { rankSchema, scalarSchema, stageSchema } from '../common.ts';
import { nodeBase, type NodeKindSpec } from './base.ts';

const attributeKey = z.string().min(1).max(128).regex(/^[A-Za-z_][A-Za-z0-9_.]*$/, { error: 'must be a simple attribute name' });

export const leadChangeSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('setAttribute'), key: attributeKey, value: scalarSchema }),
  z.object({ op: z.literal('unsetAttribute'), key: attributeKey }),
  z.object({ op: z.literal('setRank'), rank: rankSchema }),
  z.object({ op: z.literal('setStage'), stage: stageSchema }),
  z.object({ op: z.literal('addTag'), tag: z.string().min(1).max(64) }),
  z.object({ op: z.literal('removeTag'), tag: z.string().min(1).max(64) }),
]);
export type LeadChange = z.infer<typeof leadChangeSchema>;

export const updateNodeSchema = z.object({
  kind: z.literal('update'),
  ...nodeBase,
  changes: z.array(leadChangeSchema).min(1, { error: 'add at least one change' }).max(50),
});
export type UpdateNode = z.infer<typeof updateNodeSchema>;

export const update: NodeKindSpec<UpdateNode> = {
  kind: 'update',
  group: 'data',
  outputs: () => [{ name: 'next', required: true }],
  waits: false,
};
