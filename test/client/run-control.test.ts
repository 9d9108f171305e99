// RunControl's waits: sleepUntil never returns before its due time, spins its last ~1.5 ms on
// setImmediate turns that still let I/O and other callbacks run, and ends early once the run stops.

import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { RunControl } from '../../src/client/run-control.js';

describe('RunControl.sleepUntil', () => {
  it('returns at or after its due time, through the timer and the spin window', async () => {
    const control = new RunControl();
    for (const aheadMs of [0.3, 1.2, 4, 12]) {
      const due = performance.now() + aheadMs;
      await control.sleepUntil(due);
      expect(performance.now()).toBeGreaterThanOrEqual(due);
    }
  });

  it('returns at once when the due time has passed', async () => {
    const control = new RunControl();
    let later = false;
    setImmediate(() => {
      later = true;
    });
    await control.sleepUntil(performance.now() - 5);
    // resolved without waiting for an event-loop turn
    expect(later).toBe(false);
  });

  it('lets other callbacks run while it spins', async () => {
    const control = new RunControl();
    let turns = 0;
    const tick = () => {
      turns++;
      if (turns < 1000) setImmediate(tick);
    };
    setImmediate(tick);
    await control.sleepUntil(performance.now() + 1.4);
    expect(turns).toBeGreaterThan(0);
  });

  it('ends early when the run stops, and does not wait at all once stopped', async () => {
    const control = new RunControl();
    const start = performance.now();
    setTimeout(() => control.stop('test'), 5);
    await control.sleepUntil(start + 10_000);
    expect(performance.now() - start).toBeLessThan(5_000);

    let later = false;
    setImmediate(() => {
      later = true;
    });
    await control.sleepUntil(performance.now() + 10_000);
    expect(later).toBe(false);
  });
});
