import { describe, expect, it } from 'vitest';
import { aGraph } from '../../../scenario/src/testing/builder.ts';
import { aLead, jst } from '../testing/a-lead.ts';
import { journey } from '../testing/journey.ts';

const HOUR = 3_600_000;
const mail = (patch: Parameters<ReturnType<typeof aGraph>['with']>[0] = {}, extra: { onCap?: 'defer' | 'skip'; respectQuietHours?: boolean } = {}) =>
  aGraph().with(patch).trigger('t').email('m1', 'welcome', { subject: 'ようこそ', ...extra }).exit('x1').from('m1', 'skipped').exit('x2').build();
const overnight = { quietHours: { start: '20:00', end: '08:00', includeNonBusinessDays: true } };

describe('email', () => {
  it('sends the template and takes `sent`', () => {
    const j = journey(mail(), { at: jst('2026-04-06T10:00') });
    expect(j.effects).toEqual([{ type: 'sendEmail', key: 'enr-1:2:0', nodeId: 'm1', productLine: 'crm', template: 'welcome', subject: 'ようこそ' }]);
    expect(j.path).toEqual(['t', 'm1', 'x1']);
    expect(j.trace[1]).toMatchObject({ nodeId: 'm1', output: 'sent', to: 'x1', reason: { code: 'sent' } });
  });

  it('a lead unsubscribed from this product line is skipped, with the reason', () => {
    const j = journey(mail(), { at: jst('2026-04-06T10:00'), lead: aLead({ unsubscribed: true }) });
    expect(j.effects).toEqual([]);
    expect(j.path).toEqual(['t', 'm1', 'x2']);
    expect(j.trace[1]?.reason).toEqual({ code: 'skipped', why: 'unsubscribed' });
  });

  it('a lead unsubscribed from everything is skipped; one unsubscribed only from another product line is not', () => {
    expect(journey(mail(), { at: jst('2026-04-06T10:00'), lead: aLead({ unsubscribedAll: true }) }).trace[1]?.reason).toEqual({ code: 'skipped', why: 'unsubscribedAll' });
    expect(journey(mail(), { at: jst('2026-04-06T10:00'), lead: aLead({ productLine: 'sfa', unsubscribed: true }) }).path).toEqual(['t', 'm1', 'x1']);
  });

  it('a lead whose address bounced for good is skipped, with the reason, and sent nothing', () => {
    const j = journey(mail(), { at: jst('2026-04-06T10:00'), lead: aLead({ emailBounced: true }) });
    expect(j.effects).toEqual([]);
    expect(j.path).toEqual(['t', 'm1', 'x2']);
    expect(j.trace[1]?.reason).toEqual({ code: 'skipped', why: 'bounced' });
  });

  it('a skip with nothing connected to `skipped` completes the enrollment', () => {
    const graph = aGraph().trigger('t').email('m1', 'welcome').exit('x1').build();
    const j = journey(graph, { at: jst('2026-04-06T10:00'), lead: aLead({ unsubscribed: true }) });
    expect(j.state).toMatchObject({ status: 'completed', nodeId: 'm1', endReason: 'unconnected' });
    expect(j.trace.at(-1)?.reason).toEqual({ code: 'unconnected', output: 'skipped' });
  });

  it('a mail due at 22:00 with quiet hours 20:00–08:00 JST is sent at 08:00 next business morning', () => {
    // Friday night: with quiet weekends, the next business morning is Monday.
    const j = journey(mail({ settings: overnight }), { at: jst('2026-04-24T22:00') });
    expect(j.state).toMatchObject({ status: 'waiting', nodeId: 'm1', waiting: { until: jst('2026-04-27T08:00'), events: [], reason: 'quietHours' } });
    expect(j.trace.at(-1)).toMatchObject({ output: null, reason: { code: 'deferred', why: 'quietHours', until: jst('2026-04-27T08:00') } });
    expect(j.effects).toEqual([]);
    j.wake();
    expect(j.effects).toHaveLength(1);
    expect(j.trace.find((t) => t.output === 'sent')).toMatchObject({ at: jst('2026-04-27T08:00'), nodeId: 'm1', to: 'x1' });
  });

  it('on a weekday night the mail goes out at 08:00 the next morning', () => {
    const j = journey(mail({ settings: overnight }), { at: jst('2026-04-07T22:00') });
    expect(j.state.waiting?.until).toBe(jst('2026-04-08T08:00'));
  });

  it('a transactional mail that ignores quiet hours is sent at once', () => {
    const j = journey(mail({ settings: overnight }, { respectQuietHours: false }), { at: jst('2026-04-07T22:00') });
    expect(j.path).toEqual(['t', 'm1', 'x1']);
  });

  it('uses the product line’s quiet hours when the scenario has none', () => {
    const j = journey(mail(), { at: jst('2026-04-07T22:00'), ctx: { productLines: { crm: { quietHours: overnight.quietHours } } } });
    expect(j.state.waiting?.reason).toBe('quietHours');
  });

  it('re-checks everything when the deferral ends: a lead who unsubscribed overnight is skipped', () => {
    const j = journey(mail({ settings: overnight }), { at: jst('2026-04-07T22:00') });
    j.changeLead({ unsubscribedAll: true });
    j.wake();
    expect(j.path).toEqual(['t', 'm1', 'x2']);
    expect(j.effects).toEqual([]);
  });

  describe('frequency caps', () => {
    const at = jst('2026-04-08T12:00');
    const sentBefore = (...hoursAgo: number[]) => aLead({ messages: hoursAgo.map((h) => ({ at: at - h * HOUR, productLine: 'crm' })).sort((a, b) => a.at - b.at) });

    it('defers until the message that fills the daily cap is a day old', () => {
      const j = journey(mail({ settings: { frequencyCaps: { perDay: 1 } } }), { at, lead: sentBefore(3) });
      expect(j.state.waiting).toEqual({ until: at + 21 * HOUR, events: [], reason: 'frequencyCap' });
      expect(j.trace.at(-1)?.reason).toEqual({ code: 'deferred', why: 'frequencyCap', until: at + 21 * HOUR });
      j.wake();
      expect(j.path).toEqual(['t', 'm1', 'x1']);
    });

    it('defers until enough messages leave the rolling week', () => {
      // Three in the week with a cap of two: two must leave, so the wait ends when the second-oldest is 7 days old.
      const j = journey(mail({ settings: { frequencyCaps: { perWeek: 2 } } }), { at, lead: sentBefore(150, 100, 10) });
      expect(j.state.waiting?.until).toBe(at - 100 * HOUR + 168 * HOUR);
    });

    it('skips instead when the node says so', () => {
      const j = journey(mail({ settings: { frequencyCaps: { perDay: 1 } } }, { onCap: 'skip' }), { at, lead: sentBefore(3) });
      expect(j.path).toEqual(['t', 'm1', 'x2']);
      expect(j.trace[1]?.reason).toEqual({ code: 'skipped', why: 'frequencyCap' });
    });

    it('counts only this product line for its own caps, every product line for the global cap', () => {
      const otherLine = aLead({ messages: [{ at: at - HOUR, productLine: 'sfa' }] });
      expect(journey(mail({ settings: { frequencyCaps: { perDay: 1 } } }), { at, lead: otherLine }).path).toEqual(['t', 'm1', 'x1']);
      const global = journey(mail(), { at, lead: otherLine, ctx: { globalCaps: { perDay: 1 } } });
      expect(global.state.waiting).toMatchObject({ reason: 'frequencyCap', until: at + 23 * HOUR });
    });

    it('uses the stricter of the scenario’s and the product line’s caps', () => {
      const j = journey(mail({ settings: { frequencyCaps: { perDay: 5 } } }), { at, lead: sentBefore(3), ctx: { productLines: { crm: { frequencyCaps: { perDay: 1 } } } } });
      expect(j.state.waiting?.reason).toBe('frequencyCap');
    });

    it('counts a mail sent earlier in the same advance', () => {
      const graph = aGraph({ settings: { frequencyCaps: { perDay: 1 } } } as never).trigger('t').email('m1', 'a').email('m2', 'b').exit('x').build();
      const j = journey(graph, { at });
      expect(j.effectNames).toEqual(['sendEmail:m1']);
      expect(j.lead.messages).toEqual([{ at, productLine: 'crm' }]);
      expect(j.state).toMatchObject({ nodeId: 'm2', waiting: { until: at + 24 * HOUR, reason: 'frequencyCap' } });
    });

    it('does not count messages sent after the logical time (a lead view read late)', () => {
      const j = journey(mail({ settings: { frequencyCaps: { perDay: 1 } } }), { at, lead: aLead({ messages: [{ at: at + HOUR, productLine: 'crm' }] }) });
      expect(j.path).toEqual(['t', 'm1', 'x1']);
    });
  });
});
