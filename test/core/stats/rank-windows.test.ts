// The one-pass rank windows against a sorted copy: exact values or a clean refusal (null), never
// a wrong value; and the large-sample paths of percentilesOf / OrderStatistics that use them.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveStream } from '../../../src/core/random/streams.js';
import { OrderStatistics, percentilesOf } from '../../../src/core/stats/order-statistics.js';
import { percentileSorted } from '../../../src/core/stats/percentile.js';
import { bucketOf, extractRankWindows } from '../../../src/core/stats/rank-windows.js';

function split(values: readonly number[], cuts: readonly number[]): Float64Array[] {
  const points = [...new Set(cuts.map((c) => c % (values.length + 1)))].sort((a, b) => a - b);
  const parts: Float64Array[] = [];
  let from = 0;
  for (const p of [...points, values.length]) {
    parts.push(Float64Array.from(values.slice(from, p)));
    from = p;
  }
  return parts;
}

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
});

describe('extractRankWindows', () => {
  it('returns exact order statistics for every covered rank, or null', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 30 })), {
          minLength: 1,
          maxLength: 3000,
        }),
        fc.array(fc.nat(), { maxLength: 3 }),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 50 })), { minLength: 1, maxLength: 5 }),
        (values, cuts, asks) => {
          const n = values.length;
          const sorted = Float64Array.from(values).sort();
          const wanted = asks.map(([r, w]): [number, number] => [r % n, Math.min(n - 1, (r % n) + w)]);
          const windows = extractRankWindows(split(values, cuts), wanted);
          if (windows === null) return true;
          const exact = windows.every((w) => w.values.every((v, i) => Object.is(v, sorted[w.from + i])));
          const covered = wanted.every(([from, to]) =>
            windows.some((w) => from >= w.from && to < w.from + w.values.length),
          );
          return exact && covered;
        },
      ),
    );
  });

  it('covers the usual windows of a large sample in one pass, copying a small part of it', () => {
    const rng = deriveStream({ seed: 1, purpose: 'test' });
    const parts = [0, 1, 2].map(() =>
      Float64Array.from({ length: 100_000 }, () => -Math.log1p(-rng.nextFloat()) * 40),
    );
    const n = 300_000;
    const wanted: Array<[number, number]> = [0.5, 0.9, 0.99].map((q) => [
      Math.floor(q * (n - 1)) - 500,
      Math.floor(q * (n - 1)) + 500,
    ]);
    const windows = extractRankWindows(parts, wanted);
    expect(windows).not.toBeNull();
    const sorted = Float64Array.from(parts.flatMap((p) => Array.from(p))).sort();
    for (const w of windows ?? [])
      expect(Array.from(w.values)).toEqual(Array.from(sorted.subarray(w.from, w.from + w.values.length)));
    const copied = (windows ?? []).reduce((a, w) => a + w.values.length, 0);
    expect(copied).toBeLessThan(0.1 * n);
  });
});

describe('large samples through percentilesOf and OrderStatistics', () => {
  it('give the same values as a sorted copy, split in parts or not, heavy duplicates included', () => {
    const rng = deriveStream({ seed: 2, purpose: 'test' });
    const continuous = Float64Array.from({ length: 250_000 }, () => 5 + rng.nextFloat() * 30);
    const integers = Float64Array.from({ length: 250_000 }, () => Math.floor(rng.nextFloat() * 5));
    for (const data of [continuous, integers]) {
      const sorted = data.slice().sort();
      const qs = [0.5, 0.75, 0.95, 0.99];
      const expected = qs.map((q) => percentileSorted(sorted, q));
      expect(percentilesOf([data.subarray(0, 100_000), data.subarray(100_000)], qs)).toEqual(expected);
      const os = new OrderStatistics([data.subarray(0, 7), data.subarray(7)]);
      os.sortWindows([
        [1000, 2000],
        [200_000, 200_100],
      ]);
      // inside a window, then far outside every window (exact selection fallback)
      for (const rank of [1500, 200_050, 3, 249_999]) expect(os.at(rank)).toBe(sorted[rank]);
      expect(percentilesOf(data.slice(), qs)).toEqual(expected);
    }
  });
});
