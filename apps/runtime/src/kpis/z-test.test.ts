import { describe, expect, it } from 'vitest';
import { erfc, normalCdf, twoProportionZTest, verdictOf } from './z-test.ts';

// Reference values computed independently with Python's math.erfc (the C library's), for
// z = (p2 − p1) / sqrt(p(1 − p)(1/n1 + 1/n2)) and p = erfc(|z| / √2); R's
// prop.test(c(x2, x1), c(n2, n1), correct = FALSE) gives the same p-values (its X-squared is z²).
const CASES = [
  { a: [200, 1000], b: [250, 1000], z: 2.677397763, p: 0.007419649261 },
  { a: [50, 500], b: [65, 500], z: 1.4868621413, p: 0.137051225 },
  { a: [10, 100], b: [12, 100], z: 0.4519846147, p: 0.6512800661 },
  { a: [120, 1000], b: [90, 1000], z: -2.1882658846, p: 0.0286502404 },
  { a: [500, 10000], b: [600, 10000], z: 3.1016140347, p: 0.001924687251 },
] as const;

describe('the two-proportion z-test', () => {
  it('200 of 1000 against 250 of 1000: z ≈ 2.68, p ≈ 0.0074 two-sided, as the textbook has it', () => {
    const r = twoProportionZTest({ conversions: 200, leads: 1000 }, { conversions: 250, leads: 1000 })!;
    expect(r.rateA).toBe(0.2);
    expect(r.rateB).toBe(0.25);
    expect(r.difference).toBeCloseTo(0.05, 12);
    expect(r.z).toBeCloseTo(2.68, 2);
    expect(r.pValue).toBeCloseTo(0.00742, 5);
    expect(r.confidence).toBeCloseTo(0.99258, 5);
    expect(verdictOf(r, 0.95)).toEqual({ kind: 'wins', level: 0.95 });
    expect(verdictOf(r, 0.99)).toEqual({ kind: 'wins', level: 0.99 });
    expect(verdictOf(r, 0.999)).toEqual({ kind: 'inconclusive', level: 0.999 });
  });

  it('matches the reference z and p-values to the precision of the approximation', () => {
    for (const c of CASES) {
      const r = twoProportionZTest({ conversions: c.a[0], leads: c.a[1] }, { conversions: c.b[0], leads: c.b[1] })!;
      expect(r.z).toBeCloseTo(c.z, 8);
      // erfcc's error is relative (< 1.2e-7 of the value).
      expect(Math.abs(r.pValue - c.p) / c.p).toBeLessThan(2e-7);
    }
  });

  it('a variant that converts worse loses; a small difference is inconclusive', () => {
    const worse = twoProportionZTest({ conversions: 120, leads: 1000 }, { conversions: 90, leads: 1000 });
    expect(verdictOf(worse, 0.95).kind).toBe('loses');
    expect(verdictOf(worse, 0.99).kind).toBe('inconclusive');
    expect(verdictOf(twoProportionZTest({ conversions: 50, leads: 500 }, { conversions: 65, leads: 500 }), 0.95).kind).toBe('inconclusive');
  });

  it('says too few leads below five conversions or non-conversions in a group, or with an empty group', () => {
    expect(verdictOf(twoProportionZTest({ conversions: 4, leads: 40 }, { conversions: 30, leads: 40 }), 0.95).kind).toBe('tooFewLeads');
    expect(verdictOf(twoProportionZTest({ conversions: 36, leads: 40 }, { conversions: 10, leads: 40 }), 0.95).kind).toBe('tooFewLeads');
    expect(twoProportionZTest({ conversions: 0, leads: 0 }, { conversions: 1, leads: 10 })).toBeNull();
    expect(verdictOf(null, 0.95).kind).toBe('tooFewLeads');
  });

  it('no conversions anywhere is no difference, not a division by zero', () => {
    const r = twoProportionZTest({ conversions: 0, leads: 100 }, { conversions: 0, leads: 100 })!;
    expect([r.z, r.pValue, r.difference]).toEqual([0, 1, 0]);
  });

  it('the normal CDF and erfc agree with tabulated values, in the tails too', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959963985)).toBeCloseTo(0.975, 7);
    expect(normalCdf(-1.644853627)).toBeCloseTo(0.05, 7);
    // Python: math.erfc(3) = 2.209049699858544e-05, math.erfc(5) = 1.5374597944280351e-12.
    expect(Math.abs(erfc(3) - 2.209049699858544e-5) / 2.209049699858544e-5).toBeLessThan(1.2e-7);
    expect(Math.abs(erfc(5) - 1.5374597944280351e-12) / 1.5374597944280351e-12).toBeLessThan(1.2e-7);
    expect(erfc(-1) + erfc(1)).toBeCloseTo(2, 12);
  });
});
