// Is the client the bottleneck? (SPEC §3.9) The runner's side of it: while each measured window
// of a cell runs, this samples the sending thread (host/process-load.ts; worker threads sample
// themselves and report back), counts the output events and requests it timed, and at the end
// hands the worst repeat, the open-loop dispatch lag and the calibration to assessClientHealth
// (core/client-health), which decides `client_limited` and its reasons.

import { assessClientHealth, type DelaySummary } from '../core/client-health/assess-client-health.js';
import type { Calibration } from '../core/client-health/calibration.js';
import { combineLoad, type RepeatLoad, type ThreadLoadSample } from '../core/client-health/combine-load.js';
import type { ClientHealth } from '../core/schema/extension.js';
import type { RepeatWindow, RequestRecord } from '../core/schema/request-record.js';
import { ProcessLoadMonitor } from '../host/process-load.js';
import type { WorkerLoad } from './worker-pool-protocol.js';

/** What kind of load a cell offers, as far as judging the client goes. */
export interface CellLoadKind {
  readonly open: boolean;
  /** open loop with --max-concurrency: queue time is the cap's, not dispatch lag */
  readonly capped: boolean;
}

export class ClientHealthMonitor {
  private readonly kind: CellLoadKind;
  private readonly repeats: RepeatLoad[] = [];
  private monitor: ProcessLoadMonitor | undefined;
  private sample: ThreadLoadSample | undefined;
  private events = 0;
  private completed = 0;

  constructor(kind: CellLoadKind) {
    this.kind = kind;
  }

  /** The measured window starts (on the thread that sends, when that is this one). */
  windowStart(): void {
    this.monitor = ProcessLoadMonitor.start();
    this.sample = undefined;
    this.events = 0;
    this.completed = 0;
  }

  /** The measured window ends. */
  windowEnd(): void {
    const s = this.monitor?.stop();
    this.monitor = undefined;
    if (s !== undefined) {
      this.sample = {
        cpuFraction: s.cpuFraction,
        loopUtilization: s.loopUtilization,
        eventLoopDelayMs: s.eventLoopDelayMs,
      };
    }
  }

  /** A measured record of the current repeat. */
  count(record: RequestRecord): void {
    this.events += record.event_ms.length;
    if (record.status !== undefined && record.status >= 200 && record.status < 300) this.completed++;
  }

  /**
   * The repeat is over. `threads`: the worker threads' own samples when the repeat ran on them
   * (their busy fraction stands in for CPU: Node 20 has no per-thread CPU clock); otherwise this
   * thread's sample is the sender's.
   */
  endRepeat(window: RepeatWindow, threads?: readonly WorkerLoad[]): void {
    const samples: ThreadLoadSample[] =
      threads !== undefined
        ? threads.map((t) => ({
            cpuFraction: t.loopUtilization,
            loopUtilization: t.loopUtilization,
            eventLoopDelayMs: t.eventLoopDelayMs,
          }))
        : this.sample === undefined
          ? []
          : [this.sample];
    this.repeats.push({
      threads: samples,
      windowMs: window.end_ms - window.start_ms,
      outputEvents: this.events,
      completedRequests: this.completed,
    });
  }

  /**
   * The report's `client` block. `queueMs` is metrics' client queue time (send − scheduled) of the
   * cell's measured requests: the dispatch lag of an open loop without a cap.
   */
  health(queueMs: Partial<DelaySummary> | undefined, calibration?: Calibration): ClientHealth {
    const lag =
      this.kind.open &&
      !this.kind.capped &&
      queueMs?.p50 !== undefined &&
      queueMs.p99 !== undefined &&
      queueMs.max !== undefined
        ? {
            p50: queueMs.p50,
            p99: queueMs.p99,
            max: queueMs.max,
            ...(queueMs.n === undefined ? {} : { n: queueMs.n }),
          }
        : undefined;
    const measured = combineLoad(this.repeats, lag);
    // an open loop spins through the last 1.5 ms before each send (RunControl.sleepUntil), so at
    // high rates its thread is busy by design; dispatch lag is the direct measure there
    const { cpuFraction: _spinning, ...openMeasured } = measured;
    return assessClientHealth(this.kind.open ? openMeasured : measured, calibration);
  }
}
