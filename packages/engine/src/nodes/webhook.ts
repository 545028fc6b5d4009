import type { WebhookNode } from '@nurtureflow/scenario';
import type { NodeHandler } from './handler.ts';
import { PASSED } from './shared.ts';

/** Calls a webhook (SNS, LINE, CRM…), then `next`. */
export const webhook: NodeHandler<WebhookNode> = {
  arrive(run, p, at) {
    const node = p.node;
    run.emit({ type: 'callWebhook', key: run.key(), nodeId: p.id, productLine: run.productLine, url: node.url, channel: node.channel, payload: node.payload });
    run.take('next', PASSED, at);
  },
};
