import { describe, expect, it } from 'vitest';
import { combineLoad, type RepeatLoad } from '../../../src/core/client-health/combine-load.js';

const thread = (cpu: number, p99: number) => ({
  cpuFraction: cpu,
  loopUtilization: cpu / 2,
  eventLoopDelayMs: { p50: p99 / 4, p99, max: p99 * 2 },
});

describe('combineLoad', () => {
  it('takes the worst repeat and the busiest thread, rates per repeat', () => {
    const repeats: RepeatLoad[] = [
      {
        threads: [thread(0.5, 4), thread(0.7, 2)],
        windowMs: 2000,
        outputEvents: 20_000,
        completedRequests: 100,
      },
      {
        threads: [thread(0.6, 9), thread(0.2, 1)],
        windowMs: 1000,
        outputEvents: 8_000,
        completedRequests: 60,
      },
    ];
    const lag = { p50: 0.1, p99: 0.4, max: 1 };
    expect(combineLoad(repeats, lag)).toEqual({
      cpuFraction: 0.7,
      loopUtilization: 0.35,
      eventLoopDelayMs: { p50: 2.25, p99: 9, max: 18 },
      dispatchLagMs: lag,
      eventsPerS: 10_000,
      requestsPerS: 60,
      threads: 2,
    });
  });

  it('leaves out what was not measured', () => {
    expect(combineLoad([])).toEqual({ threads: 1 });
    expect(combineLoad([{ threads: [], windowMs: 0, outputEvents: 5, completedRequests: 1 }])).toEqual({
      threads: 1,
    });
  });
});
