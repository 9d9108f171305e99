// What counts as a successful request (SPEC §3.6, ferrum §8.10): HTTP 2xx, exactly one [DONE]
// (or at most one when the policy does not require it), at least one output token, and no
// failing flag (the list is below).

import type { RequestFlag, RequestRecord } from '../schema/request-record.js';

// Flags that do NOT fail a request:
// - stream_bulk_flush: ferrum 0.7.7's transport diagnostic (dead at HEAD), never a server fault;
// - usage_mismatch: the server's usage disagrees with the events; the count source is reported
//   and the mismatch flagged, but the response itself was complete;
// - missing_done, only when the policy does not require [DONE].
// Every other flag fails it: ferrum's bad_output, malformed_stream, missing_done, duplicate_done,
// zero_output_tokens, http_500, panic, and goodput's connect_error, timeout, http_429, http_4xx,
// http_5xx, server_error_event, data_after_done, truncated_body, aborted.
// In-process engine records (source "engine") carry no HTTP status; for them the status rule is skipped.

export interface SuccessPolicy {
  /** require exactly one [DONE] (ferrum's rule); false accepts zero or one */
  readonly requireDone: boolean;
}

export const DEFAULT_SUCCESS_POLICY: SuccessPolicy = { requireDone: true };

/** Flags that never fail a request on their own. */
export const NON_FAILING_FLAGS: readonly RequestFlag[] = ['stream_bulk_flush', 'usage_mismatch'];

/** Whether `flag` fails a request under `policy`. */
function isFailingFlag(flag: RequestFlag, policy: SuccessPolicy): boolean {
  if (NON_FAILING_FLAGS.includes(flag)) return false;
  return !(flag === 'missing_done' && !policy.requireDone);
}

function statusOk(record: RequestRecord): boolean {
  if (record.source === 'engine') return true;
  return record.status !== undefined && record.status >= 200 && record.status < 300;
}

function doneOk(record: RequestRecord, policy: SuccessPolicy): boolean {
  return policy.requireDone ? record.done_count === 1 : record.done_count <= 1;
}

/** True when the record counts as a success (allocation-free: this runs once per record). */
export function isSuccessful(record: RequestRecord, outputTokens: number, policy: SuccessPolicy): boolean {
  if (!statusOk(record) || !doneOk(record, policy) || outputTokens <= 0) return false;
  const flags = record.flags;
  for (let i = 0; i < flags.length; i++) if (isFailingFlag(flags[i] as RequestFlag, policy)) return false;
  return true;
}

/** Why a record failed, one reason per broken rule; empty for a success. */
export function failureReasons(record: RequestRecord, outputTokens: number, policy: SuccessPolicy): string[] {
  const reasons: string[] = [];
  if (!statusOk(record))
    reasons.push(record.status === undefined ? 'no HTTP response' : `HTTP ${record.status}`);
  if (!doneOk(record, policy)) {
    reasons.push(
      `${record.done_count} [DONE] sentinel(s), expected ${policy.requireDone ? 'exactly 1' : 'at most 1'}`,
    );
  }
  if (outputTokens <= 0) reasons.push('no output tokens');
  for (const flag of record.flags) if (isFailingFlag(flag, policy)) reasons.push(`flag ${flag}`);
  return reasons;
}
