import { describe, expect, it } from 'vitest';
import {
  assessClientHealth,
  type ClientMeasurements,
  DEFAULT_CLIENT_HEALTH_THRESHOLDS,
} from '../../../src/core/client-health/assess-client-health.js';
import type { Calibration } from '../../../src/core/client-health/calibration.js';
import { ClientHealthSchema } from '../../../src/core/schema/extension.js';

const calibration: Calibration = {
  schema_version: 1,
  measured_at: '2026-01-01T00:00:00.000Z',
  machine: 'linux x64 · 2 × test CPU · node v20',
  max_events_per_s: 100_000,
  max_requests_per_s: 2_000,
  levels: [],
};

const calm = { p50: 0.1, p99: 1, max: 3 };

describe('assessClientHealth', () => {
  // each row: measurements, calibration?, the reason codes expected (empty: not limited)
  const cases: Array<[string, ClientMeasurements, Calibration | undefined, string[]]> = [
    [
      'a quiet run',
      { cpuFraction: 0.3, eventLoopDelayMs: calm, eventsPerS: 10_000, requestsPerS: 50 },
      calibration,
      [],
    ],
    ['no measurement at all', {}, undefined, []],
    ['a saturated core', { cpuFraction: 0.97 }, undefined, ['cpu_saturated']],
    ['cpu exactly at the threshold counts', { cpuFraction: 0.9 }, undefined, ['cpu_saturated']],
    [
      'a late event loop',
      { eventLoopDelayMs: { p50: 2, p99: 35, max: 80 } },
      undefined,
      ['event_loop_delay'],
    ],
    [
      'a late but busy event loop',
      { eventLoopDelayMs: { p50: 2, p99: 35, max: 80 }, loopUtilization: 0.7 },
      undefined,
      ['event_loop_delay'],
    ],
    // an idle loop whose timer fired late was not scheduled by the machine: not the client's limit
    [
      'a late but idle event loop',
      { eventLoopDelayMs: { p50: 2, p99: 35, max: 80 }, loopUtilization: 0.1 },
      undefined,
      [],
    ],
    [
      'loop delay p99 at the threshold does not count',
      { eventLoopDelayMs: { p50: 1, p99: 20, max: 20 } },
      undefined,
      [],
    ],
    ['late open-loop sends', { dispatchLagMs: { p50: 0.2, p99: 2.5, max: 9 } }, undefined, ['dispatch_lag']],
    [
      'dispatch lag p99 of exactly 2 ms is within target',
      { dispatchLagMs: { p50: 0.2, p99: 2, max: 9 } },
      undefined,
      [],
    ],
    // from fewer than 100 sends the p99 is the slowest one or two: the median is judged
    [
      'a few late sends in a short run',
      { dispatchLagMs: { p50: 0.2, p99: 11, max: 11, n: 60 } },
      undefined,
      [],
    ],
    [
      'a short run that fell behind',
      { dispatchLagMs: { p50: 3, p99: 11, max: 11, n: 60 } },
      undefined,
      ['dispatch_lag'],
    ],
    [
      'a long run with a late tail',
      { dispatchLagMs: { p50: 0.2, p99: 11, max: 11, n: 100 } },
      undefined,
      ['dispatch_lag'],
    ],
    ['events at 80 % of the ceiling', { eventsPerS: 80_000 }, calibration, ['near_calibrated_events']],
    ['events at 79 % of the ceiling', { eventsPerS: 79_000 }, calibration, []],
    ['requests near the ceiling', { requestsPerS: 1_900 }, calibration, ['near_calibrated_requests']],
    ['two threads double the ceiling', { eventsPerS: 150_000, threads: 2 }, calibration, []],
    ['rates without a calibration say nothing', { eventsPerS: 10_000_000, requestsPerS: 1e6 }, undefined, []],
    [
      'every criterion at once',
      {
        cpuFraction: 1,
        eventLoopDelayMs: { p50: 5, p99: 50, max: 90 },
        dispatchLagMs: { p50: 3, p99: 40, max: 100 },
        eventsPerS: 99_000,
        requestsPerS: 1_999,
      },
      calibration,
      [
        'cpu_saturated',
        'event_loop_delay',
        'dispatch_lag',
        'near_calibrated_events',
        'near_calibrated_requests',
      ],
    ],
  ];
  it.each(cases)('%s', (_name, measured, cal, codes) => {
    const health = assessClientHealth(measured, cal);
    expect(health.reasons.map((r) => r.split(':')[0])).toEqual(codes);
    expect(health.client_limited).toBe(codes.length > 0);
    expect(ClientHealthSchema.safeParse(health).success).toBe(true);
  });

  it('says what was measured and the limit in each reason', () => {
    const health = assessClientHealth({ cpuFraction: 0.97, eventsPerS: 90_000 }, calibration);
    expect(health.reasons[0]).toBe('cpu_saturated: the client thread used 97 % of a core (limit 90 %)');
    expect(health.reasons[1]).toBe(
      "near_calibrated_events: 90,000 events/s is 90 % of this machine's calibrated 100,000 events/s (limit 80 %)",
    );
  });

  it('carries the measurements and the calibration into the report block', () => {
    const health = assessClientHealth(
      {
        cpuFraction: 0.4,
        loopUtilization: 0.3,
        eventLoopDelayMs: calm,
        dispatchLagMs: calm,
        eventsPerS: 123,
        requestsPerS: 4,
        threads: 2,
      },
      calibration,
    );
    expect(health).toEqual({
      client_limited: false,
      reasons: [],
      dispatch_lag_ms: calm,
      event_loop_delay_ms: calm,
      cpu_fraction: 0.4,
      loop_utilization: 0.3,
      events_per_s: 123,
      requests_per_s: 4,
      threads: 2,
      calibration: {
        measured_at: calibration.measured_at,
        max_events_per_s: 100_000,
        max_requests_per_s: 2_000,
        machine: calibration.machine,
      },
    });
  });

  it('ignores a zero ceiling (a calibration whose first level already failed)', () => {
    const zero = { ...calibration, max_events_per_s: 0, max_requests_per_s: 0 };
    expect(assessClientHealth({ eventsPerS: 1, requestsPerS: 1 }, zero).client_limited).toBe(false);
  });

  it('takes thresholds from the caller', () => {
    const strict = { ...DEFAULT_CLIENT_HEALTH_THRESHOLDS, cpuFraction: 0.5 };
    expect(assessClientHealth({ cpuFraction: 0.6 }, undefined, strict).client_limited).toBe(true);
    expect(assessClientHealth({ cpuFraction: 0.6 }).client_limited).toBe(false);
  });
});
