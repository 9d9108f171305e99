// The raw per-request record (SPEC §3.5): what the client (HTTP or in-process) observed, with raw
// monotonic timestamps and token events. It is kept, streamed to `requests.jsonl`, and is the
// only input of metrics/: TTFT, TPOT, ITL, E2E and success are DERIVED from it there, never here.
//
// Times are milliseconds on one monotonic clock (performance.now() of the process that sent the
// request, or the shared origin of a sharded run); only differences between them mean anything.

import { z } from 'zod';
import { QUALITY_FLAGS } from './bench-report.js';
import { EXTENDED_FLAGS } from './extension.js';

/** Every label a request can carry: ferrum's eight quality flags, then goodput's extended taxonomy. */
export const REQUEST_FLAGS = [...QUALITY_FLAGS, ...EXTENDED_FLAGS] as const;
export const RequestFlagSchema = z.enum(REQUEST_FLAGS);
export type RequestFlag = z.infer<typeof RequestFlagSchema>;

/** Which channel produced the first output event (reasoning tokens count as output, ferrum §8.8). */
export const OutputChannelSchema = z.enum(['content', 'reasoning', 'reasoning_content', 'text', 'token']);

export const RequestRecordSchema = z.object({
  /** unique within a run: `<cellIndex>.<repeat>.<index>` */
  id: z.string(),
  /** the cell key this request belongs to */
  cell: z.string(),
  /** 1-based repeat number */
  repeat: z.int().min(1),
  /** 0-based submission order within its repeat, warmup and measured counted separately */
  index: z.int().min(0),
  warmup: z.boolean(),
  /** open loop: planned send time (same clock); absent for closed loop */
  scheduled_ms: z.number().optional(),
  /** when the request was handed to the HTTP client (or engine): TTFT and E2E start here */
  send_ms: z.number(),
  /** when a NEW connection finished connecting for this request; absent when a pooled one was reused */
  connected_ms: z.number().optional(),
  /** response headers arrived */
  headers_ms: z.number().optional(),
  /** arrival time of every output event, in order (first = TTFT point, last = last token) */
  event_ms: z.array(z.number()),
  /** end of the body (stream closed) or the moment the failure was detected */
  end_ms: z.number(),
  /** tokens of the prompt as counted by the client tokenizer (no chat template) */
  input_tokens: z.int().min(0),
  /** usage.prompt_tokens reported by the server, when it reported one */
  server_input_tokens: z.int().min(0).optional(),
  /** usage.prompt_tokens_details.cached_tokens, when reported */
  cached_tokens: z.int().min(0).optional(),
  /** usage.completion_tokens (the last one seen), when any usage was seen */
  usage_output_tokens: z.int().min(0).optional(),
  /** the streamed output text re-tokenised by the client tokenizer, when the client computed it
   * (core/dataset/token-accounting.ts: the `client_tokenizer` source and the `usage_mismatch` check) */
  client_output_tokens: z.int().min(0).optional(),
  /** number of network reads that surfaced more than one output event */
  coalesced_reads: z.int().min(0),
  /** number of `[DONE]` sentinels seen */
  done_count: z.int().min(0),
  /** the request's max_tokens (never substituted for a token count) */
  max_tokens: z.int().min(0).optional(),
  finish_reason: z.string().optional(),
  first_channel: OutputChannelSchema.optional(),
  /** HTTP status, absent when no response arrived */
  status: z.int().optional(),
  /** every label set on this request; empty for a clean request */
  flags: z.array(RequestFlagSchema),
  /** first error text, truncated by characters */
  error: z.string().optional(),
  /** engine adapters: events are engine token chunks rather than SSE deltas */
  source: z.enum(['sse', 'engine']).default('sse'),
  /** worker / connection the request ran on (trace tracks) */
  conn: z.int().min(0).optional(),
});
export type RequestRecord = z.infer<typeof RequestRecordSchema>;
export type RequestRecordInput = z.input<typeof RequestRecordSchema>;

/** Per-repeat facts the records alone do not carry. */
export const RepeatWindowSchema = z.object({
  repeat: z.int().min(1),
  /** measurement window start/end on the records' clock (the throughput denominator is end − start) */
  start_ms: z.number(),
  end_ms: z.number(),
  expected_requests: z.int().min(0),
  warmup_expected: z.int().min(0),
});
export type RepeatWindow = z.infer<typeof RepeatWindowSchema>;

/** Truncate an error text by characters (never bytes: ferrum's byte cut crashed on UTF-8, §8.10). */
export function truncateChars(text: string, maxChars = 500): string {
  const chars = Array.from(text);
  return chars.length <= maxChars ? text : `${chars.slice(0, maxChars).join('')}…`;
}
