// What a load loop hands the client for request i (its plan and prompt) and where it hands back
// the record; plus the record of a planned request that was never sent because the run stopped,
// so that every planned request yields exactly one record.

import type { RequestRecord } from '../core/schema/request-record.js';
import type { Prompt } from './request-body.js';
import type { PlannedRequest } from './stream-handler.js';

export interface LoopRequest {
  readonly plan: PlannedRequest;
  readonly prompt: Prompt;
}

/** Builds request i of a loop; `scheduledMs` is the planned send time (open loop only). */
export type MakeRequest = (index: number, scheduledMs?: number) => LoopRequest;

/** Receives every record the moment it is final (to be streamed out). */
export type RecordSink = (record: RequestRecord) => void;

/** The measured window of one loop on the performance.now() clock, and how many requests it planned. */
export interface LoopResult {
  readonly startMs: number;
  readonly endMs: number;
  /** requests sent (each has a record) */
  readonly sent: number;
  /** planned requests never sent because the run stopped (each has an `aborted` record) */
  readonly unsent: number;
}

/** The `aborted` record of a planned request that was never sent. */
export function unsentRecord(plan: PlannedRequest, nowMs: number): RequestRecord {
  const record: Record<string, unknown> = {
    id: plan.id,
    cell: plan.cell,
    repeat: plan.repeat,
    index: plan.index,
    warmup: plan.warmup,
  };
  if (plan.scheduledMs !== undefined) record.scheduled_ms = plan.scheduledMs;
  Object.assign(record, {
    send_ms: nowMs,
    event_ms: [],
    end_ms: nowMs,
    input_tokens: plan.inputTokens,
    coalesced_reads: 0,
    done_count: 0,
    max_tokens: plan.maxTokens,
    flags: ['aborted'],
    error: 'not sent: the run was stopped before its turn',
    source: 'sse',
  });
  return record as RequestRecord;
}
