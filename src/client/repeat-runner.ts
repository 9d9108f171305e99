// One repeat of one cell: open the connections, run the warmup at the cell's own load shape, then
// the measured loop, and report the measured window. On stop, in-flight requests get a bounded
// grace period before they are cut short; every planned request still yields one record.

import type { RepeatWindow } from '../core/schema/request-record.js';
import { runClosedLoop } from './closed-loop.js';
import type { LoopResult, MakeRequest, RecordSink } from './loop-request.js';
import { runOpenLoop } from './open-loop.js';
import type { Prompt } from './request-body.js';
import type { GenerationClient } from './request-executor.js';
import type { RunControl } from './run-control.js';
import type { PlannedRequest } from './stream-handler.js';
import { dealtCount } from './worker-pool-share.js';

/** A prompt as the dataset gives it: text or chat messages, its token count and max_tokens. */
export interface RepeatPrompt {
  readonly prompt?: string;
  readonly messages?: ReadonlyArray<{ readonly role: string; readonly content: string }>;
  readonly inputTokens: number;
  readonly maxTokens: number;
}

export type LoadShape =
  | {
      readonly kind: 'closed';
      readonly concurrency: number;
      /** measured requests; absent for a duration-bounded run */
      readonly count?: number;
      readonly durationMs?: number;
    }
  | {
      readonly kind: 'open';
      /** measured send offsets, ms from the loop's origin */
      readonly offsetsMs: readonly number[];
      /** warmup send offsets (the same arrival process, its own stream) */
      readonly warmupOffsetsMs: readonly number[];
      readonly maxConcurrency?: number;
    };

export interface RepeatPlan {
  readonly cellIndex: number;
  readonly cellKey: string;
  /** 1-based */
  readonly repeat: number;
  readonly load: LoadShape;
  /** measured prompts in submission order (cycled when a duration-bounded run needs more) */
  readonly measured: readonly RepeatPrompt[];
  /** warmup prompts (cycled while `warmupMinMs` has not passed) */
  readonly warmup: readonly RepeatPrompt[];
  /** closed loop: keep warming up until this long has passed (`--warmup-seconds`) */
  readonly warmupMinMs?: number;
  /** connections to open before anything is sent, and the cheap route that opens them */
  readonly preconnect: { readonly count: number; readonly path: string };
  /** after a stop, in-flight requests get this long before they are aborted */
  readonly graceMs: number;
  /**
   * This runner's part when worker threads split a repeat (SPEC §3.9): thread `thread` of
   * `threads` sends the global requests thread, thread + threads, … of each phase. Loop indices
   * are local; ids, record indices and prompts use the global index. The load is already dealt.
   */
  readonly share?: { readonly thread: number; readonly threads: number };
  /**
   * awaited right before and after the measured loop (client health, server counters). start()
   * may name the open loop's origin on the performance.now() clock (the common start of a run
   * split over threads); otherwise the loop starts its schedule when start() returns.
   */
  readonly measuredWindow?: {
    // biome-ignore lint/suspicious/noConfusingVoidType: a plain async start() that names no origin is the common case
    start(): void | MeasuredStart | Promise<void | MeasuredStart>;
    end(): void | Promise<void>;
  };
}

/** What a measuredWindow.start() may say about the measured phase. */
export interface MeasuredStart {
  readonly originMs?: number;
}

export interface RepeatOutcome {
  readonly window: RepeatWindow;
  readonly warmup: LoopResult;
  readonly measured: LoopResult;
  /** connections opened before the warmup */
  readonly preconnected: number;
}

/**
 * Runs one repeat. Records (warmup first, then measured) go to `sink` as they complete; the caller
 * streams them out and keeps what aggregation needs.
 */
export async function runRepeat(
  client: GenerationClient,
  plan: RepeatPlan,
  sink: RecordSink,
  control: RunControl,
): Promise<RepeatOutcome> {
  let graceTimer: NodeJS.Timeout | undefined;
  const offStop = control.onStop(() => {
    graceTimer = setTimeout(() => client.abortAll('aborted'), plan.graceMs);
  });
  const offHurry = control.onHurry(() => client.abortAll('aborted'));
  try {
    const preconnected = control.stopped ? 0 : await client.warm(plan.preconnect.count, plan.preconnect.path);
    const warmup = await runPhase(client, plan, true, sink, control);
    const started = (await plan.measuredWindow?.start()) ?? undefined;
    let measured: LoopResult;
    try {
      measured = await runPhase(client, plan, false, sink, control, started?.originMs);
    } finally {
      await plan.measuredWindow?.end();
    }
    return { window: repeatWindow(plan.repeat, warmup, measured), warmup, measured, preconnected };
  } finally {
    offStop();
    offHurry();
    if (graceTimer !== undefined) clearTimeout(graceTimer);
  }
}

function runPhase(
  client: GenerationClient,
  plan: RepeatPlan,
  warmup: boolean,
  sink: RecordSink,
  control: RunControl,
  originMs?: number,
): Promise<LoopResult> {
  const prompts = warmup ? plan.warmup : plan.measured;
  const share = plan.share;
  const global = (local: number) => (share === undefined ? local : share.thread + local * share.threads);
  const make: MakeRequest = (local, scheduledMs) => {
    const index = global(local);
    const p = prompts[index % prompts.length] as RepeatPrompt;
    const planned: PlannedRequest = {
      id: `${plan.cellIndex}.${plan.repeat}.${warmup ? 'w' : ''}${index}`,
      cell: plan.cellKey,
      repeat: plan.repeat,
      index,
      warmup,
      inputTokens: p.inputTokens,
      maxTokens: p.maxTokens,
      ...(scheduledMs === undefined ? {} : { scheduledMs }),
    };
    const prompt: Prompt = p.messages ?? p.prompt ?? '';
    return { plan: planned, prompt };
  };
  const load = plan.load;
  if (prompts.length === 0) {
    const now = performance.now();
    return Promise.resolve({ startMs: now, endMs: now, sent: 0, unsent: 0 });
  }
  if (load.kind === 'closed') {
    if (warmup) {
      return runClosedLoop(
        client,
        {
          concurrency: load.concurrency,
          // a thread warms up with its dealt part of the warmup prompts
          count:
            share === undefined ? prompts.length : dealtCount(prompts.length, share.thread, share.threads),
          ...(plan.warmupMinMs === undefined ? {} : { minDurationMs: plan.warmupMinMs }),
        },
        make,
        sink,
        control,
      );
    }
    return runClosedLoop(
      client,
      {
        concurrency: load.concurrency,
        ...(load.count === undefined ? {} : { count: load.count }),
        ...(load.durationMs === undefined ? {} : { durationMs: load.durationMs }),
      },
      make,
      sink,
      control,
    );
  }
  return runOpenLoop(
    client,
    {
      offsetsMs: warmup ? load.warmupOffsetsMs : load.offsetsMs,
      ...(originMs === undefined ? {} : { originMs }),
      ...(load.maxConcurrency === undefined ? {} : { maxConcurrency: load.maxConcurrency }),
    },
    make,
    sink,
    control,
  );
}

/** The repeat's window from its warmup and measured loops: every planned request, sent or not, counts. */
export function repeatWindow(repeat: number, warmup: LoopResult, measured: LoopResult): RepeatWindow {
  return {
    repeat,
    start_ms: measured.startMs,
    end_ms: measured.endMs,
    expected_requests: measured.sent + measured.unsent,
    warmup_expected: warmup.sent + warmup.unsent,
  };
}
