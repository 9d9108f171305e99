// The state one running simulator shares between its routes, its step loop and its responses:
// configuration, the scheduler, the live responses by request number, counters for /metrics,
// the ground-truth sink, the shared write buffers, and the clocks (monotonic ms, and its offset
// to the wall-clock epoch).

import type { FaultName } from '../core/sim/fault-plan.js';
import type { BatchScheduler } from '../core/sim/scheduler.js';
import type { Tokenizer } from '../core/tokenizer.js';
import type { BufferPool } from './buffer-pool.js';
import type { SimulatorConfig } from './sim-options.js';
import type { StepLoop } from './step-loop.js';
import type { TruthSink } from './truth-log.js';

/** What the step loop needs from a live response. */
export interface LiveResponse {
  /** `startMs`: the admitting step's start on the model clock */
  admitted(cachedTokens: number, startMs: number): void;
  /** `dueMs`: the end of the step that produced the token, on the model clock */
  token(tokenIndex: number, finished: boolean, dueMs: number): void;
}

export interface SimCounters {
  /** completion requests received (the fault plan's numbering) */
  requests: number;
  /** finished generations by finish reason */
  finished: { stop: number; length: number };
  /** generations cut short: client gone, reset, error event */
  aborted: number;
  /** 4xx/5xx answers to completion requests, faults included */
  rejected: number;
  faults: Map<FaultName, number>;
}

export interface SimContext {
  readonly config: SimulatorConfig;
  readonly scheduler: BatchScheduler;
  readonly loop: StepLoop;
  readonly tokenizer: Tokenizer;
  readonly truth: TruthSink | undefined;
  readonly live: Map<number, LiveResponse>;
  readonly counters: SimCounters;
  /** write buffers shared by the responses */
  readonly buffers: BufferPool;
  /** monotonic ms (performance.now()) */
  now(): number;
  /** a monotonic time as epoch ms (performance.timeOrigin + t) */
  epochMs(monoMs: number): number;
  /** seconds since the epoch, for `created` fields */
  createdS(): number;
}
