// Figure 4 reference: the irreducible work of exact per-repeat percentiles for the same sample
// counts bench/aggregate.ts aggregates (per repeat: TTFT, TPOT and E2E of every record, ITL of
// every gap), as typed-array sorts of seeded values. computeMetrics does this and everything else
// (success, SLO, throughput, pooled bootstrap, evidence); the ratio shows what the rest costs.
// Run: npx tsx bench/percentile-floor.ts [--repeats 5] [--per-repeat 200000] [--events 16]  → one JSON line

import { performance } from 'node:perf_hooks';
import { deriveStream } from '../dist/core/random/streams.js';

export interface FloorResult {
  readonly records: number;
  readonly samples: number;
  readonly wallMs: number;
  readonly peakRssMb: number;
}

export function measureFloor(repeats: number, perRepeat: number, events: number): FloorResult {
  const rng = deriveStream({ seed: 1, purpose: 'bench-floor' });
  const fill = (n: number) => {
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) a[i] = rng.nextFloat() * 1000;
    return a;
  };
  const columns = Array.from({ length: repeats }, () => [
    fill(perRepeat),
    fill(perRepeat),
    fill(perRepeat),
    fill(perRepeat * Math.max(0, events - 1)),
  ]);
  let samples = 0;
  const start = performance.now();
  for (const repeat of columns) {
    for (const column of repeat) {
      column.sort();
      samples += column.length;
    }
  }
  const wallMs = performance.now() - start;
  return { records: repeats * perRepeat, samples, wallMs, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

if (process.argv[1]?.endsWith('percentile-floor.ts')) {
  const option = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i === -1 ? fallback : Number(process.argv[i + 1]);
  };
  const result = measureFloor(option('repeats', 5), option('per-repeat', 200_000), option('events', 16));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
