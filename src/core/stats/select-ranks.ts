// Several order statistics of one array placed in place without a full sort: multi-selection
// (Hoare partition around a median-of-three pivot, recursing only into the sides that hold a
// wanted rank, sorting a subrange that recurses too deep as introselect does).

function insertionSort(a: Float64Array, lo: number, hi: number): void {
  for (let i = lo + 1; i <= hi; i++) {
    const v = a[i] as number;
    let j = i - 1;
    while (j >= lo && (a[j] as number) > v) {
      a[j + 1] = a[j] as number;
      j--;
    }
    a[j + 1] = v;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i] as number;
  a[i] = a[j] as number;
  a[j] = t;
}

/** Hoare partition of a[lo..hi] (hi − lo ≥ 2); returns j with a[lo..j] ≤ pivot ≤ a[j+1..hi]. */
function partition(a: Float64Array, lo: number, hi: number): number {
  const mid = lo + ((hi - lo) >>> 1);
  // median of three, ordered in place so the scans below cannot run off the range
  if ((a[mid] as number) < (a[lo] as number)) swap(a, mid, lo);
  if ((a[hi] as number) < (a[lo] as number)) swap(a, hi, lo);
  if ((a[hi] as number) < (a[mid] as number)) swap(a, hi, mid);
  const pivot = a[mid] as number;
  let i = lo - 1;
  let j = hi + 1;
  for (;;) {
    do i++;
    while ((a[i] as number) < pivot);
    do j--;
    while ((a[j] as number) > pivot);
    if (i >= j) return j;
    swap(a, i, j);
  }
}

function multiselect(
  a: Float64Array,
  lo: number,
  hi: number,
  ranks: readonly number[],
  rlo: number,
  rhi: number,
  depth: number,
): void {
  while (rlo < rhi && lo < hi) {
    if (hi - lo < 24) {
      insertionSort(a, lo, hi);
      return;
    }
    if (depth-- <= 0) {
      a.subarray(lo, hi + 1).sort();
      return;
    }
    const j = partition(a, lo, hi);
    let m = rlo;
    while (m < rhi && (ranks[m] as number) <= j) m++;
    if (m > rlo && m < rhi) {
      multiselect(a, lo, j, ranks, rlo, m, depth);
      lo = j + 1;
      rlo = m;
    } else if (m > rlo) {
      hi = j;
    } else {
      lo = j + 1;
    }
  }
}

/**
 * Reorders a[lo..hi] so that every rank in `ranks` (absolute indices in lo..hi, any order) holds
 * the value a full sort of a[lo..hi] would put there, with no larger value before it and no
 * smaller one after it. Everything else stays in the range.
 */
export function selectRanksInPlace(
  a: Float64Array,
  ranks: readonly number[],
  lo = 0,
  hi = a.length - 1,
): void {
  const sorted = [...new Set(ranks)].sort((x, y) => x - y);
  multiselect(a, lo, hi, sorted, 0, sorted.length, 2 * Math.ceil(Math.log2(hi - lo + 2)) + 16);
}
