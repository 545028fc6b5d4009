// The statistics of an A/B split: the standard two-proportion z-test with a pooled proportion, as
// in any statistics textbook (and R's prop.test without continuity correction, whose X-squared is
// z²). Pure functions, no I/O.

/**
 * The complementary error function with a fractional error below 1.2e-7 everywhere — relative, so
 * small p-values in the tails stay accurate. Numerical Recipes in C, 2nd ed. (Press, Teukolsky,
 * Vetterling, Flannery, 1992), §6.2, `erfcc`: a Chebyshev fit of exp(z²)·erfc(z).
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const ans =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? ans : 2 - ans;
}

/** The standard normal distribution's CDF, Φ(z). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Conversions out of leads, in one group. */
export interface Proportion {
  conversions: number;
  leads: number;
}

/** The test of B against A (the control). */
export interface ZTestResult {
  rateA: number;
  rateB: number;
  /** rateB − rateA. */
  difference: number;
  /** (rateB − rateA) / SE under the pooled proportion; 0 when no difference can be measured. */
  z: number;
  /** Two-sided: the chance of a difference at least this large if A and B converted alike. */
  pValue: number;
  /** 1 − pValue. */
  confidence: number;
  /**
   * Whether the normal approximation holds: every group has at least 5 conversions and 5 leads
   * without one (the textbook rule). Below it, the p-value is only indicative.
   */
  adequate: boolean;
}

/**
 * Two-proportion z-test, pooled, two-sided. Null when a group has no leads. With no conversions
 * (or only conversions) in both groups the rates cannot differ: z = 0, p = 1.
 */
export function twoProportionZTest(a: Proportion, b: Proportion): ZTestResult | null {
  if (a.leads <= 0 || b.leads <= 0) return null;
  const rateA = a.conversions / a.leads;
  const rateB = b.conversions / b.leads;
  const pooled = (a.conversions + b.conversions) / (a.leads + b.leads);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.leads + 1 / b.leads));
  const z = se === 0 ? 0 : (rateB - rateA) / se;
  const pValue = Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
  const adequate = [a, b].every((g) => g.conversions >= 5 && g.leads - g.conversions >= 5);
  return { rateA, rateB, difference: rateB - rateA, z, pValue, confidence: 1 - pValue, adequate };
}

/** What the test says of B against the control at a confidence level. */
export type Verdict =
  /** B converts better, significant at the level. */
  | { kind: 'wins'; level: number }
  /** B converts worse, significant at the level: the control wins. */
  | { kind: 'loses'; level: number }
  /** No significant difference yet. */
  | { kind: 'inconclusive'; level: number }
  /** Too few leads or conversions for the test to mean anything yet. */
  | { kind: 'tooFewLeads'; level: number };

/** The verdict of a test at `level` (0.95 for 95%). */
export function verdictOf(result: ZTestResult | null, level: number): Verdict {
  if (result === null || !result.adequate) return { kind: 'tooFewLeads', level };
  if (result.pValue >= 1 - level) return { kind: 'inconclusive', level };
  return { kind: result.difference > 0 ? 'wins' : 'loses', level };
}
