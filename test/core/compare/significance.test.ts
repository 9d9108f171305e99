import { describe, expect, it } from 'vitest';
import type { MetricSample } from '../../../src/core/compare/metric-sample.js';
import { assess } from '../../../src/core/compare/significance.js';

const sample = (mean: number | null, stddev: number, n: number, ci95Hw = 0): MetricSample => ({
  mean,
  stddev: mean === null ? null : stddev,
  n,
  ci95Hw,
  source: 'locked',
  ...(mean === null ? { unavailable: 'no samples' } : {}),
});

describe('assess: the statistics', () => {
  it('matches SciPy ttest_ind_from_stats(100, 3, 5, 110, 4, 4, equal_var=False)', () => {
    // SciPy 1.17: statistic −4.1522739926869985 (A − B), p 0.0073107023908034465, df 5.475854584915899;
    // ratio interval by the delta method on the log scale, t quantile from SciPy: 1.0404832330357954 … 1.1629211904449526
    const r = assess(sample(100, 3, 5), sample(110, 4, 4), 'lower_is_better', 0.05);
    const w = r.welch!;
    expect(w.t).toBeCloseTo(4.1522739926869985, 12);
    expect(w.df).toBeCloseTo(5.475854584915899, 12);
    expect(w.pValue).toBeCloseTo(0.0073107023908034465, 9);
    expect(w.ratioCi95![0]).toBeCloseTo(1.0404832330357954, 9);
    expect(w.ratioCi95![1]).toBeCloseTo(1.1629211904449526, 9);
    expect(r.ratio).toBeCloseTo(1.1, 12);
    expect(r.changePct).toBeCloseTo(10, 10);
  });

  it('is symmetric: swapping A and B flips t and keeps p', () => {
    const ab = assess(sample(5, 1, 3), sample(7, 2, 6), 'lower_is_better', 0.05).welch!;
    const ba = assess(sample(7, 2, 6), sample(5, 1, 3), 'lower_is_better', 0.05).welch!;
    expect(ba.t).toBeCloseTo(-ab.t, 12);
    expect(ba.pValue).toBeCloseTo(ab.pValue, 12);
  });
});

describe('assess', () => {
  it.each([
    // direction, A mean, B mean → verdict
    ['lower_is_better', 100, 120, 'worse'],
    ['lower_is_better', 120, 100, 'better'],
    ['higher_is_better', 100, 120, 'better'],
    ['higher_is_better', 120, 100, 'worse'],
  ] as const)('%s: %d → %d is %s when significant', (direction, a, b, verdict) => {
    const r = assess(sample(a, 2, 5), sample(b, 2, 5), direction, 0.05);
    expect(r.verdict).toBe(verdict);
    expect(r.welch!.pValue).toBeLessThan(0.001);
  });

  it('regressionPct is the change in the bad direction, in % of A', () => {
    expect(assess(sample(100, 1, 3), sample(110, 1, 3), 'lower_is_better', 0.05).regressionPct).toBeCloseTo(
      10,
      10,
    );
    expect(assess(sample(100, 1, 3), sample(90, 1, 3), 'higher_is_better', 0.05).regressionPct).toBeCloseTo(
      10,
      10,
    );
    expect(assess(sample(100, 1, 3), sample(90, 1, 3), 'lower_is_better', 0.05).regressionPct).toBeCloseTo(
      -10,
      10,
    );
  });

  it('overlapping noise is no significant change', () => {
    const r = assess(sample(100, 10, 3), sample(103, 10, 3), 'lower_is_better', 0.05);
    expect(r.verdict).toBe('no_significant_change');
    expect(r.welch!.pValue).toBeGreaterThan(0.5);
  });

  it.each([
    [1, 1],
    [2, 5],
    [5, 2],
  ])(
    'n=%d vs n=%d is not assessable however large the difference; the seed rule would still say "differ"',
    (nA, nB) => {
      const r = assess(sample(100, 0, nA), sample(1000, 0, nB), 'lower_is_better', 0.05);
      expect(r.verdict).toBe('not_assessable');
      expect(r.reason).toContain('fewer than 3 repeats');
      expect(r.overlap).toBe('differ');
      expect(r.ratio).toBe(10);
    },
  );

  it('an unavailable side is not assessable and says which side', () => {
    const r = assess(sample(100, 1, 3), sample(null, 0, 0), 'lower_is_better', 0.05);
    expect(r).toMatchObject({ verdict: 'not_assessable', ratio: null, overlap: 'n/a' });
    expect(r.reason).toBe('B: no samples');
  });

  it('zero spread on both sides: equal means are no change (p = 1), different means differ (p = 0)', () => {
    expect(assess(sample(60, 0, 3), sample(60, 0, 3), 'lower_is_better', 0.05)).toMatchObject({
      verdict: 'no_significant_change',
      welch: { pValue: 1 },
    });
    expect(assess(sample(60, 0, 3), sample(61, 0, 3), 'lower_is_better', 0.05)).toMatchObject({
      verdict: 'worse',
      welch: { pValue: 0 },
    });
  });

  it('alpha is the threshold on p', () => {
    const a = sample(100, 5, 4);
    const b = sample(108, 5, 4);
    const p = assess(a, b, 'lower_is_better', 0.05).welch!.pValue;
    expect(assess(a, b, 'lower_is_better', p * 1.01).verdict).toBe('worse');
    expect(assess(a, b, 'lower_is_better', p * 0.99).verdict).toBe('no_significant_change');
  });
});
