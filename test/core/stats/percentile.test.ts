import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderStatistics, percentilesOf } from '../../../src/core/stats/order-statistics.js';
import { percentile, percentileSorted, percentiles } from '../../../src/core/stats/percentile.js';

const ONE_TO_TEN = [10, 3, 7, 1, 9, 2, 8, 4, 6, 5];
// duplicates are the interesting case for partitioning
const samples = fc.array(
  fc.oneof(fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 1e4, noNaN: true })),
  {
    minLength: 1,
    maxLength: 300,
  },
);
const q = fc.double({ min: 0, max: 1, noNaN: true });

describe('percentile (numpy linear, ferrum §3.1)', () => {
  it('gives ferrum golden values for 1..10 (Appendix A.2)', () => {
    expect(percentiles(ONE_TO_TEN, [0.5, 0.75, 0.95, 0.99])).toEqual([5.5, 7.75, 9.549999999999999, 9.91]);
  });
  it('gives 0 for no values and the value itself for one', () => {
    expect(percentile([], 0.99)).toBe(0);
    expect(percentile([42], 0.01)).toBe(42);
    expect(percentile([7, 7, 7], 0.3)).toBe(7);
  });
  it('does not modify its input', () => {
    const input = [3, 1, 2];
    percentile(input, 0.5);
    expect(input).toEqual([3, 1, 2]);
  });
  it('is monotone in q and bounded by min and max, to within rounding', () => {
    // ferrum's x[lo]·(1 − f) + x[hi]·f (kept bit for bit for the golden vectors) is not exactly
    // bounded in floating point: [3, 3, 3] at q = 0.0006028962780847414 gives 3.0000000000000004.
    // So the property allows a few units in the last place, and no more.
    fc.assert(
      fc.property(samples, q, q, (values, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const pLo = percentile(values, lo);
        const pHi = percentile(values, hi);
        const min = Math.min(...values);
        const max = Math.max(...values);
        const ulps = 4 * Number.EPSILON * Math.max(Math.abs(min), Math.abs(max), Number.MIN_VALUE);
        return pLo <= pHi + ulps && pLo >= min - ulps && pHi <= max + ulps;
      }),
    );
    expect(percentile([3, 3, 3], 0.0006028962780847414)).toBe(3.0000000000000004);
  });
});

describe('selection gives the same quantiles as sorting', () => {
  it('percentilesOf equals percentileSorted on a sorted copy, bit for bit', () => {
    fc.assert(
      fc.property(samples, fc.array(q, { minLength: 1, maxLength: 6 }), (values, qs) => {
        const sorted = Float64Array.from(values).sort();
        const got = percentilesOf(Float64Array.from(values), qs);
        return got.every((v, i) => Object.is(v, percentileSorted(sorted, qs[i] as number)));
      }),
    );
  });
  it('OrderStatistics answers any sequence of ranks and windows like a sorted copy', () => {
    fc.assert(
      fc.property(
        samples,
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 40 })), { maxLength: 10 }),
        (values, asks) => {
          const os = new OrderStatistics(Float64Array.from(values));
          const sorted = Float64Array.from(values).sort();
          return asks.every(([r, width]) => {
            const rank = r % values.length;
            if (width % 2 === 0) os.sortWindows([[rank - width, rank + width]]);
            return (
              os.at(rank) === sorted[rank] &&
              os.quantile(rank / values.length) === percentileSorted(sorted, rank / values.length)
            );
          });
        },
      ),
    );
  });
  it('handles a large all-equal and an already sorted array', () => {
    const equal = new Float64Array(100_000).fill(3);
    expect(percentilesOf(equal, [0.5, 0.99])).toEqual([3, 3]);
    const ascending = Float64Array.from({ length: 100_001 }, (_, i) => i);
    expect(percentilesOf(ascending, [0.5, 0.99])).toEqual([50_000, 99_000]);
  });
});
