// Marks a finished sweep in every cell's extension (SPEC §3.2): the knee of a concurrency sweep
// (core/metrics detectKnee over output throughput and E2E p50) as `goodput.knee`, and the highest
// rate of a rate sweep still meeting the goodput SLO (core/metrics highestRateMeetingSlo) as
// `goodput.sweep`; a prefix-groups sweep gets its capacity cliff instead. The renderers read them.

import { detectKnee } from '../core/metrics/sweep-knee.js';
import { highestRateMeetingSlo, type RatePoint, ratePointFromReport } from '../core/metrics/sweep-rate.js';
import type { BenchReport } from '../core/schema/bench-report.js';
import type { CellFlag } from './bench-serve-options.js';
import { annotatePrefixSweep } from './bench-serve-prefix-sweep.js';

/** Returns the reports with the sweep annotations (in place); one cell is not a sweep. */
export function annotateSweep(reports: BenchReport[], cells: readonly CellFlag[]): BenchReport[] {
  if (reports.length < 2) return reports;
  // a prefix-groups sweep keeps one load: it has a capacity cliff, not a knee
  if (cells.some((c) => c.prefixGroups !== undefined)) return annotatePrefixSweep(reports);
  if (cells.every((c) => c.kind === 'closed')) markKnee(reports);
  else if (cells.every((c) => c.kind === 'open')) markBestRate(reports);
  return reports;
}

function markKnee(reports: BenchReport[]): void {
  // ferrum allows a concurrency twice in a sweep; the knee is placed on the first of each
  const first = new Map<number, BenchReport>();
  for (const r of reports)
    if (r.concurrency !== undefined && !first.has(r.concurrency)) first.set(r.concurrency, r);
  const result = detectKnee(
    [...first].map(([concurrency, r]) => ({
      concurrency,
      throughput: r.output_throughput_tps.mean,
      latency: r.e2e_ms.p50.mean,
    })),
  );
  const knee = result.knee;
  const step = knee === null ? undefined : result.steps.find((s) => s.from.concurrency === knee.concurrency);
  for (const r of reports) {
    if (r.goodput === undefined) continue;
    r.goodput.knee =
      knee === null
        ? {
            concurrency: null,
            is_knee: false,
            note: 'no knee: every step gained throughput at least as fast as latency',
          }
        : {
            concurrency: knee.concurrency,
            is_knee: r === first.get(knee.concurrency),
            rule: 'last concurrency before Δthroughput/throughput < Δlatency/latency (output tok/s vs E2E p50)',
            ...(step === undefined ? {} : { note: `next step: elasticity ${step.elasticity.toFixed(2)}` }),
          };
  }
}

function markBestRate(reports: BenchReport[]): void {
  const points = reports.map(ratePointFromReport).filter((p): p is RatePoint => p !== null);
  const distinct = new Map<number, RatePoint>();
  for (const p of points) if (!distinct.has(p.rateRps)) distinct.set(p.rateRps, p);
  if (distinct.size < 2 || [...distinct.values()].some((p) => p.requests === 0)) return;
  const result = highestRateMeetingSlo([...distinct.values()]);
  const sweep = {
    kind: 'rate',
    best_rate_rps: result.rateRps,
    first_miss_rps: result.firstMissRps,
    attainment_target: result.target,
    attainment: Object.fromEntries(result.points.map((p) => [String(p.rateRps), p.attainment])),
  };
  for (const r of reports) if (r.goodput !== undefined) r.goodput.sweep = sweep;
}
