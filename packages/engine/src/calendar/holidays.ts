import holidayJp from '@holiday-jp/holiday_jp';
import type { BusinessDays } from '@nurtureflow/scenario';
import { DAY, weekdayOf } from './zone.ts';

/** Japan's public holidays (祝日, including substitute and citizens' holidays) as a bitmap by day number. */
const jpHolidays: Uint8Array = (() => {
  const days = Object.keys(holidayJp.holidays).map(dayNumber);
  const map = new Uint8Array(Math.max(0, ...days) + 1);
  for (const d of days) if (d >= 0) map[d] = 1;
  return map;
})();

/** `YYYY-MM-DD` → days since 1970-01-01. */
export function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY;
}

/** A business-day calendar compiled once per settings object. */
export interface WorkCalendar {
  weekdayMask: number;
  jp: boolean;
  extra: ReadonlySet<number>;
}

const compiled = new WeakMap<BusinessDays, WorkCalendar>();

/** The compiled calendar of a `businessDays` setting (cached per object). */
export function workCalendar(businessDays: BusinessDays): WorkCalendar {
  let cal = compiled.get(businessDays);
  if (cal === undefined) {
    let mask = 0;
    for (const w of businessDays.weekdays) mask |= 1 << w;
    cal = { weekdayMask: mask, jp: businessDays.holidays === 'jp', extra: new Set(businessDays.extraHolidays.map(dayNumber)) };
    compiled.set(businessDays, cal);
  }
  return cal;
}

/** True when a local day number is a working day in the calendar. */
export function isWorkDay(cal: WorkCalendar, day: number): boolean {
  if ((cal.weekdayMask & (1 << weekdayOf(day))) === 0) return false;
  if (cal.jp && day >= 0 && day < jpHolidays.length && jpHolidays[day] === 1) return false;
  return cal.extra.size === 0 || !cal.extra.has(day);
}
