import { scoringSchema } from '@nurtureflow/scenario';
import { describe, expect, it } from 'vitest';
import { aGraph } from '../../../scenario/src/testing/builder.ts';
import { aLead, jst } from '../testing/a-lead.ts';
import { journey } from '../testing/journey.ts';

const graph = aGraph().trigger('t').score('s', 20, 'seminar attended').exit('x').build();
const at = jst('2026-04-06T09:00');

describe('score', () => {
  it('changes the score of the scenario’s product line, then takes `next`', () => {
    const j = journey(graph, { at, lead: aLead({ score: 45, rank: 'C' }) });
    expect(j.effects).toEqual([{ type: 'changeScore', key: 'enr-1:2:0', nodeId: 's', productLine: 'crm', points: 20, reason: 'seminar attended' }]);
    expect(j.path).toEqual(['t', 's', 'x']);
    expect(j.lead.products['crm']).toMatchObject({ score: 65, rank: 'C', hot: false });
  });

  it('recomputes rank and hot when the product line’s scoring is known', () => {
    const j = journey(graph, { at, lead: aLead({ score: 45, rank: 'C' }), ctx: { scoring: { crm: scoringSchema.parse({ hotThreshold: 60 }) } } });
    expect(j.lead.products['crm']).toMatchObject({ score: 65, rank: 'B', hot: true });
  });

  it('starts from zero in a product line the lead had no standing in, without touching the caller’s lead', () => {
    const lead = aLead();
    const j = journey(graph, { at, lead });
    expect(j.lead.products['crm']).toEqual({ score: 20, rank: null, stage: 'prospect', hot: false, unsubscribed: false });
    expect(lead.products).toEqual({});
  });
});
