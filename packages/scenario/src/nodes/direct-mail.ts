import { z } from 'zod';
import { idSchema } from '../common.ts';
import { nodeBase, type NodeKindSpec } from './base.ts';

export const directMailNodeSchema = z.object({
  kind: z.literal('directMail'),
  ...nodeBase,
  medium: z.enum(['mail', 'fax']).default('mail'),
  template: idSchema,
  /** The landing page; each lead gets a personal tracking URL (and QR) that leads there. */
  landingUrl: z.url({ error: 'must be a full URL (https://…)' }),
});
export type DirectMailNode = z.infer<typeof directMailNodeSchema>;

export const directMail: NodeKindSpec<DirectMailNode> = {
  kind: 'directMail',
  group: 'messages',
  outputs: () => [{ name: 'next', required: true }],
  waits: false,
};
