// Welch's test against SciPy's ttest_ind(equal_var=False) (test/fixtures/student-t.json), the
// not-assessable rule, and the coverage of the ratio interval by simulation.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { standardNormal } from '../../../src/core/random/normal.js';
import { deriveStream } from '../../../src/core/random/streams.js';
import { welchTTest, welchTTestFromSummaries } from '../../../src/core/stats/welch.js';

interface WelchCase {
  a: number[];
  b: number[];
  t: number;
  df: number;
  p_value: number;
}
const cases = (
  JSON.parse(readFileSync(new URL('../../fixtures/student-t.json', import.meta.url), 'utf8')) as {
    welch: WelchCase[];
  }
).welch;

describe('welchTTest', () => {
  it.each(cases.map((c, i) => [i, c] as const))(
    'matches SciPy on case %d (t for B − A, df, two-sided p)',
    (_, c) => {
      const r = welchTTest(c.a, c.b);
      if (!r.assessable) throw new Error('expected an assessable result');
      expect(r.t).toBeCloseTo(c.t, 10);
      expect(r.df).toBeCloseTo(c.df, 10);
      expect(Math.abs(r.pValue - c.p_value)).toBeLessThan(1e-12);
    },
  );

  it('is not assessable below 3 values on either side, and says why', () => {
    const r = welchTTest([1, 2], [3, 4, 5]);
    expect(r.assessable).toBe(false);
    if (!r.assessable) expect(r.reason).toContain('A has 2');
    // missing repeats do not count
    expect(welchTTest([1, 2, null], [3, 4, 5]).assessable).toBe(false);
  });

  it('gives the ratio B/A with a positive, asymmetric interval around it', () => {
    const r = welchTTest([100, 101, 99], [200, 230, 170, 260, 150, 190, 210]);
    if (!r.assessable) throw new Error('expected an assessable result');
    expect(r.ratio).toBeCloseTo(1410 / 7 / 100, 12);
    const ci = r.ratioCi95;
    expect(ci).not.toBeNull();
    if (ci === null) return;
    expect(ci.low).toBeLessThan(r.ratio as number);
    expect(ci.high).toBeGreaterThan(r.ratio as number);
    expect(Math.log(ci.high) - Math.log(r.ratio as number)).toBeCloseTo(
      Math.log(r.ratio as number) - Math.log(ci.low),
      12,
    );
  });

  it('handles zero variance on both sides and non-positive means', () => {
    const same = welchTTestFromSummaries({ mean: 5, stddev: 0, n: 3 }, { mean: 5, stddev: 0, n: 3 });
    expect(same).toMatchObject({
      assessable: true,
      t: 0,
      pValue: 1,
      ratio: 1,
      ratioCi95: { low: 1, high: 1 },
    });
    const apart = welchTTestFromSummaries({ mean: 5, stddev: 0, n: 3 }, { mean: 6, stddev: 0, n: 3 });
    expect(apart).toMatchObject({ t: Number.POSITIVE_INFINITY, pValue: 0, df: 4 });
    const zero = welchTTestFromSummaries({ mean: 0, stddev: 1, n: 3 }, { mean: 6, stddev: 1, n: 3 });
    expect(zero).toMatchObject({ ratio: null, ratioCi95: null });
  });

  it('covers the true ratio about 95 % of the time (delta method, 2 000 simulated pairs of 10 repeats)', () => {
    const rng = deriveStream({ seed: 11, purpose: 'test' });
    const sample = (mean: number, sd: number) =>
      Array.from({ length: 10 }, () => mean + sd * standardNormal(rng));
    let covered = 0;
    const trials = 2000;
    for (let i = 0; i < trials; i++) {
      const r = welchTTest(sample(100, 5), sample(120, 8));
      if (r.assessable && r.ratioCi95 !== null && r.ratioCi95.low <= 1.2 && r.ratioCi95.high >= 1.2)
        covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.93);
    expect(covered / trials).toBeLessThan(0.97);
  });
});
