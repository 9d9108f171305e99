// OrderStatistics on large samples: the caller's arrays are never modified or copied whole, nested
// prefixes share one read, and heavily tied samples are read by histogram; all exact.

import { describe, expect, it } from 'vitest';
import { deriveStream } from '../../../src/core/random/streams.js';
import { OrderStatistics, percentilesOf } from '../../../src/core/stats/order-statistics.js';
import { percentileSorted } from '../../../src/core/stats/percentile.js';
import { extractNestedRankWindows } from '../../../src/core/stats/rank-windows.js';
import { scanSummary } from '../../../src/core/stats/scan-summary.js';

const QS = [0.5, 0.75, 0.9, 0.95, 0.99];

function sample(seed: number, n: number, value: (u: number) => number): Float64Array {
  const rng = deriveStream({ seed, purpose: 'test' });
  return Float64Array.from({ length: n }, () => value(rng.nextFloat()));
}

function sortedOf(parts: readonly Float64Array[]): Float64Array {
  return Float64Array.from(parts.flatMap((p) => Array.from(p))).sort();
}

describe('OrderStatistics', () => {
  it('leaves its input as it was, small or large', () => {
    for (const n of [1000, 150_000]) {
      const data = sample(3, n, (u) => u * 100);
      const before = data.slice();
      percentilesOf(data, QS);
      const os = new OrderStatistics([data.subarray(0, 10), data.subarray(10)]);
      os.sortWindows([[5, 50]]);
      os.at(n - 1);
      expect(data).toEqual(before);
    }
  });

  it('answers ranks far from every window of a large sample exactly', () => {
    const data = sample(4, 200_000, (u) => -Math.log1p(-u) * 20);
    const sorted = data.slice().sort();
    const os = new OrderStatistics(data);
    os.sortWindows([[100_000, 100_010]]);
    for (const rank of [0, 1, 12_345, 100_005, 199_999]) expect(os.at(rank)).toBe(sorted[rank]);
  });

  it('reads a heavily tied large sample exactly (the histogram path)', () => {
    const tied = sample(5, 400_000, (u) => Math.floor(u * 3)); // 0, 1, 2: a third each
    const sorted = tied.slice().sort();
    expect(percentilesOf([tied.subarray(0, 1), tied.subarray(1)], QS)).toEqual(
      QS.map((q) => percentileSorted(sorted, q)),
    );
    const os = new OrderStatistics(tied, { summary: true });
    os.sortWindows([[133_000, 134_000]]);
    expect(os.summary()).toEqual(scanSummary([tied]));
    expect(os.at(133_500)).toBe(sorted[133_500]);
  });

  it('gives nested prefixes the values and summaries each would get alone, from one read', () => {
    const covered = [0, 1, 2].map((i) => sample(10 + i, 100_000, (u) => 5 + 30 * u));
    const uncovered = [sample(20, 60_000, (u) => 30 * u * u)];
    const parts = [...covered, ...uncovered];
    const windowsOf = (n: number): Array<[number, number]> =>
      QS.map((q) => [Math.floor(q * (n - 1)) - 200, Math.floor(q * (n - 1)) + 200]);
    const shared = extractNestedRankWindows(parts, [
      { parts: 3, windows: windowsOf(300_000) },
      { parts: 4, windows: windowsOf(360_000) },
    ]);
    expect(shared?.every((s) => s.windows !== null)).toBe(true);
    const [inner, all] = OrderStatistics.nested(parts, [3, 4], windowsOf, { summary: true }) as [
      OrderStatistics,
      OrderStatistics,
    ];
    for (const [os, prefix] of [
      [inner, covered],
      [all, parts],
    ] as const) {
      const sorted = sortedOf(prefix);
      expect(os.n).toBe(sorted.length);
      expect(os.summary()).toEqual(scanSummary(prefix));
      for (const q of QS) expect(os.quantile(q)).toBe(percentileSorted(sorted, q));
    }
  });
});
