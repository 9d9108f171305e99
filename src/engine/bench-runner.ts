// The in-process bench loop (SPEC §8.1, fixing ferrum-behaviour §13.2 item 18): K workers in a TRUE
// closed loop (a worker sends its next request the moment its previous one ends; no waves), the
// clock read BEFORE the engine is handed the request, and no sleep anywhere in the timed window.
// Each repeat: W warmup requests at the same shape, then the measured ones. Output: raw records.

import { GoodputError } from '../core/errors.js';
import {
  type RepeatWindow,
  type RequestFlag,
  type RequestRecord,
  truncateChars,
} from '../core/schema/request-record.js';
import type { EngineAdapter } from './engine-adapter.js';

export interface EngineBenchPlan {
  /** the cell key the records belong to */
  readonly cell: string;
  readonly prompt: string;
  readonly maxTokens: number;
  /** measured requests per repeat */
  readonly requestsPerRepeat: number;
  readonly repeats: number;
  /** workers in the closed loop (1 = batch-1 single user) */
  readonly concurrency: number;
  /** warmup requests before each repeat's measurement, same shape, not measured */
  readonly warmupRequests: number;
  readonly seed: number;
  readonly temperature: number;
  /** keep the text of each repeat's first measured request (EngineRepeatResult.sampleText) */
  readonly captureSample: boolean;
}

export interface EngineRepeatResult {
  readonly window: RepeatWindow;
  /** warmup then measured records, each in submission order */
  readonly records: readonly RequestRecord[];
  /** the output text of measured request 0, when the plan asked for it */
  readonly sampleText?: string;
}

export interface EngineBenchHooks {
  /** the monotonic clock in ms (performance.now) */
  readonly now: () => number;
  /** stops the run: no new request starts, in-flight ones are told to stop */
  readonly signal?: AbortSignal;
  /** every finished request, warmup included, as soon as it ends */
  onRecord?(record: RequestRecord): void;
  /** every finished repeat */
  onRepeat?(result: EngineRepeatResult): void;
}

export interface EngineBenchResult {
  /** complete repeats only; an interrupted repeat is dropped */
  readonly repeats: readonly EngineRepeatResult[];
  readonly interrupted: boolean;
  /** the prompt's tokens as the engine counts them (0 when it cannot) */
  readonly inputTokens: number;
}

interface RequestSlot {
  readonly repeat: number;
  readonly index: number;
  readonly warmup: boolean;
  readonly worker: number;
}

async function runRequest(
  engine: EngineAdapter,
  plan: EngineBenchPlan,
  slot: RequestSlot,
  inputTokens: number,
  now: () => number,
  signal: AbortSignal,
  captureText: boolean,
): Promise<{ record: RequestRecord; text?: string }> {
  const eventMs: number[] = [];
  let text = '';
  const flags: RequestFlag[] = [];
  let coalesced = 0;
  let finishReason: string | undefined;
  let error: string | undefined;
  let done = 0;
  const sendMs = now();
  try {
    const stream = engine.generate(plan.prompt, {
      maxTokens: plan.maxTokens,
      seed: plan.seed,
      temperature: plan.temperature,
      signal,
      worker: slot.worker,
    });
    for await (const chunk of stream) {
      const t = now();
      const n = chunk?.tokens ?? 1;
      if (!Number.isInteger(n) || n < 0)
        throw new Error(`the engine yielded a chunk with tokens = ${String(n)}`);
      for (let k = 0; k < n; k++) eventMs.push(t);
      if (n > 1) coalesced++;
      if (chunk?.finishReason !== undefined) finishReason = chunk.finishReason;
      if (captureText && typeof chunk?.text === 'string') text += chunk.text;
    }
    done = 1;
  } catch (e) {
    flags.push(signal.aborted ? 'aborted' : 'malformed_stream');
    error = truncateChars(e instanceof Error ? e.message : String(e));
  }
  const endMs = now();
  if (done === 1 && signal.aborted) flags.push('aborted');
  if (eventMs.length === 0) flags.push('zero_output_tokens');
  if (done === 1) finishReason ??= eventMs.length >= plan.maxTokens ? 'length' : 'stop';
  const record: RequestRecord = {
    id: `0.${slot.repeat}.${slot.warmup ? 'w' : ''}${slot.index}`,
    cell: plan.cell,
    repeat: slot.repeat,
    index: slot.index,
    warmup: slot.warmup,
    send_ms: sendMs,
    event_ms: eventMs,
    end_ms: endMs,
    input_tokens: inputTokens,
    coalesced_reads: coalesced,
    done_count: done,
    max_tokens: plan.maxTokens,
    ...(finishReason === undefined ? {} : { finish_reason: finishReason }),
    ...(eventMs.length > 0 ? { first_channel: 'token' as const } : {}),
    flags,
    ...(error === undefined ? {} : { error }),
    source: 'engine',
    conn: slot.worker,
  };
  return captureText ? { record, text } : { record };
}

/**
 * K workers take request indices in order from one counter; each sends as soon as its previous
 * request ended. Returns the records in submission order. Stops taking new indices on abort.
 */
async function closedLoop(
  count: number,
  plan: EngineBenchPlan,
  make: (index: number, worker: number) => Promise<RequestRecord>,
  signal: AbortSignal,
): Promise<RequestRecord[]> {
  const records: RequestRecord[] = new Array(count);
  let next = 0;
  const workers = Array.from({ length: Math.min(plan.concurrency, count) }, async (_, worker) => {
    for (;;) {
      if (signal.aborted) return;
      const index = next++;
      if (index >= count) return;
      records[index] = await make(index, worker);
    }
  });
  await Promise.all(workers);
  return records.filter((r) => r !== undefined);
}

/** Opens the engine, runs every repeat, closes the engine (also when opening or a repeat fails). */
export async function runEngineBench(
  engine: EngineAdapter,
  plan: EngineBenchPlan,
  hooks: EngineBenchHooks,
): Promise<EngineBenchResult> {
  const now = hooks.now;
  const signal = hooks.signal ?? new AbortController().signal;
  const repeats: EngineRepeatResult[] = [];
  try {
    await engine.open?.({ concurrency: plan.concurrency, maxTokens: plan.maxTokens, prompts: [plan.prompt] });
    const inputTokens = engine.countTokens ? await engine.countTokens(plan.prompt) : 0;
    if (!Number.isInteger(inputTokens) || inputTokens < 0) {
      throw new GoodputError(
        'ENGINE',
        `engine ${engine.name}: countTokens() returned ${String(inputTokens)}, expected a non-negative integer`,
      );
    }
    for (let repeat = 1; repeat <= plan.repeats; repeat++) {
      let sampleText: string | undefined;
      const run = (warmup: boolean) => async (index: number, worker: number) => {
        const capture = plan.captureSample && !warmup && index === 0;
        const { record, text } = await runRequest(
          engine,
          plan,
          { repeat, index, warmup, worker },
          inputTokens,
          now,
          signal,
          capture,
        );
        if (capture) sampleText = text;
        hooks.onRecord?.(record);
        return record;
      };
      const warmup = await closedLoop(plan.warmupRequests, plan, run(true), signal);
      const failedWarmup = warmup.filter((r) => r.flags.length > 0);
      if (failedWarmup.length > 0 && !signal.aborted) {
        const first = failedWarmup[0] as RequestRecord;
        throw new GoodputError(
          'RUN_FAILED',
          `warmup failed in repeat ${repeat}: ${failedWarmup.length} of ${warmup.length} request(s) failed (${first.flags.join(', ')}${first.error ? `: ${first.error}` : ''})`,
          {
            hint: 'the engine fails before anything is measured; check the engine and its model',
          },
        );
      }
      if (signal.aborted) break;
      // the measurement window: from just before the first send to the end of the last request
      const startMs = now();
      const measured = await closedLoop(plan.requestsPerRepeat, plan, run(false), signal);
      const endMs = now();
      if (signal.aborted) break;
      const result: EngineRepeatResult = {
        window: {
          repeat,
          start_ms: startMs,
          end_ms: endMs,
          expected_requests: plan.requestsPerRepeat,
          warmup_expected: plan.warmupRequests,
        },
        records: [...warmup, ...measured],
        ...(sampleText === undefined ? {} : { sampleText }),
      };
      repeats.push(result);
      hooks.onRepeat?.(result);
    }
    return { repeats, interrupted: signal.aborted, inputTokens };
  } finally {
    await engine.close?.();
  }
}
