import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectRanksInPlace } from '../../../src/core/stats/select-ranks.js';

// duplicates are the interesting case for partitioning
const samples = fc.array(
  fc.oneof(fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 1e4, noNaN: true })),
  { minLength: 1, maxLength: 300 },
);

describe('selectRanksInPlace', () => {
  it('places every requested rank and keeps the multiset', () => {
    fc.assert(
      fc.property(samples, fc.array(fc.nat(), { maxLength: 8 }), (values, raw) => {
        const a = Float64Array.from(values);
        const ranks = raw.map((r) => r % a.length);
        selectRanksInPlace(a, ranks);
        const sorted = Float64Array.from(values).sort();
        return (
          ranks.every((r) => a[r] === sorted[r]) &&
          Float64Array.from(a)
            .sort()
            .every((v, i) => v === sorted[i])
        );
      }),
    );
  });
  it('selects inside a subrange only, leaving the rest of the array alone', () => {
    const a = Float64Array.from([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    selectRanksInPlace(a, [4], 2, 7);
    expect(a[4]).toBe(4); // sorted 2..7 holds 2,3,4,5,6,7: rank 4 is 4
    expect([a[0], a[1], a[8], a[9]]).toEqual([9, 8, 1, 0]);
    expect(Float64Array.from(a.subarray(2, 8)).sort()).toEqual(Float64Array.from([2, 3, 4, 5, 6, 7]));
  });
});
