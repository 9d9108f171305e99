// Worker-thread entry of bench-serve --workers N (client/worker-pool.ts): for each repeat it is
// sent, runs its share with its own connection pool (runRepeat, the same code as one thread),
// waits at the warmup/measured barrier for the common start, streams its records back in small
// batches on the main thread's clock, and reports its loop windows and its own load.

import { parentPort, workerData } from 'node:worker_threads';
import type { RequestRecord } from '../core/schema/request-record.js';
import { ProcessLoadMonitor } from '../host/process-load.js';
import { runRepeat } from './repeat-runner.js';
import { GenerationClient } from './request-executor.js';
import { RunControl } from './run-control.js';
import {
  clockShiftMs,
  loopToMainClock,
  type MainToWorker,
  toMainClock,
  type WorkerInit,
  type WorkerToMain,
} from './worker-pool-protocol.js';

/** Records are sent back at least this often, and whenever this many are waiting. */
const BATCH_MS = 20;
const BATCH_RECORDS = 256;

const port = parentPort;
if (port !== null) {
  const init = workerData as WorkerInit;
  const shiftMs = clockShiftMs(init.mainTimeOriginMs, performance.timeOrigin);
  const post = (message: WorkerToMain) => port.postMessage(message);
  let control = new RunControl();
  let client: GenerationClient | undefined;
  /** releases the barrier: the common start (main clock), or undefined when the run stopped */
  let go: ((atMs: number | undefined) => void) | undefined;

  let batch: RequestRecord[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (batch.length === 0) return;
    post({ type: 'records', records: batch, inFlight: client?.inFlightCount ?? 0 });
    batch = [];
  };
  const sink = (record: RequestRecord) => {
    batch.push(toMainClock(record, shiftMs, init.thread, init.threads));
    if (batch.length >= BATCH_RECORDS) flush();
    else timer ??= setTimeout(flush, BATCH_MS);
  };

  const runShare = async (message: Extract<MainToWorker, { type: 'repeat' }>) => {
    control = new RunControl();
    const c = new GenerationClient(message.client);
    client = c;
    let monitor: ProcessLoadMonitor | undefined;
    try {
      const outcome = await runRepeat(
        c,
        {
          ...message.plan,
          measuredWindow: {
            start: async () => {
              flush();
              const atMs = await new Promise<number | undefined>((resolve) => {
                go = resolve;
                post({ type: 'ready' });
              });
              monitor = ProcessLoadMonitor.start();
              if (atMs === undefined) return undefined;
              // every thread's schedule starts at the common instant, however late this one wakes
              const originMs = atMs - shiftMs;
              await control.sleepUntil(originMs);
              return { originMs };
            },
            end: () => {
              monitor?.stop();
            },
          },
        },
        sink,
        control,
      );
      flush();
      const load = monitor?.stop();
      post({
        type: 'done',
        warmup: loopToMainClock(outcome.warmup, shiftMs),
        measured: loopToMainClock(outcome.measured, shiftMs),
        preconnected: outcome.preconnected,
        includeUsage: c.includeUsage,
        streamOptionsRejected: c.streamOptionsRejected,
        load: {
          loopUtilization: load?.loopUtilization ?? 0,
          eventLoopDelayMs: load?.eventLoopDelayMs ?? { p50: 0, p99: 0, max: 0 },
        },
      });
    } finally {
      client = undefined;
      await c.close();
    }
  };

  port.on('message', (message: MainToWorker) => {
    switch (message.type) {
      case 'repeat':
        runShare(message).catch((e: unknown) =>
          post({ type: 'failed', message: (e as Error).stack ?? String(e) }),
        );
        break;
      case 'go':
        go?.(message.atMs);
        go = undefined;
        break;
      case 'stop':
        control.stop(message.reason);
        // a thread waiting at the barrier goes on at once: its measured loop sends nothing
        go?.(undefined);
        go = undefined;
        break;
      case 'hurry':
        control.hurry();
        break;
    }
  });
}
