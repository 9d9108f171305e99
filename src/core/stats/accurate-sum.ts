// An order-independent sum for the extension's means (a double-double accumulator), so a report
// does not change with the order its records arrived in (completion order, shards merged).

// Knuth's TwoSum keeps the rounding error of every addition in a second accumulator, and the two
// are added once at the end. Its error is about n·ε² of the total, so the result is the correctly rounded sum except when the
// exact sum lies within that distance of a rounding boundary; in practice the pooled means are the
// same whatever order the records arrived in (completion order, shards merged in any order),
// where a plain left-to-right sum differs in the last digits. About 2× the cost of a plain sum.

/** Σ values with a double-double accumulator (finite inputs). */
export function accurateSum(values: ArrayLike<number>): number {
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    const s = hi + x;
    const bp = s - hi;
    lo += hi - (s - bp) + (x - bp);
    hi = s;
  }
  return hi + lo;
}
