// How loaded the load generator itself is while it runs (SPEC §3.9): the event-loop delay of the
// calling thread (perf_hooks.monitorEventLoopDelay), its event-loop utilisation, and the process's
// CPU time (process.cpuUsage: every thread of the process, so per thread only when single-threaded).

import { type IntervalHistogram, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { DelaySummary } from '../core/client-health/assess-client-health.js';

export interface ProcessLoadSample {
  readonly wallMs: number;
  /** process CPU time (user + system, all threads) / wall time; 1 = one core busy */
  readonly cpuFraction: number;
  /** fraction of the wall time this thread's event loop was busy (not waiting for I/O), 0..1 */
  readonly loopUtilization: number;
  /** how late the monitor's timer fired, beyond its interval (ms) */
  readonly eventLoopDelayMs: DelaySummary;
}

/** Default sampling interval of the event-loop delay monitor, ms. */
const LOOP_DELAY_RESOLUTION_MS = 10;

export class ProcessLoadMonitor {
  private readonly histogram: IntervalHistogram;
  private readonly resolutionMs: number;
  private readonly startMs = performance.now();
  private readonly cpu0 = process.cpuUsage();
  private readonly elu0 = performance.eventLoopUtilization();
  private stopped: ProcessLoadSample | undefined;

  private constructor(resolutionMs: number) {
    this.resolutionMs = resolutionMs;
    this.histogram = monitorEventLoopDelay({ resolution: resolutionMs });
    this.histogram.enable();
  }

  /** Starts sampling the calling thread now. */
  static start(resolutionMs = LOOP_DELAY_RESOLUTION_MS): ProcessLoadMonitor {
    return new ProcessLoadMonitor(resolutionMs);
  }

  /** Stops sampling and returns the window's figures (the same object on later calls). */
  stop(): ProcessLoadSample {
    if (this.stopped !== undefined) return this.stopped;
    this.histogram.disable();
    const wallMs = performance.now() - this.startMs;
    const cpu = process.cpuUsage(this.cpu0);
    const elu = performance.eventLoopUtilization(this.elu0);
    const h = this.histogram;
    // the histogram holds whole timer intervals in ns; the delay is what exceeds the interval
    const delay = (ns: number) => (h.count === 0 ? 0 : Math.max(0, ns / 1e6 - this.resolutionMs));
    this.stopped = {
      wallMs,
      cpuFraction: wallMs > 0 ? (cpu.user + cpu.system) / 1000 / wallMs : 0,
      loopUtilization: elu.utilization,
      eventLoopDelayMs: { p50: delay(h.percentile(50)), p99: delay(h.percentile(99)), max: delay(h.max) },
    };
    return this.stopped;
  }
}
