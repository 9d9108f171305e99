import { describe, expect, it } from 'vitest';
import { deriveStream } from '../../../src/core/random/streams.js';
import { bootstrapPercentileCi } from '../../../src/core/stats/bootstrap.js';
import { percentileSorted } from '../../../src/core/stats/percentile.js';

function exponentialSample(n: number, seed: number): number[] {
  const rng = deriveStream({ seed, purpose: 'data' });
  return Array.from({ length: n }, () => -Math.log1p(-rng.nextFloat()) * 100);
}

/** The textbook bootstrap: resample n values with replacement, take the quantile, repeat. */
function naiveBootstrap(
  values: number[],
  q: number,
  resamples: number,
  seed: number,
): { low: number; high: number } {
  const rng = deriveStream({ seed, purpose: 'naive' });
  const reps = new Float64Array(resamples);
  const buf = new Float64Array(values.length);
  for (let i = 0; i < resamples; i++) {
    for (let j = 0; j < values.length; j++)
      buf[j] = values[Math.floor(rng.nextFloat() * values.length)] as number;
    buf.sort();
    reps[i] = percentileSorted(buf, q);
  }
  reps.sort();
  return { low: percentileSorted(reps, 0.025), high: percentileSorted(reps, 0.975) };
}

describe('bootstrapPercentileCi', () => {
  it('is deterministic for a seed and label, and differs across seeds', () => {
    const data = exponentialSample(500, 1);
    const a = bootstrapPercentileCi(data, 0.9, { seed: 5, resamples: 500 });
    expect(bootstrapPercentileCi(data, 0.9, { seed: 5, resamples: 500 })).toEqual(a);
    expect(bootstrapPercentileCi(data, 0.9, { seed: 6, resamples: 500 })).not.toEqual(a);
    expect(bootstrapPercentileCi(data, 0.9, { seed: 5, resamples: 500, label: 'other' })).not.toEqual(a);
  });

  it('agrees with the naive resample-and-sort bootstrap (same distribution, O(1) per resample)', () => {
    const data = exponentialSample(40, 2);
    const range = Math.max(...data) - Math.min(...data);
    for (const q of [0.5, 0.9, 0.99]) {
      const fast = bootstrapPercentileCi(data, q, { seed: 3, resamples: 20_000 });
      const naive = naiveBootstrap(data, q, 20_000, 4);
      expect(fast).not.toBeNull();
      expect(Math.abs((fast?.low as number) - naive.low)).toBeLessThan(0.02 * range);
      expect(Math.abs((fast?.high as number) - naive.high)).toBeLessThan(0.02 * range);
    }
  });

  it('brackets the sample quantile and narrows with more data', () => {
    const small = bootstrapPercentileCi(exponentialSample(200, 7), 0.5, { seed: 1, resamples: 2000 });
    const large = bootstrapPercentileCi(exponentialSample(200_000, 7), 0.5, { seed: 1, resamples: 2000 });
    for (const ci of [small, large]) {
      expect(ci?.low).toBeLessThanOrEqual(ci?.value as number);
      expect(ci?.high).toBeGreaterThanOrEqual(ci?.value as number);
    }
    expect((large?.high as number) - (large?.low as number)).toBeLessThan(
      ((small?.high as number) - (small?.low as number)) / 10,
    );
  });

  it('handles the edges', () => {
    expect(bootstrapPercentileCi([], 0.5, { seed: 1, resamples: 10 })).toBeNull();
    expect(bootstrapPercentileCi([4], 0.99, { seed: 1, resamples: 10 })).toEqual({
      value: 4,
      low: 4,
      high: 4,
    });
    expect(() => bootstrapPercentileCi([1, 2], 0.5, { seed: 1, resamples: 0 })).toThrow(RangeError);
  });
});
