import { TZDate } from '@date-fns/tz';
import { describe, expect, it } from 'vitest';
import { fromLocal, toLocal } from './zone.ts';

const MINUTE = 60_000;
const iso = (t: number) => new Date(t).toISOString();

/** The instant date-fns gives for a wall-clock time (a UTC-based timeline value) in a zone. */
function dateFns(zone: string, local: number): number {
  const d = new Date(local);
  return new TZDate(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), 0, 0, zone).getTime();
}

describe('wall-clock times in a zone', () => {
  it('map to the instant date-fns gives, every 20 minutes through a year of offset changes (gaps and overlaps included)', () => {
    const wrong: string[] = [];
    for (const zone of ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Tokyo', 'Asia/Kathmandu']) {
      for (let local = Date.UTC(2026, 0, 1); local < Date.UTC(2027, 0, 1); local += 20 * MINUTE) {
        const at = fromLocal(zone, local);
        const want = dateFns(zone, local);
        if (at !== want) wrong.push(`${zone} ${iso(local)} → ${iso(at)}, date-fns ${iso(want)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('come back as themselves from the instants they map to, away from the hour a clock skips', () => {
    for (let local = Date.UTC(2026, 2, 1); local < Date.UTC(2026, 3, 1); local += 7 * MINUTE) {
      const zone = 'America/New_York';
      const at = fromLocal(zone, local);
      // 02:00–03:00 on 8 March does not exist there: it maps forward.
      if (local >= Date.UTC(2026, 2, 8, 2) && local < Date.UTC(2026, 2, 8, 3)) expect(toLocal(zone, at)).toBe(local + 60 * MINUTE);
      else expect(toLocal(zone, at)).toBe(local);
    }
  });
});
