// From the levels of a calibration ramp to the ceiling: a level counts when the client timed at
// least `minAchievedFraction` of the offered rate and every fidelity criterion held; the ceiling
// is the highest achieved rate of a counting level below the first failing one (a ramp is tried
// in increasing order and stops at its first failure, so later noise cannot raise it).
// Medians are held to SPEC §10's absolute targets. Tails are held to the absolute target or to
// `tailGrowth` × the tail of the ramp's first (lightest) level, whichever is larger: on a busy
// machine the scheduler alone puts the p99 above 2 ms, and what the ceiling must catch is the
// client making it worse (SPEC §10 holds the client's p99 to 1.5 × a raw reader's the same way);
// so an arrival-error tail counts only while the client's event loop is busy (≥ busyLoopFraction):
// with the loop mostly idle, a late event was late because of the machine, not the client.

import type { CalibrationLevel } from './calibration.js';

/** The fidelity targets a calibration level must meet (SPEC §10). */
export interface FidelityCriteria {
  /** TTFT error median (ms) */
  readonly ttftErrorP50Ms: number;
  /** per-event arrival error p99 (ms), or tailGrowth × the first level's */
  readonly eventErrorP99Ms: number;
  /** open-loop dispatch lag p99 (ms), or tailGrowth × the first level's */
  readonly dispatchLagP99Ms: number;
  /** how much a tail may grow over the ramp's first level */
  readonly tailGrowth: number;
  /** the arrival-error tail is the client's doing only when its loop is at least this busy */
  readonly busyLoopFraction: number;
  /** the client must time at least this fraction of the offered rate */
  readonly minAchievedFraction: number;
}

export const DEFAULT_FIDELITY_CRITERIA: FidelityCriteria = {
  ttftErrorP50Ms: 0.5,
  eventErrorP99Ms: 2,
  dispatchLagP99Ms: 2,
  tailGrowth: 1.5,
  busyLoopFraction: 0.5,
  minAchievedFraction: 0.9,
};

/** What one ramp level measured (the `ok`/`failed` verdict is added by judgeLevel); see CalibrationLevelSchema. */
export interface LevelMeasurement {
  readonly kind: 'events' | 'requests';
  readonly offered_per_s: number;
  readonly achieved_per_s: number;
  readonly ttft_error_p50_ms?: number;
  readonly event_error_p99_ms?: number;
  readonly dispatch_lag_p99_ms?: number;
  readonly event_loop_delay_p99_ms?: number;
  readonly loop_utilization?: number;
}

/**
 * The level with `ok` and the names of the criteria it failed. `first` is the ramp's first level
 * (the tail reference); the first level itself passes nothing or itself.
 */
export function judgeLevel(
  m: LevelMeasurement,
  criteria: FidelityCriteria = DEFAULT_FIDELITY_CRITERIA,
  first: LevelMeasurement = m,
): CalibrationLevel {
  const tailLimit = (absolute: number, reference: number | undefined) =>
    Math.max(absolute, criteria.tailGrowth * (reference ?? 0));
  const failed: string[] = [];
  if (m.achieved_per_s < criteria.minAchievedFraction * m.offered_per_s) failed.push('achieved_rate');
  if (m.ttft_error_p50_ms !== undefined && m.ttft_error_p50_ms > criteria.ttftErrorP50Ms)
    failed.push('ttft_error_p50');
  const eventLimit = tailLimit(criteria.eventErrorP99Ms, first.event_error_p99_ms);
  const clientBusy = m.loop_utilization === undefined || m.loop_utilization >= criteria.busyLoopFraction;
  if (m.event_error_p99_ms !== undefined && m.event_error_p99_ms > eventLimit && clientBusy)
    failed.push('event_error_p99');
  const lagLimit = tailLimit(criteria.dispatchLagP99Ms, first.dispatch_lag_p99_ms);
  if (m.dispatch_lag_p99_ms !== undefined && m.dispatch_lag_p99_ms > lagLimit)
    failed.push('dispatch_lag_p99');
  return { ...m, ok: failed.length === 0, failed };
}

/**
 * The ceiling of one ramp (levels of one kind in the order tried): the largest achieved rate
 * among the passing levels before the first failure; 0 when the first level already failed.
 */
export function rampCeiling(levels: readonly CalibrationLevel[]): number {
  let ceiling = 0;
  for (const level of levels) {
    if (!level.ok) break;
    ceiling = Math.max(ceiling, level.achieved_per_s);
  }
  return ceiling;
}
