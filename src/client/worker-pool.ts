// bench-serve --workers N (SPEC §3.9): one repeat's plan spread over N worker threads
// (worker-pool-share.ts decides who sends what), every thread warming up on its own and then
// starting the measured phase at one common instant, records streaming back to this thread in
// batches on this thread's clock. The outcome is shaped like runRepeat's, so everything after it
// (recording, aggregation, reports) is the same as for one thread.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { GoodputError } from '../core/errors.js';
import type { LoopResult, RecordSink } from './loop-request.js';
import { type RepeatOutcome, type RepeatPlan, repeatWindow } from './repeat-runner.js';
import type { GenerationClientOptions } from './request-executor.js';
import type { RunControl } from './run-control.js';
import type { MainToWorker, WorkerInit, WorkerLoad, WorkerToMain } from './worker-pool-protocol.js';
import { shareOfPlan, usefulThreads } from './worker-pool-share.js';

/** The measured phase starts this long after the last thread finished its warmup (ms). */
const GO_LEAD_MS = 20;

/** dist/client/worker-pool-thread.js, from src/ (tests) or dist/ alike. */
function workerPoolEntry(): string {
  return fileURLToPath(new URL('../../dist/client/worker-pool-thread.js', import.meta.url));
}

export interface PoolRepeatOutcome extends RepeatOutcome {
  /** false once any thread saw the server reject stream_options */
  readonly includeUsage: boolean;
  readonly streamOptionsRejected: boolean;
  /** per thread that ran, its measured-phase load */
  readonly threads: readonly WorkerLoad[];
}

interface Slot {
  readonly worker: Worker;
  inFlight: number;
  handler: ((message: WorkerToMain) => void) | undefined;
  failure: Error | undefined;
}

export class WorkerPool {
  private readonly slots: Slot[];
  private closed = false;

  private constructor(slots: Slot[]) {
    this.slots = slots;
  }

  /** Starts `threads` workers (≥ 2 to be worth it; 1 works too). */
  static start(threads: number): WorkerPool {
    const entry = workerPoolEntry();
    if (!existsSync(entry)) {
      throw new GoodputError('INTERNAL', `the worker entry ${entry} does not exist`, {
        hint: 'run `npm run build` first',
      });
    }
    const slots: Slot[] = [];
    for (let thread = 0; thread < threads; thread++) {
      const init: WorkerInit = { thread, threads, mainTimeOriginMs: performance.timeOrigin };
      const worker = new Worker(entry, { workerData: init });
      const slot: Slot = { worker, inFlight: 0, handler: undefined, failure: undefined };
      worker.on('message', (m: WorkerToMain) => slot.handler?.(m));
      const fail = (e: Error) => {
        slot.failure ??= e;
        slot.handler?.({ type: 'failed', message: e.message });
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`worker thread ${thread} exited (code ${code})`)));
      slots.push(slot);
    }
    return new WorkerPool(slots);
  }

  get size(): number {
    return this.slots.length;
  }

  /** Requests in flight over every thread (as of their last batch). */
  get inFlightCount(): number {
    let n = 0;
    for (const s of this.slots) n += s.inFlight;
    return n;
  }

  /**
   * Runs one repeat over the threads (a closed loop uses at most K of them). The plan's
   * measuredWindow hooks run here, around the common measured phase. Rejects with a GoodputError
   * if a thread fails (a bug), never for a failed request.
   */
  async runRepeat(
    client: GenerationClientOptions,
    plan: RepeatPlan,
    sink: RecordSink,
    control: RunControl,
  ): Promise<PoolRepeatOutcome> {
    if (this.closed) throw new GoodputError('INTERNAL', 'the worker pool is closed');
    const { measuredWindow, ...data } = plan;
    const active = this.slots.slice(0, usefulThreads(data, this.slots.length));
    const n = active.length;
    const done: Array<Extract<WorkerToMain, { type: 'done' }> | undefined> = active.map(() => undefined);
    let ready = 0;
    let finished = 0;
    let started = false;
    const send = (message: MainToWorker) => {
      for (const s of active) s.worker.postMessage(message);
    };
    const offStop = control.onStop(() => send({ type: 'stop', reason: control.reason ?? 'stopped' }));
    const offHurry = control.onHurry(() => send({ type: 'hurry' }));
    try {
      await new Promise<void>((resolve, reject) => {
        active.forEach((slot, w) => {
          if (slot.failure !== undefined) {
            reject(threadFailure(w, slot.failure.message));
            return;
          }
          slot.inFlight = 0;
          slot.handler = (m) => {
            switch (m.type) {
              case 'records':
                slot.inFlight = m.inFlight;
                for (const r of m.records) sink(r);
                break;
              case 'ready':
                if (++ready === n) {
                  // every thread warmed up: open the measured window, then start them together
                  Promise.resolve(measuredWindow?.start())
                    .then(() => {
                      started = true;
                      send({ type: 'go', atMs: performance.now() + GO_LEAD_MS });
                    })
                    .catch(reject);
                }
                break;
              case 'done':
                slot.inFlight = 0;
                done[w] = m;
                if (++finished === n) {
                  Promise.resolve(started ? measuredWindow?.end() : undefined).then(() => resolve(), reject);
                }
                break;
              case 'failed':
                reject(threadFailure(w, m.message));
                break;
            }
          };
        });
        active.forEach((slot, w) => {
          const share = shareOfPlan(data, w, n);
          // each thread's pool is sized to its own share of the streams (or of the in-flight cap)
          const connections =
            share.load.kind === 'closed'
              ? share.load.concurrency
              : (share.load.maxConcurrency ?? client.connections);
          const message: MainToWorker = { type: 'repeat', client: { ...client, connections }, plan: share };
          slot.worker.postMessage(message);
        });
      });
    } finally {
      offStop();
      offHurry();
      for (const s of active) s.handler = undefined;
    }
    const results = done as Array<Extract<WorkerToMain, { type: 'done' }>>;
    const warmup = mergeLoops(results.map((d) => d.warmup));
    const measured = mergeLoops(results.map((d) => d.measured));
    const window = repeatWindow(plan.repeat, warmup, measured);
    return {
      window,
      warmup,
      measured,
      preconnected: results.reduce((a, d) => a + d.preconnected, 0),
      includeUsage: results.every((d) => d.includeUsage),
      streamOptionsRejected: results.some((d) => d.streamOptionsRejected),
      threads: results.map((d) => d.load),
    };
  }

  /** Ends every thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.slots) s.handler = undefined;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

function threadFailure(thread: number, message: string): GoodputError {
  return new GoodputError('INTERNAL', `load-generating thread ${thread} failed: ${message}`);
}

/** The union of the threads' loops: earliest start, latest end, sums of counts. */
function mergeLoops(loops: readonly LoopResult[]): LoopResult {
  let startMs = Number.POSITIVE_INFINITY;
  let endMs = Number.NEGATIVE_INFINITY;
  let sent = 0;
  let unsent = 0;
  for (const l of loops) {
    startMs = Math.min(startMs, l.startMs);
    endMs = Math.max(endMs, l.endMs);
    sent += l.sent;
    unsent += l.unsent;
  }
  return { startMs, endMs, sent, unsent };
}
