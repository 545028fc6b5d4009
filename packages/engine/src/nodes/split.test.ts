import { describe, expect, it } from 'vitest';
import { aGraph } from '../../../scenario/src/testing/builder.ts';
import { splitBucket } from '../split-bucket.ts';
import { aLead, jst } from '../testing/a-lead.ts';
import { journey } from '../testing/journey.ts';

const graph = aGraph({ scenarioId: 'welcome' })
  .trigger('t')
  .split('ab', [
    { id: 'a', weight: 45 },
    { id: 'b', weight: 45 },
    { id: 'holdout', weight: 10, holdout: true },
  ])
  .exit('xa')
  .from('ab', 'b')
  .exit('xb')
  .from('ab', 'holdout')
  .exit('xh')
  .build();
const at = jst('2026-04-06T09:00');
const variantOf = (id: string) => journey(graph, { at, lead: aLead({ id }) }).path[2];

describe('split', () => {
  it('sends the lead to the variant its bucket falls in, and says which bucket', () => {
    const j = journey(graph, { at, lead: aLead({ id: 'L1' }) });
    const bucket = splitBucket('L1', 'welcome', 'ab');
    const expected = bucket < 0.45 ? 'a' : bucket < 0.9 ? 'b' : 'holdout';
    expect(j.trace[1]?.reason).toEqual({ code: 'split', variant: expected, bucket });
  });

  it('is stable per lead: the same lead always takes the same variant', () => {
    for (const id of ['L1', 'L2', 'L3', 'L4']) expect(variantOf(id)).toBe(variantOf(id));
  });

  it('divides leads by the weights', () => {
    const counts: Record<string, number> = { xa: 0, xb: 0, xh: 0 };
    for (let i = 0; i < 4000; i++) counts[variantOf(`lead-${i}`)!]!++;
    expect(counts['xa']! / 4000).toBeCloseTo(0.45, 1);
    expect(counts['xb']! / 4000).toBeCloseTo(0.45, 1);
    expect(counts['xh']! / 4000).toBeCloseTo(0.1, 1);
  });

  it('never picks a variant of weight zero', () => {
    const g = aGraph().trigger('t').split('s', [{ id: 'off', weight: 0 }, { id: 'on', weight: 1 }, { id: 'off2', weight: 0 }]).exit('x1').from('s', 'on').exit('x2').from('s', 'off2').exit('x3').build();
    for (let i = 0; i < 200; i++) expect(journey(g, { at, lead: aLead({ id: `L${i}` }) }).path[2]).toBe('x2');
  });
});
