// The open loop (ferrum §8.13, SPEC §2.5/§3.2): requests go out at precomputed absolute offsets
// from one monotonic origin, never relative sleeps, so lateness never accumulates. A late loop
// sends at once (no skipping). With a max-concurrency cap, arrivals wait in a FIFO queue and their
// queue time shows as send_ms − scheduled_ms.

import type { LoopResult, MakeRequest, RecordSink } from './loop-request.js';
import { unsentRecord } from './loop-request.js';
import type { GenerationClient } from './request-executor.js';
import type { RunControl } from './run-control.js';

export interface OpenLoopOptions {
  /** absolute send offsets in ms from `originMs`, non-decreasing */
  readonly offsetsMs: readonly number[];
  /** the schedule origin on the performance.now() clock (default: now) */
  readonly originMs?: number;
  /** at most this many requests in flight; later arrivals queue (default: no cap, as ferrum) */
  readonly maxConcurrency?: number;
}

/** Runs the schedule; resolves when every planned request has its record. */
export async function runOpenLoop(
  client: GenerationClient,
  options: OpenLoopOptions,
  make: MakeRequest,
  sink: RecordSink,
  control: RunControl,
): Promise<LoopResult> {
  const offsets = options.offsetsMs;
  const cap = options.maxConcurrency ?? Number.POSITIVE_INFINITY;
  const originMs = options.originMs ?? performance.now();
  const queue: Array<{ index: number; scheduledMs: number }> = [];
  let inFlight = 0;
  let sent = 0;
  let settled = 0;
  let idle: (() => void) | undefined;
  // done when nothing is in flight and nothing queued can still go out
  const isIdle = () => settled === sent && (queue.length === 0 || control.stopped);

  const start = (index: number, scheduledMs: number) => {
    inFlight++;
    sent++;
    const request = make(index, scheduledMs);
    void client.send(request.plan, request.prompt).then((record) => {
      inFlight--;
      settled++;
      sink(record);
      const queued = control.stopped ? undefined : queue.shift();
      if (queued !== undefined) start(queued.index, queued.scheduledMs);
      if (idle !== undefined && isIdle()) idle();
    });
  };

  let i = 0;
  for (; i < offsets.length && !control.stopped; i++) {
    const scheduledMs = originMs + (offsets[i] as number);
    await control.sleepUntil(scheduledMs);
    if (control.stopped) break;
    if (inFlight < cap) start(i, scheduledMs);
    else queue.push({ index: i, scheduledMs });
  }
  if (!isIdle()) {
    await new Promise<void>((resolve) => {
      idle = resolve;
    });
  }
  const endMs = performance.now();
  // arrivals that were queued or not yet due when the run stopped were never sent
  let unsent = 0;
  for (const q of queue.splice(0)) {
    sink(unsentRecord(make(q.index, q.scheduledMs).plan, endMs));
    unsent++;
  }
  for (; i < offsets.length; i++, unsent++) {
    sink(unsentRecord(make(i, originMs + (offsets[i] as number)).plan, endMs));
  }
  return { startMs: originMs, endMs, sent, unsent };
}
