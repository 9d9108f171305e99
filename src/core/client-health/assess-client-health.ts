// Decides whether a result was limited by the client (SPEC §3.9): from what the runner measured
// about its own process during a cell (CPU, event-loop delay, open-loop dispatch lag, the event and
// request rates it timed) and this machine's calibration, returns `client_limited` with one reason
// per criterion that fired. Pure: the sampling happens in host/process-load.ts and the runner.

import type { ClientHealth } from '../schema/extension.js';
import type { Calibration } from './calibration.js';

/** p50 / p99 / max of a delay in ms. */
export interface DelaySummary {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** samples behind the percentiles, when known */
  readonly n?: number;
}

/** Below this many samples a p99 is one or two values (SPEC §2.3's low-sample rule): the median is judged instead. */
export const MIN_SAMPLES_FOR_P99 = 100;

/** What the runner measured about the client during one cell (worst repeat, worst thread). */
export interface ClientMeasurements {
  /** CPU time of the busiest load-generating thread over the wall time, 0..1 (1 = one core saturated) */
  readonly cpuFraction?: number;
  /** event-loop delay of the load-generating thread(s) */
  readonly eventLoopDelayMs?: DelaySummary;
  /** busy fraction of the busiest load-generating thread's event loop, 0..1 */
  readonly loopUtilization?: number;
  /** open loop without an in-flight cap: actual − scheduled send of the measured requests */
  readonly dispatchLagMs?: DelaySummary;
  /** output events the client timed per second of the measured window, all threads */
  readonly eventsPerS?: number;
  /** requests completed per second of the measured window, all threads */
  readonly requestsPerS?: number;
  /** load-generating threads (the calibration is per thread) */
  readonly threads?: number;
}

export interface ClientHealthThresholds {
  /** CPU fraction of a core at or above which the client is saturated */
  readonly cpuFraction: number;
  /** event-loop delay p99 above this many ms delays timestamps by as much */
  readonly eventLoopDelayP99Ms: number;
  /**
   * the loop delay is the client's own doing only when its loop was at least this busy; a late
   * timer on an idle loop means the machine did not schedule the process (other load), which the
   * client cannot fix by sending less
   */
  readonly busyLoopFraction: number;
  /** open-loop dispatch lag p99 above this many ms (SPEC §10 target) */
  readonly dispatchLagP99Ms: number;
  /** the run's rate at or above this fraction of the calibrated ceiling is too close to it */
  readonly ceilingFraction: number;
}

export const DEFAULT_CLIENT_HEALTH_THRESHOLDS: ClientHealthThresholds = {
  cpuFraction: 0.9,
  eventLoopDelayP99Ms: 20,
  busyLoopFraction: 0.5,
  dispatchLagP99Ms: 2,
  ceilingFraction: 0.8,
};

const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
const ms = (x: number) => `${x.toFixed(2)} ms`;
const rate = (x: number) => Math.round(x).toLocaleString('en-US');

/**
 * Every criterion whose measurement is present is checked; each that fires adds a reason
 * `<code>: <what was measured> (<threshold>)`, codes: cpu_saturated, event_loop_delay,
 * dispatch_lag, near_calibrated_events, near_calibrated_requests. The calibration ceilings are
 * per thread, so they are scaled by `threads` (default 1). No measurement, no verdict against it.
 */
export function assessClientHealth(
  measured: ClientMeasurements,
  calibration?: Calibration,
  thresholds: ClientHealthThresholds = DEFAULT_CLIENT_HEALTH_THRESHOLDS,
): ClientHealth {
  const reasons: string[] = [];
  const cpu = measured.cpuFraction;
  if (cpu !== undefined && cpu >= thresholds.cpuFraction) {
    reasons.push(
      `cpu_saturated: the client thread used ${pct(cpu)} of a core (limit ${pct(thresholds.cpuFraction)})`,
    );
  }
  const loop = measured.eventLoopDelayMs;
  const busy =
    measured.loopUtilization === undefined || measured.loopUtilization >= thresholds.busyLoopFraction;
  if (loop !== undefined && loop.p99 > thresholds.eventLoopDelayP99Ms && busy) {
    reasons.push(
      `event_loop_delay: event-loop delay p99 ${ms(loop.p99)} (limit ${ms(thresholds.eventLoopDelayP99Ms)}): timestamps may be late by as much`,
    );
  }
  const lag = measured.dispatchLagMs;
  if (lag !== undefined) {
    // a short run's p99 is its slowest send or two (often the first, before the JIT warmed up):
    // below MIN_SAMPLES_FOR_P99 a lag the run kept up with is judged by its median
    const few = lag.n !== undefined && lag.n < MIN_SAMPLES_FOR_P99;
    const [value, at] = few ? [lag.p50, 'p50'] : [lag.p99, 'p99'];
    if (value > thresholds.dispatchLagP99Ms) {
      reasons.push(
        `dispatch_lag: open-loop sends were late by ${ms(value)} at ${at} (limit ${ms(thresholds.dispatchLagP99Ms)}): the offered load fell behind the schedule`,
      );
    }
  }
  const threads = Math.max(1, measured.threads ?? 1);
  if (calibration !== undefined) {
    const events = measured.eventsPerS;
    const maxEvents = calibration.max_events_per_s * threads;
    if (events !== undefined && maxEvents > 0 && events >= thresholds.ceilingFraction * maxEvents) {
      reasons.push(
        `near_calibrated_events: ${rate(events)} events/s is ${pct(events / maxEvents)} of this machine's calibrated ${rate(maxEvents)} events/s (limit ${pct(thresholds.ceilingFraction)})`,
      );
    }
    const requests = measured.requestsPerS;
    const maxRequests = calibration.max_requests_per_s * threads;
    if (requests !== undefined && maxRequests > 0 && requests >= thresholds.ceilingFraction * maxRequests) {
      reasons.push(
        `near_calibrated_requests: ${rate(requests)} requests/s is ${pct(requests / maxRequests)} of this machine's calibrated ${rate(maxRequests)} requests/s (limit ${pct(thresholds.ceilingFraction)})`,
      );
    }
  }
  const health: ClientHealth = { client_limited: reasons.length > 0, reasons };
  if (lag !== undefined) health.dispatch_lag_ms = { p50: lag.p50, p99: lag.p99, max: lag.max };
  if (loop !== undefined) health.event_loop_delay_ms = { p50: loop.p50, p99: loop.p99, max: loop.max };
  if (cpu !== undefined) health.cpu_fraction = cpu;
  if (measured.loopUtilization !== undefined) health.loop_utilization = measured.loopUtilization;
  if (measured.eventsPerS !== undefined) health.events_per_s = measured.eventsPerS;
  if (measured.requestsPerS !== undefined) health.requests_per_s = measured.requestsPerS;
  if (measured.threads !== undefined) health.threads = threads;
  if (calibration !== undefined) {
    health.calibration = {
      measured_at: calibration.measured_at,
      max_events_per_s: calibration.max_events_per_s,
      max_requests_per_s: calibration.max_requests_per_s,
      ...(calibration.machine === undefined ? {} : { machine: calibration.machine }),
    };
  }
  return health;
}
