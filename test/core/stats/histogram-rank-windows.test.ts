// The two-pass histogram read against a sorted copy: every requested window exact, on ties, on
// −0 and +0, on values spread over the whole double range, split in parts or not.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { histogramRankWindows } from '../../../src/core/stats/histogram-rank-windows.js';
import { scanSummary } from '../../../src/core/stats/scan-summary.js';
import { partsOf } from './parts-of.js';

const values = fc.array(
  fc.oneof(
    fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    fc.integer({ min: -3, max: 3 }),
    fc.constantFrom(-0, 0, 1e-300, -1e300, 1e300),
  ),
  { minLength: 1, maxLength: 2000 },
);

describe('histogramRankWindows', () => {
  it('gives the exact sorted values of every requested window, and the scan summary', () => {
    fc.assert(
      fc.property(
        values,
        fc.array(fc.nat(), { maxLength: 3 }),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 60 })), { minLength: 1, maxLength: 5 }),
        (sample, cuts, asks) => {
          const n = sample.length;
          const sorted = Float64Array.from(sample).sort();
          const wanted = asks.map(([r, w]): [number, number] => [r % n, Math.min(n - 1, (r % n) + w)]);
          const parts = partsOf(sample, cuts);
          const scan = histogramRankWindows(parts, wanted, { summary: true });
          const windows = scan.windows ?? [];
          // === and not Object.is: where -0 and 0 tie, selection may hold either (a sort puts -0 first)
          const exact = windows.every((w) => w.values.every((v, i) => v === sorted[w.from + i]));
          const covered = wanted.every(([from, to]) =>
            windows.some((w) => from >= w.from && to < w.from + w.values.length),
          );
          return exact && covered && Object.is(scan.summary?.sum, scanSummary(parts).sum);
        },
      ),
    );
  });

  it('reads a heavily tied large sample without copying the tied buckets', () => {
    // three values, a third of the sample each: the one-pass read would have to copy all of it
    const n = 300_000;
    const data = Float64Array.from({ length: n }, (_, i) => (i * 7919) % 3);
    const scan = histogramRankWindows(
      [data],
      [
        [0, 5],
        [149_990, 150_010],
        [n - 3, n - 1],
      ],
    );
    expect(scan.summary).toBeNull();
    expect(scan.windows?.map((w) => [w.from, Array.from(new Set(w.values))])).toEqual([
      [0, [0]],
      [149_990, [1]],
      [n - 3, [2]],
    ]);
    // the window that straddles two tied values
    const straddle = histogramRankWindows([data], [[99_998, 100_001]]).windows?.[0];
    expect(Array.from(straddle?.values ?? [])).toEqual([0, 0, 1, 1]);
  });
});
