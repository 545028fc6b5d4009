import { describe, expect, it } from 'vitest';
import { aGraph } from '../../../scenario/src/testing/builder.ts';
import { aLead, jst } from '../testing/a-lead.ts';
import { journey } from '../testing/journey.ts';

describe('update', () => {
  it('changes attributes, rank, stage and tags in the working lead, then takes `next`', () => {
    const changes = [
      { op: 'setAttribute' as const, key: 'interest', value: 'SFA' },
      { op: 'unsetAttribute' as const, key: 'fax' },
      { op: 'setRank' as const, rank: 'A' as const },
      { op: 'setStage' as const, stage: 'existing' as const },
      { op: 'addTag' as const, tag: 'reactivated' },
      { op: 'removeTag' as const, tag: 'dormant' },
    ];
    const graph = aGraph().trigger('t').update('u', changes).branch('b', [{ id: 'back', condition: { type: 'tag', op: 'has', tag: 'reactivated' } }]).exit('x1').from('b', 'default').exit('x2').build();
    const lead = aLead({ attributes: { fax: '03-0000-0000', name: '伊藤' }, tags: ['dormant', 'vip'], stage: 'dormant' });
    const j = journey(graph, { at: jst('2026-04-06T09:00'), lead });
    expect(j.effects).toEqual([{ type: 'updateLead', key: 'enr-1:2:0', nodeId: 'u', productLine: 'crm', changes }]);
    expect(j.lead.attributes).toEqual({ name: '伊藤', interest: 'SFA' });
    expect(j.lead.tags).toEqual(['vip', 'reactivated']);
    expect(j.lead.products['crm']).toMatchObject({ rank: 'A', stage: 'existing' });
    expect(j.path).toEqual(['t', 'u', 'b', 'x1']);
    expect(lead.tags).toEqual(['dormant', 'vip']);
  });
});
