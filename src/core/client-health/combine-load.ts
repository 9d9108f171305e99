// The client load of a cell from its parts: per repeat and per load-generating thread, the
// runner samples CPU and event-loop delay and counts what it timed; a cell's verdict takes the
// worst repeat and the busiest thread (a limit hit once is a limit), and rates summed over threads.

import type { ClientMeasurements, DelaySummary } from './assess-client-health.js';

/** What one thread measured over one repeat's window. */
export interface ThreadLoadSample {
  /** CPU time / wall time of that thread (or process, single-threaded), 0..1 per core */
  readonly cpuFraction: number;
  /** busy fraction of that thread's event loop, 0..1 */
  readonly loopUtilization: number;
  readonly eventLoopDelayMs: DelaySummary;
}

/** One repeat: its threads, and what the client timed over the measured window. */
export interface RepeatLoad {
  readonly threads: readonly ThreadLoadSample[];
  readonly windowMs: number;
  /** output events timed in the measured window (measured requests) */
  readonly outputEvents: number;
  readonly completedRequests: number;
}

function worse(a: DelaySummary | undefined, b: DelaySummary): DelaySummary {
  if (a === undefined) return b;
  return { p50: Math.max(a.p50, b.p50), p99: Math.max(a.p99, b.p99), max: Math.max(a.max, b.max) };
}

/**
 * The cell's measurements: max over repeats and threads of CPU and loop delay, max over repeats
 * of the event and request rates; `dispatchLagMs` comes from the records (open loop, no cap).
 */
export function combineLoad(
  repeats: readonly RepeatLoad[],
  dispatchLagMs?: DelaySummary,
): ClientMeasurements {
  let cpu: number | undefined;
  let busy: number | undefined;
  let loop: DelaySummary | undefined;
  let events: number | undefined;
  let requests: number | undefined;
  let threads = 1;
  for (const r of repeats) {
    threads = Math.max(threads, r.threads.length);
    for (const t of r.threads) {
      cpu = Math.max(cpu ?? 0, t.cpuFraction);
      busy = Math.max(busy ?? 0, t.loopUtilization);
      loop = worse(loop, t.eventLoopDelayMs);
    }
    if (r.windowMs > 0) {
      events = Math.max(events ?? 0, (r.outputEvents / r.windowMs) * 1000);
      requests = Math.max(requests ?? 0, (r.completedRequests / r.windowMs) * 1000);
    }
  }
  return {
    ...(cpu === undefined ? {} : { cpuFraction: cpu }),
    ...(loop === undefined ? {} : { eventLoopDelayMs: loop }),
    ...(busy === undefined ? {} : { loopUtilization: busy }),
    ...(dispatchLagMs === undefined ? {} : { dispatchLagMs }),
    ...(events === undefined ? {} : { eventsPerS: events }),
    ...(requests === undefined ? {} : { requestsPerS: requests }),
    threads,
  };
}
