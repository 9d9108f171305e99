// Which cell of a concurrency sweep is the knee: the one the run recorded in its extension
// (`goodput.knee`), else the one core/metrics' detectKnee picks from the cells' output throughput
// and E2E p50 (the two axes of the throughput-vs-latency chart).

import { detectKnee } from '../../core/metrics/sweep-knee.js';
import type { BenchReport } from '../../core/schema/bench-report.js';
import type { Sweep } from './throughput-latency.js';

/**
 * The knee a producer recorded. Accepted shapes of `goodput.knee` (the extension keeps unknown
 * keys, and render/markdown-extension reads the same shapes): `true` or `{ is_knee: true }` on the
 * knee cell, or an object naming the knee's load as `concurrency`, `request_rate` or `load`.
 */
function recordedKnee(report: BenchReport): boolean | number | undefined {
  const knee = (report.goodput as Record<string, unknown> | undefined)?.knee;
  if (typeof knee === 'boolean') return knee;
  if (knee !== null && typeof knee === 'object') {
    const k = knee as Record<string, unknown>;
    if (k.is_knee === true) return true;
    for (const field of ['concurrency', 'request_rate', 'load'])
      if (typeof k[field] === 'number') return k[field];
  }
  return undefined;
}

/** The index in `sweep.views` of its knee, or undefined when the sweep never falls off. */
export function kneeIndex(sweep: Sweep): number | undefined {
  for (const [i, view] of sweep.views.entries()) {
    const recorded = recordedKnee(view.report);
    if (recorded === true) return i;
    if (typeof recorded === 'number') {
      const at = sweep.views.findIndex((v) => v.load.value === recorded);
      if (at >= 0) return at;
    }
  }
  const byLoad = new Map<number, number>();
  for (const [i, v] of sweep.views.entries())
    if (v.load.value !== undefined && !byLoad.has(v.load.value)) byLoad.set(v.load.value, i);
  const result = detectKnee(
    [...byLoad].map(([concurrency, i]) => {
      const r = (sweep.views[i] as Sweep['views'][number]).report;
      return { concurrency, throughput: r.output_throughput_tps.mean, latency: r.e2e_ms.p50.mean };
    }),
  );
  return result.knee === null ? undefined : byLoad.get(result.knee.concurrency);
}
