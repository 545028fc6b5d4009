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

/**
 * One zone's cached offsets per UTC hour: a flat table over the years around the first hour asked
 * (an index, not a hash, on the hot path), and a map beyond it. NaN in the table: not looked up
 * yet; Infinity: the offset changes inside that hour.
 */
interface ZoneHours {
  zone: string;
  base: number;
  table: Float64Array;
  far: Map<number, number>;
  /**
   * Per local hour (same base): the offset every wall-clock time in it maps back with, when the
   * offset holds for a day around it (see steadyAround); NaN: not worked out yet; CHANGES: not steady.
   */
  steady: Float64Array;
}

/** Hours in a zone's table: about 7.5 years, centred on the first hour asked. */
const TABLE_HOURS = 1 << 16;
const CHANGES = Number.POSITIVE_INFINITY;
const zones = new Map<string, ZoneHours>();
// A one-entry memo in front of the table: consecutive lookups mostly hit the same zone.
let last: ZoneHours | null = null;
/** Past this many cached hours beyond the table (about 57 years), start over rather than grow forever. */
const MAX_BUCKETS = 500_000;

function lookup(zone: string, utc: Millis): number {
  const minutes = tzOffset(zone, new Date(utc));
  // An unknown zone reads as UTC; the graph schema rejects unknown zones before they get here.
  return Number.isFinite(minutes) ? Math.round(minutes * MINUTE) : 0;
}

/** The offset through a whole UTC hour, or CHANGES when it changes inside it. */
function hourOffset(zone: string, bucket: number): number {
  const start = bucket * HOUR;
  const first = lookup(zone, start);
  return first === lookup(zone, start + HOUR - 1) ? first : CHANGES;
}

function hoursOf(zone: string, bucket: number): ZoneHours {
  let z = zones.get(zone);
  if (z === undefined) {
    z = {
      zone,
      base: bucket - TABLE_HOURS / 2,
      table: new Float64Array(TABLE_HOURS).fill(Number.NaN),
      far: new Map(),
      steady: new Float64Array(TABLE_HOURS).fill(Number.NaN),
    };
    zones.set(zone, z);
  }
  return z;
}

/** The zone's UTC offset in milliseconds at an instant. */
export function offsetAt(zone: string, utc: Millis): number {
  const bucket = Math.floor(utc / HOUR);
  const offset = hourValue(zone, bucket);
  return offset === CHANGES ? lookup(zone, utc) : offset;
}

/** The offset through a UTC hour, cached, or CHANGES. */
function hourValue(zone: string, bucket: number): number {
  const z = last !== null && last.zone === zone ? last : (last = hoursOf(zone, bucket));
  const i = bucket - z.base;
  let offset: number | undefined;
  if (i >= 0 && i < TABLE_HOURS) {
    offset = z.table[i]!;
    if (offset !== offset) z.table[i] = offset = hourOffset(zone, bucket);
  } else {
    offset = z.far.get(bucket);
    if (offset === undefined) {
      offset = hourOffset(zone, bucket);
      if (z.far.size >= MAX_BUCKETS) z.far.clear();
      z.far.set(bucket, offset);
    }
  }
  return offset;
}

/** Hours on either side of a local hour that must share its offset for the hour to be steady. */
const STEADY_HOURS = 20;
/** Offsets beyond this (none today; a few local mean times of old) are never taken as steady. */
const STEADY_MAX_OFFSET = 16 * HOUR;

/**
 * The offset of a local hour when the UTC hours for STEADY_HOURS around it all have that one
 * offset: then every wall-clock time in the hour maps back by subtracting it, exactly as the
 * general path in fromLocal finds (its look-ups, up to the offset plus 3 hours away, all land in
 * that span). CHANGES otherwise.
 */
function steadyAround(zone: string, localBucket: number): number {
  const offset = hourValue(zone, localBucket);
  if (offset === CHANGES || Math.abs(offset) > STEADY_MAX_OFFSET) return CHANGES;
  for (let b = localBucket - STEADY_HOURS; b <= localBucket + STEADY_HOURS; b++) if (hourValue(zone, b) !== offset) return CHANGES;
  return offset;
}

/** The wall clock in `zone` at `utc`, as milliseconds of a UTC-based timeline (day math with UTC getters). */
export function toLocal(zone: string, utc: Millis): number {
  return utc + offsetAt(zone, utc);
}

/** The instant at which the wall clock in `zone` shows `local`. */
export function fromLocal(zone: string, local: number): Millis {
  // Most hours of most zones are far from an offset change: one look-up.
  const bucket = Math.floor(local / HOUR);
  const z = last !== null && last.zone === zone ? last : (last = hoursOf(zone, bucket));
  const i = bucket - z.base;
  if (i >= 0 && i < TABLE_HOURS) {
    let steady = z.steady[i]!;
    if (steady !== steady) z.steady[i] = steady = steadyAround(zone, bucket);
    if (steady !== CHANGES) return local - steady;
  }
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
