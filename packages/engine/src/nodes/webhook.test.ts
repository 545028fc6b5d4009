import { describe, expect, it } from 'vitest';
import { aGraph } from '../../../scenario/src/testing/builder.ts';
import { jst } from '../testing/a-lead.ts';
import { journey } from '../testing/journey.ts';

describe('webhook', () => {
  it('calls the webhook with its payload, then takes `next`', () => {
    const graph = aGraph().trigger('t').add('w1', { kind: 'webhook', url: 'https://hooks.example.com/line', channel: 'LINE', payload: { message: 'セミナーのご案内' } }).exit('x').build();
    const j = journey(graph, { at: jst('2026-04-06T09:00') });
    expect(j.effects).toEqual([
      { type: 'callWebhook', key: 'enr-1:2:0', nodeId: 'w1', productLine: 'crm', url: 'https://hooks.example.com/line', channel: 'LINE', payload: { message: 'セミナーのご案内' } },
    ]);
    expect(j.path).toEqual(['t', 'w1', 'x']);
    expect(j.trace[1]?.reason).toEqual({ code: 'passed' });
  });
});
