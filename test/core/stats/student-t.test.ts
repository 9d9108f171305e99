// The exact Student-t against SciPy (test/fixtures/student-t.json, written by
// scripts/gen-student-t.py): 3 000 quantiles for df 1..1000 at p 0.95 / 0.975 / 0.995, a sparse
// grid up to df 1e5 and real df, and CDF values.

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { studentTCdf, studentTQuantile, studentTSurvival } from '../../../src/core/stats/student-t.js';

interface Reference {
  quantiles: Array<[number, number, number]>;
  cdf: Array<[number, number, number]>;
}
const reference = JSON.parse(
  readFileSync(new URL('../../fixtures/student-t.json', import.meta.url), 'utf8'),
) as Reference;

describe('studentTQuantile', () => {
  it('matches SciPy to 1e-9 relative on every reference value', () => {
    let worst = 0;
    for (const [df, p, expected] of reference.quantiles) {
      const err = Math.abs(studentTQuantile(p, df) - expected) / Math.max(1, Math.abs(expected));
      worst = Math.max(worst, err);
    }
    expect(reference.quantiles.length).toBeGreaterThan(3000);
    expect(worst).toBeLessThan(1e-9);
  });
  it('gives t(0.975, 30) = 2.0423, where ferrum used 1.96', () => {
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.0423, 4);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.3027, 4);
  });
  it('handles the edges', () => {
    expect(studentTQuantile(0.5, 7)).toBe(0);
    expect(studentTQuantile(0, 3)).toBe(Number.NEGATIVE_INFINITY);
    expect(studentTQuantile(1, 3)).toBe(Number.POSITIVE_INFINITY);
    expect(() => studentTQuantile(0.975, 0)).toThrow(RangeError);
    expect(() => studentTQuantile(1.5, 3)).toThrow(RangeError);
  });
  it('inverts the CDF and is antisymmetric', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.double({ min: 0.5, max: 500, noNaN: true }),
        (p, df) => {
          const t = studentTQuantile(p, df);
          return (
            Math.abs(studentTCdf(t, df) - p) < 1e-12 &&
            Math.abs(t + studentTQuantile(1 - p, df)) < 1e-9 * Math.max(1, Math.abs(t))
          );
        },
      ),
    );
  });
});

describe('studentTCdf', () => {
  it('matches SciPy to 1e-12', () => {
    for (const [t, df, expected] of reference.cdf)
      expect(Math.abs(studentTCdf(t, df) - expected)).toBeLessThan(1e-12);
  });
  it('is the complement of the survival function', () => {
    expect(studentTCdf(1.3, 5) + studentTSurvival(1.3, 5)).toBeCloseTo(1, 15);
    expect(studentTCdf(Number.POSITIVE_INFINITY, 5)).toBe(1);
    expect(studentTSurvival(Number.NEGATIVE_INFINITY, 5)).toBe(1);
  });
});
