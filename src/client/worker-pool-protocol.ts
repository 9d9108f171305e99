// The messages between bench-serve's main thread and its load-generating worker threads, and the
// clock they share: every time a worker sends is on the MAIN thread's performance.now() clock.
// A worker's performance.now() counts from its own performance.timeOrigin (Node may start it at
// the worker's birth), so it adds (its origin − main's origin), both epoch ms, to each timestamp.

import type { DelaySummary } from '../core/client-health/assess-client-health.js';
import type { RequestRecord } from '../core/schema/request-record.js';
import type { LoopResult } from './loop-request.js';
import type { GenerationClientOptions } from './request-executor.js';
import type { SharedRepeatPlan } from './worker-pool-share.js';

/** What every worker is born with. */
export interface WorkerInit {
  /** 0-based thread number */
  readonly thread: number;
  readonly threads: number;
  /** the main thread's performance.timeOrigin (epoch ms) */
  readonly mainTimeOriginMs: number;
}

export type MainToWorker =
  | { readonly type: 'repeat'; readonly client: GenerationClientOptions; readonly plan: SharedRepeatPlan }
  /** start the measured phase at this main-clock time (every thread at once) */
  | { readonly type: 'go'; readonly atMs: number }
  | { readonly type: 'stop'; readonly reason: string }
  | { readonly type: 'hurry' };

/** One thread's busy-ness over its measured phase. */
export interface WorkerLoad {
  /** busy fraction of the worker's event loop (Node 20 has no per-thread CPU clock) */
  readonly loopUtilization: number;
  readonly eventLoopDelayMs: DelaySummary;
}

export type WorkerToMain =
  /** finished records (main clock) and the requests now in flight on this thread */
  | { readonly type: 'records'; readonly records: RequestRecord[]; readonly inFlight: number }
  /** warmup done: waiting for `go` */
  | { readonly type: 'ready' }
  | {
      readonly type: 'done';
      readonly warmup: LoopResult;
      readonly measured: LoopResult;
      readonly preconnected: number;
      readonly includeUsage: boolean;
      readonly streamOptionsRejected: boolean;
      readonly load: WorkerLoad;
    }
  | { readonly type: 'failed'; readonly message: string };

/** ms to add to this thread's performance.now() to get the main thread's. */
export function clockShiftMs(mainTimeOriginMs: number, ownTimeOriginMs: number): number {
  return ownTimeOriginMs - mainTimeOriginMs;
}

/** A record's timestamps moved by `shiftMs` (in place) and its connection number made unique across threads. */
export function toMainClock(
  record: RequestRecord,
  shiftMs: number,
  thread: number,
  threads: number,
): RequestRecord {
  if (shiftMs !== 0) {
    if (record.scheduled_ms !== undefined) record.scheduled_ms += shiftMs;
    record.send_ms += shiftMs;
    if (record.connected_ms !== undefined) record.connected_ms += shiftMs;
    if (record.headers_ms !== undefined) record.headers_ms += shiftMs;
    const events = record.event_ms;
    for (let i = 0; i < events.length; i++) events[i] = (events[i] as number) + shiftMs;
    record.end_ms += shiftMs;
  }
  // connections are numbered per thread: interleave so trace tracks never collide
  if (record.conn !== undefined) record.conn = record.conn * threads + thread;
  return record;
}

/** A loop's window on the main clock. */
export function loopToMainClock(result: LoopResult, shiftMs: number): LoopResult {
  return { ...result, startMs: result.startMs + shiftMs, endMs: result.endMs + shiftMs };
}
