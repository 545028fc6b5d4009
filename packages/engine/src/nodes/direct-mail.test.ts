import { describe, expect, it } from 'vitest';
import { aGraph } from '../../../scenario/src/testing/builder.ts';
import { trackingCode } from '../split-bucket.ts';
import { aLead, jst } from '../testing/a-lead.ts';
import { journey } from '../testing/journey.ts';

describe('directMail', () => {
  const graph = aGraph({ scenarioId: 'dormant-dm' }).trigger('t').directMail('d1', 'coupon', 'https://example.com/coupon', 'fax').exit('x').build();

  it('prints a job with the lead’s personal tracking code, then takes `next`', () => {
    const j = journey(graph, { at: jst('2026-04-06T09:00'), lead: aLead({ id: 'L1' }) });
    expect(j.effects).toEqual([
      { type: 'printJob', key: 'enr-1:2:0', nodeId: 'd1', productLine: 'crm', medium: 'fax', template: 'coupon', landingUrl: 'https://example.com/coupon', trackingCode: trackingCode('L1', 'dormant-dm', 'd1') },
    ]);
    expect(j.path).toEqual(['t', 'd1', 'x']);
  });

  it('gives the same lead the same code every time, and another lead another', () => {
    const code = (id: string, enrollment: string) => (journey(graph, { at: jst('2026-04-06T09:00'), lead: aLead({ id }), id: enrollment }).effects[0] as { trackingCode: string }).trackingCode;
    expect(code('L1', 'a')).toBe(code('L1', 'b'));
    expect(code('L1', 'a')).not.toBe(code('L2', 'a'));
  });
});
