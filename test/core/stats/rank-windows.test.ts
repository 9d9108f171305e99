// The one-pass rank windows against a sorted copy: exact values or a clean refusal (null), never
// a wrong value, for one sample or nested prefixes of one; and the large-sample paths of
// percentilesOf / OrderStatistics that use them.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveStream } from '../../../src/core/random/streams.js';
import { OrderStatistics, percentilesOf } from '../../../src/core/stats/order-statistics.js';
import { percentileSorted } from '../../../src/core/stats/percentile.js';
import { extractNestedRankWindows, extractRankWindows } from '../../../src/core/stats/rank-windows.js';
import { scanSummary } from '../../../src/core/stats/scan-summary.js';
import { partsOf } from './parts-of.js';

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
          const parts = partsOf(values, cuts);
          const scan = extractRankWindows(parts, wanted, { summary: true });
          if (scan === null) return true;
          // the same pass gives what scanSummary gives
          if (!Object.is(scan.summary?.sum, scanSummary(parts).sum)) return false;
          if (scan.summary?.min !== sorted[0] || scan.summary?.max !== sorted[n - 1]) return false;
          const windows = scan.windows;
          if (windows === null) return true;
          // === and not Object.is: where -0 and 0 tie, selection may hold either (a sort puts -0 first)
          const exact = windows.every((w) => w.values.every((v, i) => v === sorted[w.from + i]));
          const covered = wanted.every(([from, to]) =>
            windows.some((w) => from >= w.from && to < w.from + w.values.length),
          );
          return exact && covered;
        },
      ),
    );
  });

  it('covers the usual windows of a large sample in one pass', () => {
    const rng = deriveStream({ seed: 1, purpose: 'test' });
    const parts = [0, 1, 2].map(() =>
      Float64Array.from({ length: 100_000 }, () => -Math.log1p(-rng.nextFloat()) * 40),
    );
    const n = 300_000;
    const wanted: Array<[number, number]> = [0.5, 0.9, 0.99].map((q) => [
      Math.floor(q * (n - 1)) - 500,
      Math.floor(q * (n - 1)) + 500,
    ]);
    const windows = extractRankWindows(parts, wanted)?.windows;
    expect(windows).toBeDefined();
    expect(windows).not.toBeNull();
    const sorted = Float64Array.from(parts.flatMap((p) => Array.from(p))).sort();
    for (const w of windows ?? [])
      expect(Array.from(w.values)).toEqual(Array.from(sorted.subarray(w.from, w.from + w.values.length)));
    expect(windows?.map((w) => [w.from, w.values.length])).toEqual(wanted.map(([from]) => [from, 1001]));
  });
});

describe('extractNestedRankWindows', () => {
  it('reads nested prefixes in one pass, each exactly as its own sorted copy (or refuses)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.integer({ min: 0, max: 9 })), {
          minLength: 4,
          maxLength: 2000,
        }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 40 })), { minLength: 1, maxLength: 4 }),
        (values, cuts, asks) => {
          const parts = partsOf(values, cuts);
          // every prefix of at least one value, shortest first
          const prefixes: number[] = [];
          let length = 0;
          parts.forEach((p, i) => {
            length += p.length;
            if (p.length > 0 && length > 0) prefixes.push(i + 1);
          });
          const queries = prefixes.map((count) => {
            const n = parts.slice(0, count).reduce((a, p) => a + p.length, 0);
            return {
              parts: count,
              windows: asks.map(([r, w]): [number, number] => [r % n, Math.min(n - 1, (r % n) + w)]),
            };
          });
          const scans = extractNestedRankWindows(parts, queries, { summary: true });
          if (scans === null) return true;
          return queries.every((q, i) => {
            const prefix = parts.slice(0, q.parts);
            const sorted = Float64Array.from(prefix.flatMap((p) => Array.from(p))).sort();
            const scan = scans[i];
            if (scan === undefined || !Object.is(scan.summary?.sum, scanSummary(prefix).sum)) return false;
            const windows = scan.windows;
            if (windows === null) return true;
            return (
              // === and not Object.is: selection compares with <, so where -0 and 0 tie it may hold
              // either (a sort puts -0 first); they are the same latency
              windows.every((w) => w.values.every((v, k) => v === sorted[w.from + k])) &&
              q.windows.every(([from, to]) =>
                windows.some((w) => from >= w.from && to < w.from + w.values.length),
              )
            );
          });
        },
      ),
    );
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
