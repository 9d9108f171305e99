// The per-request values metrics aggregate: ferrum's in-memory RequestRecord (ferrum-behaviour
// §1.12) plus goodput's optional extras. deriveRequest() builds one from a raw RequestRecord; the
// golden tests and ferrum-style producers build them directly (computeMetricsFromDerived).

import type { RequestItlEvidence } from '../schema/bench-report.js';
import type { RequestFlag } from '../schema/request-record.js';

/** Where a request's output token count came from (ferrum's OutputTokenCountSource). */
export type OutputTokenSource = 'usage' | 'stream_chunks' | 'none';

export interface DerivedRequest {
  readonly success: boolean;
  /** first output event − send (= e2eMs when no event arrived) */
  readonly ttftMs: number;
  /** last output event − send (SPEC §2.2; ferrum measured to stream end, see e2eToStreamEndMs) */
  readonly e2eMs: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly outputTokenSource: OutputTokenSource;
  readonly itlEvidence: RequestItlEvidence;
  /** every label: ferrum's eight quality flags feed the locked counters, the rest the extension */
  readonly flags: readonly RequestFlag[];
  /** gaps between successive output events, in order (ms) */
  readonly itlMs: ArrayLike<number>;
  /** how many entries of itlMs are this request's (default itlMs.length; lets a buffer be reused) */
  readonly itlCount?: number;
  /** end of stream − send: ferrum's E2E definition (ms) */
  readonly e2eToStreamEndMs?: number | undefined;
  /** first output event − scheduled send (open loop; coordinated-omission aware) */
  readonly intendedTtftMs?: number | undefined;
  /** last output event − scheduled send (open loop) */
  readonly intendedE2eMs?: number | undefined;
  /** send − scheduled send: how late the client sent (open loop) */
  readonly clientQueueMs?: number | undefined;
  /** time to open a new connection (absent when a pooled one was reused) */
  readonly connectMs?: number | undefined;
  /** usage.prompt_tokens as reported by the server */
  readonly serverInputTokens?: number | undefined;
}

/** Warmup outcome of one repeat (ferrum's WarmupSummary). */
export interface WarmupSummary {
  readonly expected: number;
  readonly completed: number;
  readonly errored: number;
  /** ferrum's eight flags counted over the warmup requests */
  readonly flagCounts: Readonly<Partial<Record<RequestFlag, number>>>;
}
