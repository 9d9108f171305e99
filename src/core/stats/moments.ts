// Mean and sample variance over plain number arrays, summed left to right exactly as ferrum's
// stats.rs does (the summation order decides the last digit of the golden vectors).

/** Arithmetic mean; 0 for an empty input. */
export function mean(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] as number;
  return sum / n;
}

/** Sample variance (divisor n − 1) around a given mean; 0 below two values. */
export function sampleVariance(values: ArrayLike<number>, around: number): number {
  const n = values.length;
  if (n < 2) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - around;
    sum += d * d;
  }
  return sum / (n - 1);
}
