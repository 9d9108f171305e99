// The closed loop (ferrum §8.12, SPEC §3.2): K workers in send → wait, bounded by a request count
// and/or a deadline. The window runs from just before the first send until every request finished.

import type { LoopResult, MakeRequest, RecordSink } from './loop-request.js';
import { unsentRecord } from './loop-request.js';
import type { GenerationClient } from './request-executor.js';
import type { RunControl } from './run-control.js';

export interface ClosedLoopOptions {
  readonly concurrency: number;
  /** requests to send; with `durationMs` too, whichever ends first */
  readonly count?: number;
  /** no request is started after this long from the start (in-flight ones finish) */
  readonly durationMs?: number;
  /** keep going after `count` until `minDurationMs` has passed (warmup by time), cycling indices */
  readonly minDurationMs?: number;
}

/**
 * Runs the loop; resolves when every started request has its record. With `count`, requests the
 * run stop kept from being sent get an `aborted` record each (a duration-bounded loop plans none
 * beyond what it sent).
 */
export async function runClosedLoop(
  client: GenerationClient,
  options: ClosedLoopOptions,
  make: MakeRequest,
  sink: RecordSink,
  control: RunControl,
): Promise<LoopResult> {
  const count = options.count ?? Number.POSITIVE_INFINITY;
  const startMs = performance.now();
  const deadlineMs =
    options.durationMs === undefined ? Number.POSITIVE_INFINITY : startMs + options.durationMs;
  const minEndMs = options.minDurationMs === undefined ? startMs : startMs + options.minDurationMs;
  let next = 0;
  const wanted = (now: number) => (next < count || now < minEndMs) && now < deadlineMs;
  const worker = async () => {
    while (!control.stopped && wanted(performance.now())) {
      const request = make(next++);
      sink(await client.send(request.plan, request.prompt));
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, count));
  await Promise.all(Array.from({ length: workers }, worker));
  const endMs = performance.now();
  let unsent = 0;
  if (control.stopped && Number.isFinite(count)) {
    for (; next < count; next++, unsent++) sink(unsentRecord(make(next).plan, endMs));
  }
  return { startMs, endMs, sent: next - unsent, unsent };
}
