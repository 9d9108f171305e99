// Knee detection for a concurrency sweep (SPEC §3.2): the highest concurrency after which adding
// load buys proportionally more latency than throughput (the rule is below).

import { GoodputError } from '../errors.js';

// Rule. Sort the points by concurrency. For each step from point k−1 to k, the elasticity is
//   e_k = (ΔT / T_{k−1}) / (ΔL / L_{k−1})
// (relative throughput gain per relative latency increase; +∞ when latency did not rise). In a
// closed loop, Little's law gives concurrency = throughput × latency, so ΔC/C ≈ ΔT/T + ΔL/L:
// e_k < 1 means more than half of the added concurrency turned into waiting instead of work. The
// knee is the last point before the first step with e_k < threshold (default 1); null when every
// step stays above it (the sweep never reached the knee). Points whose throughput or latency is
// not a positive finite number (e.g. a cell in which every request failed) cannot be placed on
// the curve and are returned in `skipped`.

export interface SweepPoint {
  readonly concurrency: number;
  /** any throughput, e.g. output tokens/s or requests/s (the mean of the cell) */
  readonly throughput: number;
  /** any latency, e.g. E2E or TTFT p50 in ms */
  readonly latency: number;
}

export interface KneeStep {
  readonly from: SweepPoint;
  readonly to: SweepPoint;
  /** ΔT / T_from */
  readonly throughputGain: number;
  /** ΔL / L_from */
  readonly latencyGain: number;
  readonly elasticity: number;
}

export interface KneeResult {
  /** the knee point, or null when the sweep never falls off */
  readonly knee: SweepPoint | null;
  /** the valid points, sorted by concurrency */
  readonly points: SweepPoint[];
  readonly steps: KneeStep[];
  readonly skipped: SweepPoint[];
  readonly threshold: number;
}

const usable = (v: number) => Number.isFinite(v) && v > 0;

/** Finds the knee of a concurrency sweep (see the rule above). */
export function detectKnee(points: readonly SweepPoint[], threshold = 1): KneeResult {
  if (!(threshold > 0) || !Number.isFinite(threshold)) {
    throw new GoodputError('USAGE', `knee threshold must be a finite number > 0, got ${threshold}`);
  }
  const seen = new Set<number>();
  for (const p of points) {
    if (seen.has(p.concurrency)) {
      throw new GoodputError('USAGE', `concurrency ${p.concurrency} appears twice in the sweep`, {
        hint: 'list each concurrency once',
      });
    }
    seen.add(p.concurrency);
  }
  const valid = points.filter((p) => usable(p.throughput) && usable(p.latency) && usable(p.concurrency));
  const skipped = points.filter((p) => !valid.includes(p));
  const sorted = [...valid].sort((a, b) => a.concurrency - b.concurrency);
  const steps: KneeStep[] = [];
  let knee: SweepPoint | null = null;
  for (let k = 1; k < sorted.length; k++) {
    const from = sorted[k - 1] as SweepPoint;
    const to = sorted[k] as SweepPoint;
    const throughputGain = (to.throughput - from.throughput) / from.throughput;
    const latencyGain = (to.latency - from.latency) / from.latency;
    const elasticity = latencyGain <= 0 ? Number.POSITIVE_INFINITY : throughputGain / latencyGain;
    steps.push({ from, to, throughputGain, latencyGain, elasticity });
    if (knee === null && elasticity < threshold) knee = from;
  }
  return { knee, points: sorted, steps, skipped, threshold };
}
