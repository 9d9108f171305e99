// The median of a benchmark's rounds with their min–max and the raw values (STYLE habit 11:
// report the median with the raw rounds), and the ratio of two such medians.

export interface RoundSummary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly values: readonly number[];
}

/** Median (mean of the middle two for an even count), min and max; NaN for no rounds. */
export function summarize(values: readonly number[]): RoundSummary {
  const finite = values.filter((v) => Number.isFinite(v));
  const sorted = [...finite].sort((a, b) => a - b);
  if (sorted.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, values };
  const mid = sorted.length >> 1;
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number, values };
}

/** `1234 (1100–1300)` with `digits` decimals. */
export function formatSummary(s: RoundSummary, digits = 0): string {
  if (!Number.isFinite(s.median)) return 'n/a';
  const f = (v: number) => v.toFixed(digits);
  return s.min === s.max ? f(s.median) : `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
}

/** Alternating order of two sides for round `round` (0-based): A B, B A, A B, … */
export function roundOrder<T>(round: number, a: T, b: T): [T, T] {
  return round % 2 === 0 ? [a, b] : [b, a];
}

/** Order of several sides for round `round` (0-based), rotated by one each round: A B C, B C A, C A B, … */
export function roundRotation<T>(round: number, sides: readonly T[]): T[] {
  const k = round % sides.length;
  return [...sides.slice(k), ...sides.slice(0, k)];
}
