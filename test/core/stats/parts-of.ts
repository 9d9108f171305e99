// A sample split into several Float64Array parts at arbitrary cut points (empty parts included),
// as the chunked columns of sample-buffer.ts hand them to the statistics.

export function partsOf(values: readonly number[], cuts: readonly number[]): Float64Array[] {
  const points = [...new Set(cuts.map((c) => c % (values.length + 1)))].sort((a, b) => a - b);
  const parts: Float64Array[] = [];
  let from = 0;
  for (const p of [...points, values.length]) {
    parts.push(Float64Array.from(values.slice(from, p)));
    from = p;
  }
  return parts;
}
