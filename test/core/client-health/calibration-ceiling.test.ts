import { describe, expect, it } from 'vitest';
import type { CalibrationLevel } from '../../../src/core/client-health/calibration.js';
import {
  DEFAULT_FIDELITY_CRITERIA,
  judgeLevel,
  type LevelMeasurement,
  rampCeiling,
} from '../../../src/core/client-health/calibration-ceiling.js';

const events = (over: Partial<LevelMeasurement> = {}): LevelMeasurement => ({
  kind: 'events',
  offered_per_s: 10_000,
  achieved_per_s: 10_000,
  ttft_error_p50_ms: 0.2,
  event_error_p99_ms: 1,
  loop_utilization: 0.6,
  ...over,
});

describe('judgeLevel', () => {
  const cases: Array<[string, LevelMeasurement, LevelMeasurement | undefined, string[]]> = [
    ['within every target', events(), undefined, []],
    ['timed too little of the offered rate', events({ achieved_per_s: 8_999 }), undefined, ['achieved_rate']],
    ['90 % of the offered rate is enough', events({ achieved_per_s: 9_000 }), undefined, []],
    ['TTFT error median above 0.5 ms', events({ ttft_error_p50_ms: 0.51 }), undefined, ['ttft_error_p50']],
    [
      'arrival tail above 2 ms with a light first level',
      events({ event_error_p99_ms: 2.5 }),
      events(),
      ['event_error_p99'],
    ],
    // the first level's tail was 4 ms (a noisy machine): up to 1.5 × 4 = 6 ms is allowed
    [
      'arrival tail within 1.5 × the first level',
      events({ event_error_p99_ms: 5.9 }),
      events({ event_error_p99_ms: 4 }),
      [],
    ],
    [
      'arrival tail beyond 1.5 × the first level',
      events({ event_error_p99_ms: 6.1 }),
      events({ event_error_p99_ms: 4 }),
      ['event_error_p99'],
    ],
    [
      'a tail with the client loop mostly idle is the machine',
      events({ event_error_p99_ms: 30, loop_utilization: 0.1 }),
      events(),
      [],
    ],
    [
      'dispatch lag tail',
      { kind: 'requests', offered_per_s: 800, achieved_per_s: 800, dispatch_lag_p99_ms: 3.1 },
      { kind: 'requests', offered_per_s: 100, achieved_per_s: 100, dispatch_lag_p99_ms: 2 },
      ['dispatch_lag_p99'],
    ],
    [
      'missing errors are not judged',
      { kind: 'requests', offered_per_s: 800, achieved_per_s: 800 },
      undefined,
      [],
    ],
  ];
  it.each(cases)('%s', (_name, m, first, failed) => {
    const level = judgeLevel(m, DEFAULT_FIDELITY_CRITERIA, first);
    expect(level.failed).toEqual(failed);
    expect(level.ok).toBe(failed.length === 0);
    expect(level.achieved_per_s).toBe(m.achieved_per_s);
  });

  it('a first level is its own tail reference', () => {
    expect(judgeLevel(events({ event_error_p99_ms: 9 })).ok).toBe(true);
  });
});

describe('rampCeiling', () => {
  const level = (achieved: number, ok: boolean): CalibrationLevel => ({
    kind: 'events',
    offered_per_s: achieved,
    achieved_per_s: achieved,
    ok,
    failed: ok ? [] : ['event_error_p99'],
  });
  it.each([
    ['no levels', [], 0],
    ['the first level failed', [level(100, false), level(200, true)], 0],
    [
      'stops at the first failure',
      [level(100, true), level(200, true), level(400, false), level(800, true)],
      200,
    ],
    ['every level passed', [level(100, true), level(200, true)], 200],
    ['the largest achieved, not the last', [level(300, true), level(250, true), level(100, false)], 300],
  ] as Array<[string, CalibrationLevel[], number]>)('%s', (_name, levels, ceiling) => {
    expect(rampCeiling(levels)).toBe(ceiling);
  });
});
