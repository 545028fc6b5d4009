import type { BusinessDays, Duration, QuietHours } from '@nurtureflow/scenario';
import { isWorkDay, workCalendar, type WorkCalendar } from './calendar/holidays.ts';
import { DAY, HOUR, MINUTE, dayOf, fromLocal, toLocal } from './calendar/zone.ts';
import type { Millis } from './types.ts';

/** What calendar math needs from a scenario's settings. */
export interface CalendarSettings {
  timezone: string;
  businessDays: BusinessDays;
}

/** The scenario defaults: Tokyo, Monday to Friday, Japanese public holidays. */
export const DEFAULT_CALENDAR: CalendarSettings = {
  timezone: 'Asia/Tokyo',
  businessDays: { weekdays: [1, 2, 3, 4, 5], holidays: 'jp', extraHolidays: [] },
};

/** A calendar with no working day at all would never end a business-day wait; give up after ten years. */
const MAX_SKIP = 3660;

function nextWorkDay(cal: WorkCalendar, day: number, step: 1 | -1): number {
  for (let i = 0; i < MAX_SKIP; i++) {
    day += step;
    if (isWorkDay(cal, day)) return day;
  }
  return day;
}

/** `from` plus a duration: minutes and hours are elapsed time; days and weeks keep the wall-clock time; business days also skip weekends and holidays. */
export function addDuration(settings: CalendarSettings, from: Millis, duration: Duration): Millis {
  return shift(settings, from, duration, 1);
}

/** `from` minus a duration, the mirror of `addDuration` (used for look-back windows). */
export function subtractDuration(settings: CalendarSettings, from: Millis, duration: Duration): Millis {
  return shift(settings, from, duration, -1);
}

function shift(settings: CalendarSettings, from: Millis, { amount, unit }: Duration, sign: 1 | -1): Millis {
  switch (unit) {
    case 'minutes':
      return from + sign * amount * MINUTE;
    case 'hours':
      return from + sign * amount * HOUR;
    case 'days':
    case 'weeks': {
      if (amount === 0) return from;
      const zone = settings.timezone;
      return fromLocal(zone, toLocal(zone, from) + sign * amount * (unit === 'days' ? DAY : 7 * DAY));
    }
    case 'businessDays': {
      if (amount === 0) return from;
      const zone = settings.timezone;
      const cal = workCalendar(settings.businessDays);
      const local = toLocal(zone, from);
      let day = dayOf(local);
      const timeOfDay = local - day * DAY;
      for (let n = 0; n < amount; n++) day = nextWorkDay(cal, day, sign);
      return fromLocal(zone, day * DAY + timeOfDay);
    }
  }
}

const parsedTimes = new Map<string, number>();
// Two memos in front of the map: quiet hours ask for their start and their end, in turn.
let memoA = '';
let memoAMs = 0;
let memoB = '';
let memoBMs = 0;

/** `HH:MM` → milliseconds after midnight. */
export function timeOfDayMs(hhmm: string): number {
  if (hhmm === memoA) return memoAMs;
  if (hhmm === memoB) return memoBMs;
  let ms = parsedTimes.get(hhmm);
  if (ms === undefined) {
    ms = (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))) * MINUTE;
    parsedTimes.set(hhmm, ms);
  }
  memoB = memoA;
  memoBMs = memoAMs;
  memoA = hhmm;
  memoAMs = ms;
  return ms;
}

/**
 * The first instant strictly after `from` at which the wall clock shows `hhmm`, on a business day
 * when asked. Strictly after, so a loop through "wait until 09:00" always waits.
 */
export function nextTimeOfDay(settings: CalendarSettings, from: Millis, hhmm: string, businessDaysOnly: boolean): Millis {
  const zone = settings.timezone;
  const cal = businessDaysOnly ? workCalendar(settings.businessDays) : null;
  const time = timeOfDayMs(hhmm);
  let day = dayOf(toLocal(zone, from));
  for (let i = 0; i < MAX_SKIP; i++, day++) {
    if (cal !== null && !isWorkDay(cal, day)) continue;
    const at = fromLocal(zone, day * DAY + time);
    if (at > from) return at;
  }
  return fromLocal(zone, day * DAY + time);
}

/** True when the local calendar day of `at` is a business day. */
export function isBusinessDay(settings: CalendarSettings, at: Millis): boolean {
  return isWorkDay(workCalendar(settings.businessDays), dayOf(toLocal(settings.timezone, at)));
}

/**
 * When the quiet period around `at` ends, or null when `at` is not in quiet hours. Handles
 * overnight windows (20:00–08:00) and, with `includeNonBusinessDays`, whole quiet weekends and
 * holidays. A window whose start equals its end is empty.
 */
export function quietHoursEnd(settings: CalendarSettings, quietHours: QuietHours, at: Millis): Millis | null {
  const zone = settings.timezone;
  const start = timeOfDayMs(quietHours.start);
  const end = timeOfDayMs(quietHours.end);
  const cal = quietHours.includeNonBusinessDays ? workCalendar(settings.businessDays) : null;
  if (start === end && cal === null) return null;
  let t = at;
  for (let i = 0; i < MAX_SKIP; i++) {
    const local = toLocal(zone, t);
    const day = dayOf(local);
    const time = local - day * DAY;
    let until: number;
    if (cal !== null && !isWorkDay(cal, day)) until = (day + 1) * DAY;
    else if (start < end && time >= start && time < end) until = day * DAY + end;
    else if (start > end && time >= start) until = (day + 1) * DAY + end;
    else if (start > end && time < end) until = day * DAY + end;
    else return t === at ? null : t;
    const next = fromLocal(zone, until);
    // A wall-clock time that does not exist that day can map back to `t`; never stand still.
    t = next > t ? next : t + MINUTE;
  }
  return t;
}
