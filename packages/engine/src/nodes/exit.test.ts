import { describe, expect, it } from 'vitest';
import { aGraph } from '../../../scenario/src/testing/builder.ts';
import { jst } from '../testing/a-lead.ts';
import { journey } from '../testing/journey.ts';

describe('exit', () => {
  it('completes the enrollment with the exit’s reason', () => {
    const at = jst('2026-04-06T09:00');
    const j = journey(aGraph().trigger('t').exit('x', 'refused').build(), { at });
    expect(j.state).toMatchObject({ status: 'completed', nodeId: 'x', endedAt: at, endReason: 'exit', waiting: null });
    expect(j.trace.at(-1)).toEqual({ seq: 2, at, nodeId: 'x', output: null, to: null, reason: { code: 'exit', why: 'refused' } });
    expect(j.results[0]?.next).toEqual({ type: 'done', status: 'completed' });
  });
});
