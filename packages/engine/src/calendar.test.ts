import { tz } from '@date-fns/tz';
import { addDays, addWeeks } from 'date-fns';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDuration, DEFAULT_CALENDAR, isBusinessDay, nextTimeOfDay, quietHoursEnd, subtractDuration, type CalendarSettings } from './calendar.ts';
import { jst } from './testing/a-lead.ts';

const tokyo = DEFAULT_CALENDAR;
const newYork: CalendarSettings = { timezone: 'America/New_York', businessDays: { weekdays: [1, 2, 3, 4, 5], holidays: 'none', extraHolidays: [] } };
const iso = (t: number) => new Date(t).toISOString();

describe('addDuration', () => {
  it('adds minutes and hours as elapsed time', () => {
    expect(addDuration(tokyo, jst('2026-04-06T09:00'), { amount: 90, unit: 'minutes' })).toBe(jst('2026-04-06T10:30'));
    expect(addDuration(tokyo, jst('2026-04-06T09:00'), { amount: 25, unit: 'hours' })).toBe(jst('2026-04-07T10:00'));
  });

  it('adds days and weeks keeping the time of day', () => {
    expect(addDuration(tokyo, jst('2026-04-06T09:00'), { amount: 3, unit: 'days' })).toBe(jst('2026-04-09T09:00'));
    expect(addDuration(tokyo, jst('2026-04-06T09:00'), { amount: 2, unit: 'weeks' })).toBe(jst('2026-04-20T09:00'));
  });

  it('keeps 09:00 across a daylight-saving change in New York (23 hours that day)', () => {
    const before = Date.parse('2026-03-07T09:00:00-05:00');
    expect(iso(addDuration(newYork, before, { amount: 1, unit: 'days' }))).toBe(iso(Date.parse('2026-03-08T09:00:00-04:00')));
  });

  it('2 business days after Tuesday 2026-04-28 skip Showa Day (Wednesday) and land on Friday', () => {
    expect(addDuration(tokyo, jst('2026-04-28T10:00'), { amount: 2, unit: 'businessDays' })).toBe(jst('2026-05-01T10:00'));
  });

  it('2 business days after Friday 2028-04-28 skip Showa Day on the weekend and land on Tuesday', () => {
    expect(addDuration(tokyo, jst('2028-04-28T10:00'), { amount: 2, unit: 'businessDays' })).toBe(jst('2028-05-02T10:00'));
  });

  it('3 business days after Friday 2026-04-24 skip the weekend and Showa Day', () => {
    expect(addDuration(tokyo, jst('2026-04-24T15:30'), { amount: 3, unit: 'businessDays' })).toBe(jst('2026-04-30T15:30'));
  });

  it('2 business days after Thursday 2026-04-30 skip Golden Week, substitute holiday included', () => {
    // 05-02/03 weekend, 05-04 みどりの日, 05-05 こどもの日, 05-06 振替休日 (05-03 fell on a Sunday).
    expect(addDuration(tokyo, jst('2026-04-30T10:00'), { amount: 2, unit: 'businessDays' })).toBe(jst('2026-05-07T10:00'));
  });

  it('skips company holidays and counts only the configured weekdays', () => {
    const newYearBreak: CalendarSettings = { timezone: 'Asia/Tokyo', businessDays: { weekdays: [1, 2, 3, 4, 5], holidays: 'jp', extraHolidays: ['2026-12-29', '2026-12-30', '2026-12-31', '2027-01-02', '2027-01-03'] } };
    expect(addDuration(newYearBreak, jst('2026-12-28T09:00'), { amount: 1, unit: 'businessDays' })).toBe(jst('2027-01-04T09:00'));
    const withSaturday: CalendarSettings = { timezone: 'Asia/Tokyo', businessDays: { weekdays: [1, 2, 3, 4, 5, 6], holidays: 'none', extraHolidays: [] } };
    expect(addDuration(withSaturday, jst('2026-04-10T09:00'), { amount: 1, unit: 'businessDays' })).toBe(jst('2026-04-11T09:00'));
  });

  it('counts business days from a weekend to the next working day', () => {
    expect(addDuration(tokyo, jst('2026-04-11T10:00'), { amount: 1, unit: 'businessDays' })).toBe(jst('2026-04-13T10:00'));
  });

  it('zero of anything is no time at all', () => {
    for (const unit of ['minutes', 'hours', 'days', 'weeks', 'businessDays'] as const) {
      expect(addDuration(tokyo, jst('2026-04-11T10:00'), { amount: 0, unit })).toBe(jst('2026-04-11T10:00'));
    }
  });

  it('agrees with date-fns in every zone, DST gaps and overlaps included', () => {
    const zones = ['Asia/Tokyo', 'America/New_York', 'Europe/London', 'Australia/Sydney', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }),
        fc.integer({ min: 1, max: 400 }),
        fc.constantFrom('days' as const, 'weeks' as const),
        (zone, from, amount, unit) => {
          const settings: CalendarSettings = { timezone: zone, businessDays: tokyo.businessDays };
          const expected = (unit === 'days' ? addDays : addWeeks)(from, amount, { in: tz(zone) }).getTime();
          expect(addDuration(settings, from, { amount, unit })).toBe(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('agrees with date-fns near every 2026 daylight-saving change in New York and Sydney', () => {
    for (const [zone, change] of [
      ['America/New_York', Date.UTC(2026, 2, 8, 7)],
      ['America/New_York', Date.UTC(2026, 10, 1, 6)],
      ['Australia/Sydney', Date.UTC(2026, 3, 4, 16)],
      ['Australia/Sydney', Date.UTC(2026, 9, 3, 16)],
    ] as const) {
      const settings: CalendarSettings = { timezone: zone, businessDays: tokyo.businessDays };
      for (let offset = -26 * 60; offset <= 26 * 60; offset += 15) {
        const from = change - 86_400_000 + offset * 60_000;
        expect(iso(addDuration(settings, from, { amount: 1, unit: 'days' }))).toBe(iso(addDays(from, 1, { in: tz(zone) }).getTime()));
      }
    }
  });
});

describe('subtractDuration', () => {
  it('mirrors addDuration, business days included', () => {
    expect(subtractDuration(tokyo, jst('2026-05-07T10:00'), { amount: 2, unit: 'businessDays' })).toBe(jst('2026-04-30T10:00'));
    expect(subtractDuration(tokyo, jst('2026-04-09T09:00'), { amount: 3, unit: 'days' })).toBe(jst('2026-04-06T09:00'));
  });
});

describe('nextTimeOfDay', () => {
  it('is later the same day when the time is still ahead', () => {
    expect(nextTimeOfDay(tokyo, jst('2026-04-06T07:00'), '09:00', false)).toBe(jst('2026-04-06T09:00'));
  });

  it('is the next day once the time has passed, and strictly after `from`', () => {
    expect(nextTimeOfDay(tokyo, jst('2026-04-06T10:00'), '09:00', false)).toBe(jst('2026-04-07T09:00'));
    expect(nextTimeOfDay(tokyo, jst('2026-04-06T09:00'), '09:00', false)).toBe(jst('2026-04-07T09:00'));
  });

  it('skips weekends and holidays when asked for business days only', () => {
    expect(nextTimeOfDay(tokyo, jst('2026-04-24T10:00'), '09:00', true)).toBe(jst('2026-04-27T09:00'));
    expect(nextTimeOfDay(tokyo, jst('2026-05-01T10:00'), '09:00', true)).toBe(jst('2026-05-07T09:00'));
    expect(nextTimeOfDay(tokyo, jst('2026-04-24T10:00'), '09:00', false)).toBe(jst('2026-04-25T09:00'));
  });
});

describe('quietHoursEnd', () => {
  const overnight = { start: '20:00', end: '08:00', includeNonBusinessDays: false };

  it('is null outside quiet hours', () => {
    expect(quietHoursEnd(tokyo, overnight, jst('2026-04-06T12:00'))).toBeNull();
    expect(quietHoursEnd(tokyo, overnight, jst('2026-04-06T08:00'))).toBeNull();
  });

  it('ends an overnight window the next morning, or the same morning after midnight', () => {
    expect(quietHoursEnd(tokyo, overnight, jst('2026-04-06T22:00'))).toBe(jst('2026-04-07T08:00'));
    expect(quietHoursEnd(tokyo, overnight, jst('2026-04-07T03:00'))).toBe(jst('2026-04-07T08:00'));
    expect(quietHoursEnd(tokyo, overnight, jst('2026-04-06T20:00'))).toBe(jst('2026-04-07T08:00'));
  });

  it('ends a daytime window at its end', () => {
    expect(quietHoursEnd(tokyo, { start: '12:00', end: '13:00', includeNonBusinessDays: false }, jst('2026-04-06T12:30'))).toBe(jst('2026-04-06T13:00'));
  });

  it('with quiet weekends and holidays, a Friday night lasts until Monday morning', () => {
    const q = { ...overnight, includeNonBusinessDays: true };
    expect(quietHoursEnd(tokyo, q, jst('2026-04-24T22:00'))).toBe(jst('2026-04-27T08:00'));
    expect(quietHoursEnd(tokyo, q, jst('2026-04-25T12:00'))).toBe(jst('2026-04-27T08:00'));
    expect(quietHoursEnd(tokyo, q, jst('2026-05-02T12:00'))).toBe(jst('2026-05-07T08:00'));
  });

  it('an empty window (start = end) is never quiet', () => {
    expect(quietHoursEnd(tokyo, { start: '08:00', end: '08:00', includeNonBusinessDays: false }, jst('2026-04-06T08:00'))).toBeNull();
  });

  it('is evaluated in the scenario zone', () => {
    // 22:00 in New York is 11:00 the next day in Tokyo.
    expect(quietHoursEnd(newYork, overnight, Date.parse('2026-04-06T22:00:00-04:00'))).toBe(Date.parse('2026-04-07T08:00:00-04:00'));
  });
});

describe('isBusinessDay', () => {
  it('knows weekends, Japanese holidays and the zone', () => {
    expect(isBusinessDay(tokyo, jst('2026-04-28T23:00'))).toBe(true);
    expect(isBusinessDay(tokyo, jst('2026-04-29T01:00'))).toBe(false); // 昭和の日
    expect(isBusinessDay(tokyo, jst('2026-04-25T12:00'))).toBe(false); // Saturday
    expect(isBusinessDay({ ...tokyo, businessDays: { ...tokyo.businessDays, holidays: 'none' } }, jst('2026-04-29T12:00'))).toBe(true);
  });
});
