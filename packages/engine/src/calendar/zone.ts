import { TZDate, tzOffset } from '@date-fns/tz';
import type { Millis } from '../types.ts';

/** Milliseconds in a minute, an hour and a (24-hour) day. */
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/*
 * Wall-clock arithmetic in a time zone, fast enough for the engine's hot path. Offsets come from
 * @date-fns/tz (the platform's tz database), never from a table of our own; they are cached per
 * zone and UTC hour. Near an offset change (±3 h), local times are resolved by TZDate itself, so
 * gaps and overlaps behave exactly as date-fns does (a time in a spring-forward gap moves forward,
 * an ambiguous time takes the earlier instant).
 */

const zones = new Map<string, Map<number, number>>();
let lastZone = '';
let lastBuckets = new Map<number, number>();
// A one-entry memo in front of the map: consecutive lookups mostly hit the same hour.
let lastBucket = Number.NaN;
let lastOffset = Number.NaN;
/** Past this many cached hours per zone (about 57 years), start over rather than grow forever. */
const MAX_BUCKETS = 500_000;

function lookup(zone: string, utc: Millis): number {
  const minutes = tzOffset(zone, new Date(utc));
  // An unknown zone reads as UTC; the graph schema rejects unknown zones before they get here.
  return Number.isFinite(minutes) ? Math.round(minutes * MINUTE) : 0;
}

/** The zone's UTC offset in milliseconds at an instant. */
export function offsetAt(zone: string, utc: Millis): number {
  const bucket = Math.floor(utc / HOUR);
  if (bucket === lastBucket && zone === lastZone) return lastOffset === lastOffset ? lastOffset : lookup(zone, utc);
  let buckets = lastBuckets;
  if (zone !== lastZone) {
    let found = zones.get(zone);
    if (found === undefined) {
      found = new Map();
      zones.set(zone, found);
    }
    buckets = lastBuckets = found;
    lastZone = zone;
  }
  let offset = buckets.get(bucket);
  if (offset === undefined) {
    const start = bucket * HOUR;
    const first = lookup(zone, start);
    // An hour with an offset change inside is not cached as one value (NaN marks it).
    offset = first === lookup(zone, start + HOUR - 1) ? first : Number.NaN;
    if (buckets.size >= MAX_BUCKETS) buckets.clear();
    buckets.set(bucket, offset);
  }
  lastBucket = bucket;
  lastOffset = offset;
  return offset === offset ? offset : lookup(zone, utc);
}

/** The wall clock in `zone` at `utc`, as milliseconds of a UTC-based timeline (day math with UTC getters). */
export function toLocal(zone: string, utc: Millis): number {
  return utc + offsetAt(zone, utc);
}

/** The instant at which the wall clock in `zone` shows `local`. */
export function fromLocal(zone: string, local: number): Millis {
  const offset = offsetAt(zone, local - offsetAt(zone, local));
  const utc = local - offset;
  if (offsetAt(zone, utc - 3 * HOUR) === offset && offsetAt(zone, utc + 3 * HOUR) === offset) return utc;
  const d = new Date(local);
  return new TZDate(
    d.getUTCFullYear(),
    d.getUTCMonth(),
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
    zone,
  ).getTime();
}

/** Days since 1970-01-01 of a local timeline value. */
export function dayOf(local: number): number {
  return Math.floor(local / DAY);
}

/** 0 = Sunday … 6 = Saturday for a day number. */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}
