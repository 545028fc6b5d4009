import { describe, expect, it } from 'vitest';
import { splitBucket, trackingCode } from './split-bucket.ts';

describe('splitBucket', () => {
  it('is fixed forever for (lead, scenario, node): these values must never change', () => {
    expect(splitBucket('lead-1', 'welcome', 'split-1')).toBe(0.7208442457485944);
    expect(splitBucket('0190c0a5-7b1e-7f7a-9d8e-1a2b3c4d5e6f', 'seminar-follow', 's1')).toBe(0.16417534952051938);
  });

  it('lies in [0, 1) and depends on every part', () => {
    const b = splitBucket('lead-1', 'welcome', 'split-1');
    expect(b).toBeGreaterThanOrEqual(0);
    expect(b).toBeLessThan(1);
    expect(splitBucket('lead-2', 'welcome', 'split-1')).not.toBe(b);
    expect(splitBucket('lead-1', 'welcome-2', 'split-1')).not.toBe(b);
    expect(splitBucket('lead-1', 'welcome', 'split-2')).not.toBe(b);
    // The separator keeps ("ab", "c") apart from ("a", "bc").
    expect(splitBucket('ab', 'c', 'n')).not.toBe(splitBucket('a', 'bc', 'n'));
  });

  it('spreads sequential lead ids evenly over ten deciles', () => {
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[Math.floor(splitBucket(`lead-${i}`, 'welcome', 'ab') * 10)]!++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
  });
});

describe('trackingCode', () => {
  it('is a stable 14-character base-36 code per (lead, scenario, node)', () => {
    const code = trackingCode('lead-1', 'dormant-dm', 'd1');
    expect(code).toBe('0nsidki10wb1u8');
    expect(code).toBe(trackingCode('lead-1', 'dormant-dm', 'd1'));
    expect(code).not.toBe(trackingCode('lead-2', 'dormant-dm', 'd1'));
  });
});
