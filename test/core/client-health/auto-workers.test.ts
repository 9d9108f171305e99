import { describe, expect, it } from 'vitest';
import { autoWorkers } from '../../../src/core/client-health/auto-workers.js';
import type { Calibration } from '../../../src/core/client-health/calibration.js';

const calibration: Calibration = {
  schema_version: 1,
  measured_at: 'x',
  max_events_per_s: 100_000,
  max_requests_per_s: 1_000,
  levels: [],
};

describe('autoWorkers', () => {
  // per thread at the 0.8 margin: 80 000 events/s and 800 requests/s
  it.each([
    ['no calibration', { rateRps: 5000, outputTokens: 128 }, undefined, 8, 1],
    ['a closed loop', { outputTokens: 128 }, calibration, 8, 1],
    ['within one thread', { rateRps: 100, outputTokens: 128 }, calibration, 8, 1],
    ['exactly at one thread’s margin', { rateRps: 625, outputTokens: 128 }, calibration, 8, 1],
    ['events need two threads', { rateRps: 700, outputTokens: 128 }, calibration, 8, 2],
    ['requests need three threads', { rateRps: 2000, outputTokens: 1 }, calibration, 8, 3],
    ['capped by the cores', { rateRps: 20_000, outputTokens: 128 }, calibration, 2, 2],
    [
      'a zero ceiling is no information',
      { rateRps: 20_000, outputTokens: 128 },
      { ...calibration, max_events_per_s: 0, max_requests_per_s: 0 },
      8,
      1,
    ],
  ] as const)('%s', (_name, load, cal, cores, workers) => {
    const choice = autoWorkers(load, cal as Calibration | undefined, cores);
    expect(choice.workers).toBe(workers);
    expect(choice.reason.length).toBeGreaterThan(10);
  });

  it('says when the cores capped the choice', () => {
    expect(autoWorkers({ rateRps: 20_000, outputTokens: 128 }, calibration, 2).reason).toContain(
      'capped at 2',
    );
  });
});
