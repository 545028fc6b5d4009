// An instant as clients write it: ISO 8601 with an offset, within the years both Postgres and
// JavaScript store exactly. Without the range, 9999-12-31T23:59:59-14:00 (year 10000 in UTC) or
// year 0 would pass the format check and fail in the database with a 500.
import { z } from 'zod';

const EARLIEST = Date.UTC(1900, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** An ISO 8601 time with an offset, from 1900 to 9999 (UTC), that names a real day and hour. */
export function instantSchema(example = '2026-04-06T09:00:00+09:00') {
  return z.iso
    .datetime({ offset: true, abort: true, error: `must be an ISO 8601 time with an offset, e.g. ${example}` })
    .refine(
      (s) => {
        const t = Date.parse(s);
        return Number.isFinite(t) && t >= EARLIEST && t <= LATEST;
      },
      { error: 'must be a real time from the year 1900 to 9999' },
    );
}
