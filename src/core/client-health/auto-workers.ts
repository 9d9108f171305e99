// `--workers auto` (SPEC §3.9): one load-generating thread unless the calibration says one thread
// cannot reach the requested load within the ceiling margin; then enough threads to bring each
// under it, never more than the cores that can run them. Only an open loop states its load up
// front (rate × output tokens); a closed loop's rate is whatever the server gives, so it stays at 1.

import type { Calibration } from './calibration.js';

export interface RequestedLoad {
  /** open-loop arrival rate, requests/s; undefined for a closed loop */
  readonly rateRps?: number;
  /** output tokens (≈ events) each request asks for */
  readonly outputTokens: number;
}

export interface WorkerChoice {
  readonly workers: number;
  /** why this many (printed with the run) */
  readonly reason: string;
}

/**
 * Threads for `load`: ceil(need / (fraction × per-thread ceiling)) over events and requests,
 * clamped to [1, maxWorkers]. `fraction` is the ceiling margin of assessClientHealth (0.8).
 */
export function autoWorkers(
  load: RequestedLoad,
  calibration: Calibration | undefined,
  maxWorkers: number,
  fraction = 0.8,
): WorkerChoice {
  if (calibration === undefined)
    return { workers: 1, reason: 'no calibration stored (run `goodput calibrate`)' };
  if (load.rateRps === undefined)
    return { workers: 1, reason: 'a closed loop: its rate is set by the server' };
  const eventsPerS = load.rateRps * load.outputTokens;
  const byEvents =
    calibration.max_events_per_s > 0 ? eventsPerS / (fraction * calibration.max_events_per_s) : 0;
  const byRequests =
    calibration.max_requests_per_s > 0 ? load.rateRps / (fraction * calibration.max_requests_per_s) : 0;
  const needed = Math.max(1, Math.ceil(Math.max(byEvents, byRequests)));
  const workers = Math.max(1, Math.min(needed, Math.floor(maxWorkers)));
  if (needed <= 1)
    return { workers: 1, reason: 'one thread reaches the requested load within the calibrated ceiling' };
  const capped = workers < needed ? ` (capped at ${workers}: the cores available)` : '';
  return {
    workers,
    reason: `${Math.round(eventsPerS)} events/s and ${load.rateRps} requests/s need ${needed} thread(s) at the calibrated ceiling${capped}`,
  };
}
