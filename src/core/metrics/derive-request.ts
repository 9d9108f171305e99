// From a raw RequestRecord (what the client saw) to the values metrics aggregate (SPEC §2.2,
// §3.5). This is the only place TTFT, E2E, ITL, TPOT, tokens and success are derived.

import { GoodputError } from '../errors.js';
import type { Slo } from '../schema/bench-report.js';
import type { RequestFlag, RequestRecord } from '../schema/request-record.js';
import type { DerivedRequest, OutputTokenSource } from './derived-request.js';
import { engineEligibility, failedItlEvidence, ItlEvidenceCache, sseEligibility } from './itl-evidence.js';
import { outputTokenSourceOf, outputTokensOf } from './output-tokens.js';
import {
  DEFAULT_SUCCESS_POLICY,
  failureReasons,
  isSuccessful,
  type SuccessPolicy,
} from './request-success.js';
import { checkSlo, type SloCheck } from './slo-check.js';
import { tpotMsOf } from './tpot.js';

// Derived: output tokens and their source, TTFT, E2E to the last output event and to stream end,
// ITL gaps, TPOT, success, ITL evidence (ferrum §1.9), intended-start latencies, client queue and
// connect time, and optionally the SLO check.

export interface DerivePolicy extends SuccessPolicy {
  /** when given, deriveRequest() also reports the per-request SLO check */
  readonly slo?: Slo;
}

/**
 * A reusable DerivedRequest: computeMetrics fills one slot per record instead of allocating an
 * object and an ITL array for each of millions of records. `itlEvidence` is kept in the report:
 * equal evidence values share one frozen object (ItlEvidenceCache).
 */
export class DerivedRequestSlot implements DerivedRequest {
  success = false;
  ttftMs = 0;
  e2eMs = 0;
  inputTokens = 0;
  outputTokens = 0;
  outputTokenSource: OutputTokenSource = 'none';
  itlEvidence: DerivedRequest['itlEvidence'] = failedItlEvidence('sse_delta_events');
  /** shares one frozen evidence object between requests with equal evidence */
  readonly evidence = new ItlEvidenceCache();
  flags: readonly RequestFlag[] = [];
  itlMs: Float64Array = new Float64Array(256);
  itlCount = 0;
  // The optional values are held as numbers, NaN for absent: a field that is sometimes undefined
  // keeps each double written to it as a new heap object (four allocations per record otherwise).
  streamEndMs = Number.NaN;
  lateMs = Number.NaN;
  intendedTtft = Number.NaN;
  intendedE2e = Number.NaN;
  connectedAfterMs = Number.NaN;
  serverInput = Number.NaN;

  get e2eToStreamEndMs(): number | undefined {
    return Number.isNaN(this.streamEndMs) ? undefined : this.streamEndMs;
  }
  get intendedTtftMs(): number | undefined {
    return Number.isNaN(this.intendedTtft) ? undefined : this.intendedTtft;
  }
  get intendedE2eMs(): number | undefined {
    return Number.isNaN(this.intendedE2e) ? undefined : this.intendedE2e;
  }
  get clientQueueMs(): number | undefined {
    return Number.isNaN(this.lateMs) ? undefined : this.lateMs;
  }
  get connectMs(): number | undefined {
    return Number.isNaN(this.connectedAfterMs) ? undefined : this.connectedAfterMs;
  }
  get serverInputTokens(): number | undefined {
    return Number.isNaN(this.serverInput) ? undefined : this.serverInput;
  }
}

/** A DerivedRequest's optional times as plain doubles, NaN where absent (reused per record). */
export class OptionalTimes {
  e2eToStreamEndMs = Number.NaN;
  clientQueueMs = Number.NaN;
  intendedTtftMs = Number.NaN;
  intendedE2eMs = Number.NaN;
  connectMs = Number.NaN;

  /**
   * Reads the optional times of `d`: a DerivedRequestSlot's straight from its fields (its getters
   * would box every double they return), any other DerivedRequest's through its properties.
   * Returns the name of a given value that is not finite (ferrum's field name), else null.
   */
  read(d: DerivedRequest): string | null {
    if (d instanceof DerivedRequestSlot) {
      this.e2eToStreamEndMs = d.streamEndMs;
      this.clientQueueMs = d.lateMs;
      this.intendedTtftMs = d.intendedTtft;
      this.intendedE2eMs = d.intendedE2e;
      this.connectMs = d.connectedAfterMs;
      return null;
    }
    const given = [
      ['e2e_to_stream_end_ms', d.e2eToStreamEndMs],
      ['client_queue_ms', d.clientQueueMs],
      ['intended_ttft_ms', d.intendedTtftMs],
      ['intended_e2e_ms', d.intendedE2eMs],
      ['connect_ms', d.connectMs],
    ] as const;
    for (const [name, value] of given) if (value !== undefined && !Number.isFinite(value)) return name;
    this.e2eToStreamEndMs = d.e2eToStreamEndMs ?? Number.NaN;
    this.clientQueueMs = d.clientQueueMs ?? Number.NaN;
    this.intendedTtftMs = d.intendedTtftMs ?? Number.NaN;
    this.intendedE2eMs = d.intendedE2eMs ?? Number.NaN;
    this.connectMs = d.connectMs ?? Number.NaN;
    return null;
  }
}

function badRecord(record: RequestRecord, message: string): GoodputError {
  return new GoodputError('INPUT_SCHEMA', `request record ${record.id}: ${message}`, {
    hint: 'request records must come from one monotonic clock: send ≤ events (non-decreasing) ≤ end',
  });
}

function checkOptionalTime(record: RequestRecord, name: string, value: number | undefined): void {
  if (value !== undefined && !Number.isFinite(value))
    throw badRecord(record, `${name} must be finite, got ${value}`);
}

/** Fills `slot` from `record`. Throws INPUT_SCHEMA (naming the record) on impossible timings. */
export function deriveRequestInto(
  record: RequestRecord,
  policy: SuccessPolicy,
  slot: DerivedRequestSlot,
): void {
  const send = record.send_ms;
  const events = record.event_ms;
  const k = events.length;
  if (!Number.isFinite(send)) throw badRecord(record, `send_ms must be finite, got ${send}`);
  checkOptionalTime(record, 'scheduled_ms', record.scheduled_ms);
  checkOptionalTime(record, 'connected_ms', record.connected_ms);

  // ITL gaps, validating the event times on the way.
  if (slot.itlMs.length < k) slot.itlMs = new Float64Array(Math.max(k, slot.itlMs.length * 2));
  const itl = slot.itlMs;
  let prev = send;
  for (let i = 0; i < k; i++) {
    // `+` keeps t a plain double even when event_ms is a holey array (a hole becomes NaN and is
    // rejected below); otherwise every event time read would be boxed into a new heap object
    const t = +(events[i] as number);
    if (!(t >= prev) || !Number.isFinite(t)) {
      throw badRecord(
        record,
        i === 0
          ? `event_ms[0] (${t}) is earlier than send_ms (${send})`
          : `event_ms[${i}] (${t}) is earlier than event_ms[${i - 1}] (${prev})`,
      );
    }
    if (i > 0) itl[i - 1] = t - prev;
    prev = t;
  }
  const end = record.end_ms;
  if (!(end >= prev) || !Number.isFinite(end)) {
    throw badRecord(
      record,
      `end_ms (${end}) is earlier than ${k > 0 ? `the last event (${prev})` : `send_ms (${send})`}`,
    );
  }
  const outputTokens = outputTokensOf(record);
  if (
    record.source === 'engine' &&
    record.usage_output_tokens !== undefined &&
    record.usage_output_tokens !== k
  ) {
    throw badRecord(
      record,
      `engine records count tokens by events, but usage_output_tokens (${record.usage_output_tokens}) ≠ ${k} events`,
    );
  }
  const success = isSuccessful(record, outputTokens, policy);
  const e2eMs = k > 0 ? prev - send : end - send;
  // ferrum §8.9: without any output event, TTFT is taken as E2E.
  const ttftMs = k > 0 ? (events[0] as number) - send : e2eMs;
  const observedIntervals = k > 0 ? k - 1 : 0;
  slot.success = success;
  slot.ttftMs = ttftMs;
  slot.e2eMs = e2eMs;
  slot.inputTokens = record.input_tokens;
  slot.outputTokens = outputTokens;
  slot.outputTokenSource = outputTokenSourceOf(record);
  const failed = !success;
  const usage = record.usage_output_tokens;
  slot.itlEvidence =
    record.source === 'engine'
      ? slot.evidence.get(
          'engine_token_events',
          k,
          undefined,
          observedIntervals,
          0,
          engineEligibility(failed, k, observedIntervals),
        )
      : slot.evidence.get(
          'sse_delta_events',
          k,
          usage,
          observedIntervals,
          record.coalesced_reads,
          sseEligibility(failed, k, usage, observedIntervals, record.coalesced_reads),
        );
  slot.flags = record.flags;
  slot.itlCount = observedIntervals;
  slot.streamEndMs = end - send;
  const scheduled = record.scheduled_ms;
  if (scheduled === undefined) {
    slot.lateMs = Number.NaN;
    slot.intendedTtft = Number.NaN;
    slot.intendedE2e = Number.NaN;
  } else {
    const lateMs = send - scheduled;
    slot.intendedTtft = ttftMs + lateMs;
    slot.intendedE2e = e2eMs + lateMs;
    slot.lateMs = lateMs;
  }
  slot.connectedAfterMs = record.connected_ms === undefined ? Number.NaN : record.connected_ms - send;
  slot.serverInput = record.server_input_tokens ?? Number.NaN;
}

/** deriveRequest's result: a standalone DerivedRequest plus what a reader of one request wants. */
export interface DeriveRequestResult extends DerivedRequest {
  readonly itlMs: number[];
  /** (E2E − TTFT) / (tokens − 1), undefined below 2 output tokens */
  readonly tpotMs: number | undefined;
  /** why the request failed (empty when successful) */
  readonly failureReasons: string[];
  /** present when the policy carries an SLO; `met` also requires success */
  readonly slo?: SloCheck;
}

/** Derives one request (allocating; computeMetrics uses deriveRequestInto on a reused slot). */
export function deriveRequest(
  record: RequestRecord,
  policy: Partial<DerivePolicy> = {},
): DeriveRequestResult {
  const successPolicy: SuccessPolicy = {
    requireDone: policy.requireDone ?? DEFAULT_SUCCESS_POLICY.requireDone,
  };
  const slot = new DerivedRequestSlot();
  deriveRequestInto(record, successPolicy, slot);
  const tpotMs = tpotMsOf(slot.ttftMs, slot.e2eMs, slot.outputTokens);
  const result: DeriveRequestResult = {
    success: slot.success,
    ttftMs: slot.ttftMs,
    e2eMs: slot.e2eMs,
    inputTokens: slot.inputTokens,
    outputTokens: slot.outputTokens,
    outputTokenSource: slot.outputTokenSource,
    itlEvidence: slot.itlEvidence,
    flags: slot.flags,
    itlMs: Array.from(slot.itlMs.subarray(0, slot.itlCount)),
    e2eToStreamEndMs: slot.e2eToStreamEndMs,
    intendedTtftMs: slot.intendedTtftMs,
    intendedE2eMs: slot.intendedE2eMs,
    clientQueueMs: slot.clientQueueMs,
    connectMs: slot.connectMs,
    serverInputTokens: slot.serverInputTokens,
    tpotMs,
    failureReasons: failureReasons(record, slot.outputTokens, successPolicy),
  };
  if (policy.slo === undefined) return result;
  const check = checkSlo(slot.ttftMs, slot.e2eMs, tpotMs, policy.slo);
  return { ...result, slo: { ...check, met: check.met && slot.success } };
}
