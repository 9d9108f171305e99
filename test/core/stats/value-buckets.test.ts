import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BUCKETS,
  bucketFromHighWord,
  bucketOf,
  highWordIndex,
} from '../../../src/core/stats/value-buckets.js';

describe('bucketOf', () => {
  it('is monotone over all finite doubles, negative ones included', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        (a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          return bucketOf(lo) <= bucketOf(hi);
        },
      ),
    );
    expect(bucketOf(-0)).toBeLessThanOrEqual(bucketOf(0));
  });

  it('is what the scans compute from the high word of a Uint32Array view', () => {
    const values = Float64Array.from([-1e300, -2.5, -0, 0, 1e-310, 1, 20.25, 1e300]);
    const words = new Uint32Array(values.buffer);
    const w = highWordIndex();
    values.forEach((v, i) => {
      expect(bucketFromHighWord(words[2 * i + w] as number)).toBe(bucketOf(v));
      expect(bucketOf(v)).toBeLessThan(BUCKETS);
    });
    // buckets are ≤ 0.4 % wide: 1 and 1.004 differ, 1 and 1.003 share one
    expect(bucketOf(1.004)).toBe(bucketOf(1) + 1);
    expect(bucketOf(1.003)).toBe(bucketOf(1));
  });
});
