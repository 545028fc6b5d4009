import type { DirectMailNode } from '@nurtureflow/scenario';
import { trackingCode } from '../split-bucket.ts';
import type { NodeHandler } from './handler.ts';
import { PASSED } from './shared.ts';

/** Direct mail or FAX: a print job with the lead's personal tracking code, then `next`. */
export const directMail: NodeHandler<DirectMailNode> = {
  arrive(run, p, at) {
    const node = p.node;
    run.emit({
      type: 'printJob',
      key: run.key(),
      nodeId: p.id,
      productLine: run.productLine,
      medium: node.medium,
      template: node.template,
      landingUrl: node.landingUrl,
      trackingCode: trackingCode(run.leadId, run.scenarioId, p.id),
    });
    run.take('next', PASSED, at);
  },
};
