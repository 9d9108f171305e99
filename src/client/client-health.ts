// Is the client the bottleneck? (SPEC §3.9) While a cell's measured windows run, this samples the
// event-loop delay (perf_hooks histogram) and the process CPU time, counts the events recorded,
// and afterwards turns them, with the dispatch lag metrics derived, into the report's `client`
// block: a `client_limited` flag with the reasons that set it.

import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import type { GoodputExtension } from '../core/schema/extension.js';

/** The event loop was late by more than this at p99 (ms): timestamps may be late by as much. */
export const EVENT_LOOP_DELAY_P99_LIMIT_MS = 10;
/** The client used at least this share of one core during the measured windows. */
export const CPU_FRACTION_LIMIT = 0.9;
/** Open loop: requests went out later than planned by more than this at p99 (ms). */
export const DISPATCH_LAG_P99_LIMIT_MS = 10;

/** Sampling interval of the event-loop delay histogram (ms). */
const RESOLUTION_MS = 10;

export class ClientHealthMonitor {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private cpuStart: NodeJS.CpuUsage | undefined;
  private wallStartMs = 0;
  private cpuMicros = 0;
  private wallMs = 0;
  private events = 0;

  /** Starts sampling (at a measured window's start). */
  start(): void {
    this.histogram.enable();
    this.cpuStart = process.cpuUsage();
    this.wallStartMs = performance.now();
  }

  /** Stops sampling (at the window's end); start/stop pairs accumulate over a cell's repeats. */
  stop(): void {
    this.histogram.disable();
    if (this.cpuStart === undefined) return;
    const used = process.cpuUsage(this.cpuStart);
    this.cpuMicros += used.user + used.system;
    this.wallMs += performance.now() - this.wallStartMs;
    this.cpuStart = undefined;
  }

  /** Output events the client recorded while sampling. */
  countEvents(n: number): void {
    this.events += n;
  }

  /**
   * The report's `client` block. `dispatchLag` is metrics' client queue time (send − scheduled)
   * summary for open-loop cells.
   */
  summary(dispatchLag?: {
    readonly p50: number;
    readonly p99: number;
    readonly max: number;
  }): NonNullable<GoodputExtension['client']> {
    const h = this.histogram;
    // the histogram records the interval between samples; the delay is what exceeds the resolution
    const ms = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
    const reasons: string[] = [];
    const hasLoopSamples = h.count > 0;
    const loop = hasLoopSamples
      ? { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) }
      : undefined;
    const cpuFraction = this.wallMs > 0 ? this.cpuMicros / 1000 / this.wallMs : undefined;
    if (loop !== undefined && loop.p99 > EVENT_LOOP_DELAY_P99_LIMIT_MS) {
      reasons.push(
        `event-loop delay p99 ${loop.p99.toFixed(1)} ms > ${EVENT_LOOP_DELAY_P99_LIMIT_MS} ms: event timestamps may be late`,
      );
    }
    if (cpuFraction !== undefined && cpuFraction >= CPU_FRACTION_LIMIT) {
      reasons.push(`the client used ${(cpuFraction * 100).toFixed(0)} % of a core while measuring`);
    }
    if (dispatchLag !== undefined && dispatchLag.p99 > DISPATCH_LAG_P99_LIMIT_MS) {
      reasons.push(
        `open-loop dispatch lag p99 ${dispatchLag.p99.toFixed(1)} ms > ${DISPATCH_LAG_P99_LIMIT_MS} ms: requests left late`,
      );
    }
    return {
      client_limited: reasons.length > 0,
      reasons,
      ...(dispatchLag === undefined
        ? {}
        : { dispatch_lag_ms: { p50: dispatchLag.p50, p99: dispatchLag.p99, max: dispatchLag.max } }),
      ...(loop === undefined ? {} : { event_loop_delay_ms: loop }),
      ...(cpuFraction === undefined ? {} : { cpu_fraction: cpuFraction }),
      ...(this.wallMs > 0 ? { events_per_s: (this.events / this.wallMs) * 1000 } : {}),
    };
  }
}
