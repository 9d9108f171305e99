import { describe, expect, it } from 'vitest';
import { ProcessLoadMonitor } from '../../src/host/process-load.js';

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin: the event loop is blocked for `ms`
  }
}

describe('ProcessLoadMonitor', () => {
  it('sees a blocked event loop as delay, and the spin as CPU and loop use', async () => {
    const monitor = ProcessLoadMonitor.start(5);
    await new Promise((r) => setTimeout(r, 30));
    busy(120);
    await new Promise((r) => setTimeout(r, 30));
    const sample = monitor.stop();
    // the timer due during the 120 ms spin fired ~115 ms late
    expect(sample.eventLoopDelayMs.max).toBeGreaterThan(60);
    expect(sample.eventLoopDelayMs.max).toBeLessThan(2000);
    expect(sample.eventLoopDelayMs.p50).toBeLessThanOrEqual(sample.eventLoopDelayMs.p99);
    expect(sample.wallMs).toBeGreaterThanOrEqual(170);
    expect(sample.cpuFraction).toBeGreaterThan(0.2);
    expect(sample.loopUtilization).toBeGreaterThan(0.3);
    expect(sample.loopUtilization).toBeLessThanOrEqual(1);
  });

  it('sees an idle loop as idle', async () => {
    const monitor = ProcessLoadMonitor.start(5);
    await new Promise((r) => setTimeout(r, 150));
    const sample = monitor.stop();
    expect(sample.loopUtilization).toBeLessThan(0.5);
    // an idle loop's timer fires on time up to scheduling noise (the machine may be busy)
    expect(sample.eventLoopDelayMs.p50).toBeLessThan(20);
  });

  it('returns the same sample when stopped twice', async () => {
    const monitor = ProcessLoadMonitor.start();
    await new Promise((r) => setTimeout(r, 20));
    const a = monitor.stop();
    await new Promise((r) => setTimeout(r, 20));
    expect(monitor.stop()).toBe(a);
  });
});
