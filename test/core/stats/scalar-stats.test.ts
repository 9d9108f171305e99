import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ferrumT975, scalarStats } from '../../../src/core/stats/scalar-stats.js';

describe('scalarStats (ferrum ScalarStats, locked fields)', () => {
  it('matches the golden vectors of Appendix A.2', () => {
    expect(scalarStats([95, 100, 100, 100, 105])).toEqual({
      mean: 100,
      stddev: 3.5355339059327378,
      ci95_hw: 4.389241392313711,
    });
    expect(scalarStats([10, 12])).toEqual({ mean: 11, stddev: 0, ci95_hw: 0 });
    expect(scalarStats([])).toEqual({ mean: 0, stddev: 0, ci95_hw: 0 });
  });
  it("uses ferrum's t table, including its 1.96 from df 30", () => {
    expect([1, 2, 29, 30, 100].map(ferrumT975)).toEqual([12.706, 4.303, 2.045, 1.96, 1.96]);
    expect(ferrumT975(0)).toBe(Number.POSITIVE_INFINITY);
    // 31 values → df 30 → 1.96, not the exact 2.0423
    const values = Array.from({ length: 31 }, (_, i) => i);
    const s = scalarStats(values);
    expect(s.ci95_hw).toBe((1.96 * s.stddev) / Math.sqrt(31));
  });
  it('keeps its invariants on any input', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 60 }), (values) => {
        const s = scalarStats(values);
        if (values.length < 3) return s.stddev === 0 && s.ci95_hw === 0;
        const min = Math.min(...values);
        const max = Math.max(...values);
        const tol = 1e-9 * Math.max(1, Math.abs(min), Math.abs(max));
        return (
          s.stddev >= 0 &&
          s.ci95_hw >= 0 &&
          s.mean >= min - tol &&
          s.mean <= max + tol &&
          s.stddev <= max - min + tol
        );
      }),
    );
  });
  it('gives zero dispersion for identical values (why A.3 writes ITL as {"mean":60.0})', () => {
    expect(scalarStats([60, 60, 60])).toEqual({ mean: 60, stddev: 0, ci95_hw: 0 });
  });
});
