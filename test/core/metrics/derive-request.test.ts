import { describe, expect, it } from 'vitest';
import { type GoodputError, isGoodputError } from '../../../src/core/errors.js';
import {
  DerivedRequestSlot,
  deriveRequest,
  deriveRequestInto,
  OptionalTimes,
} from '../../../src/core/metrics/derive-request.js';
import { engineItlEvidence, sseItlEvidence } from '../../../src/core/metrics/itl-evidence.js';
import { DEFAULT_SUCCESS_POLICY } from '../../../src/core/metrics/request-success.js';
import { checkSlo } from '../../../src/core/metrics/slo-check.js';
import {
  type RequestRecord,
  type RequestRecordInput,
  RequestRecordSchema,
} from '../../../src/core/schema/request-record.js';

/** A clean streamed request: sent at 1000, 4 events 20 ms apart from 1100, usage 4, one [DONE]. */
function record(over: Partial<RequestRecordInput> = {}): RequestRecord {
  return RequestRecordSchema.parse({
    id: '0.1.0',
    cell: 'c=1',
    repeat: 1,
    index: 0,
    warmup: false,
    send_ms: 1000,
    event_ms: [1100, 1120, 1140, 1160],
    end_ms: 1175,
    input_tokens: 32,
    usage_output_tokens: 4,
    coalesced_reads: 0,
    done_count: 1,
    status: 200,
    flags: [],
    ...over,
  });
}

describe('deriveRequest: the locked definitions (SPEC §2.2)', () => {
  it('derives TTFT, E2E to the last event, ITL gaps, TPOT and the stream-end E2E', () => {
    const d = deriveRequest(record());
    expect(d).toMatchObject({
      success: true,
      ttftMs: 100,
      e2eMs: 160,
      e2eToStreamEndMs: 175,
      itlMs: [20, 20, 20],
      tpotMs: 20,
      outputTokens: 4,
      outputTokenSource: 'usage',
      inputTokens: 32,
      failureReasons: [],
    });
    expect(d.itlEvidence).toEqual({
      source: 'sse_delta_events',
      output_events: 4,
      usage_output_tokens: 4,
      observed_intervals: 3,
      transport_coalesced_output_chunks: 0,
      eligibility: 'eligible',
    });
  });

  it('counts tokens from usage, else from events, else 0, never from max_tokens', () => {
    expect(deriveRequest(record({ usage_output_tokens: 7 }))).toMatchObject({
      outputTokens: 7,
      outputTokenSource: 'usage',
      tpotMs: 10,
    });
    expect(deriveRequest(record({ usage_output_tokens: undefined, max_tokens: 128 }))).toMatchObject({
      outputTokens: 4,
      outputTokenSource: 'stream_chunks',
    });
    const none = deriveRequest(record({ usage_output_tokens: undefined, event_ms: [], max_tokens: 128 }));
    expect(none).toMatchObject({ outputTokens: 0, outputTokenSource: 'none', success: false });
    // no event: TTFT = E2E = stream end − send (ferrum §8.9)
    expect(none).toMatchObject({ ttftMs: 175, e2eMs: 175 });
  });

  it('has no TPOT below two tokens', () => {
    expect(deriveRequest(record({ event_ms: [1100], usage_output_tokens: 1 })).tpotMs).toBeUndefined();
  });

  it.each<[string, Partial<RequestRecordInput>, boolean, string | undefined]>([
    [
      'HTTP 500',
      { status: 500, flags: ['http_500', 'http_5xx'], event_ms: [], usage_output_tokens: undefined },
      false,
      'HTTP 500',
    ],
    [
      'no response',
      { status: undefined, flags: ['malformed_stream', 'connect_error'], event_ms: [] },
      false,
      'no HTTP response',
    ],
    ['missing [DONE]', { done_count: 0, flags: ['missing_done'] }, false, '0 [DONE]'],
    ['duplicate [DONE]', { done_count: 2, flags: ['duplicate_done'] }, false, '2 [DONE]'],
    ['bad output', { flags: ['bad_output'] }, false, 'flag bad_output'],
    ['usage 0', { usage_output_tokens: 0, flags: ['zero_output_tokens'] }, false, 'no output tokens'],
    ['data after [DONE]', { flags: ['data_after_done'] }, false, 'flag data_after_done'],
    ['usage mismatch only', { usage_output_tokens: 3, flags: ['usage_mismatch'] }, true, undefined],
    ['bulk flush only', { flags: ['stream_bulk_flush'] }, true, undefined],
  ])('%s → success %s', (_, over, success, reason) => {
    const d = deriveRequest(record(over));
    expect(d.success).toBe(success);
    if (reason === undefined) expect(d.failureReasons).toEqual([]);
    else expect(d.failureReasons.join('; ')).toContain(reason);
    if (!success) expect(d.itlEvidence.eligibility).toBe('request_failed');
  });

  it('accepts a stream without [DONE] when the policy does not require it, but never two', () => {
    expect(
      deriveRequest(record({ done_count: 0, flags: ['missing_done'] }), { requireDone: false }).success,
    ).toBe(true);
    expect(
      deriveRequest(record({ done_count: 2, flags: ['duplicate_done'] }), { requireDone: false }).success,
    ).toBe(false);
  });

  it('uses the engine evidence rule for in-process records, which have no HTTP status', () => {
    const d = deriveRequest(record({ source: 'engine', status: undefined, usage_output_tokens: undefined }));
    expect(d.success).toBe(true);
    expect(d.itlEvidence).toEqual(engineItlEvidence(false, 4, 3));
    expect(d.itlEvidence.eligibility).toBe('eligible');
  });

  it('derives intended-start latencies, client queue and connect time', () => {
    const d = deriveRequest(record({ scheduled_ms: 940, connected_ms: 1003.5 }));
    expect(d).toMatchObject({ clientQueueMs: 60, intendedTtftMs: 160, intendedE2eMs: 220, connectMs: 3.5 });
    expect(deriveRequest(record())).toMatchObject({
      clientQueueMs: undefined,
      intendedTtftMs: undefined,
      connectMs: undefined,
    });
  });

  it('checks the SLO per request, inclusively, and reports each missed criterion', () => {
    const slo = { ttft_p99_ms: 100, tpot_p99_ms: 19.9, e2e_p99_ms: 160 };
    expect(deriveRequest(record(), { slo }).slo).toEqual({
      met: false,
      ttftMissed: false,
      tpotMissed: true,
      e2eMissed: false,
    });
    expect(deriveRequest(record(), { slo: { ...slo, tpot_p99_ms: 20 } }).slo?.met).toBe(true);
    // a failed request never meets it
    expect(
      deriveRequest(record({ status: 503, flags: ['http_5xx'] }), { slo: { ...slo, tpot_p99_ms: 20 } }).slo
        ?.met,
    ).toBe(false);
    // TPOT undefined never misses
    expect(checkSlo(1, 1, undefined, { ttft_p99_ms: 1, tpot_p99_ms: 0.001, e2e_p99_ms: 1 }).met).toBe(true);
  });

  it.each<[Partial<RequestRecordInput>, RegExp]>([
    [
      { event_ms: [990, 1000] },
      /request record 0\.1\.0: event_ms\[0\] \(990\) is earlier than send_ms \(1000\)/,
    ],
    [{ event_ms: [1100, 1090] }, /event_ms\[1\] \(1090\) is earlier than event_ms\[0\] \(1100\)/],
    [{ end_ms: 1150 }, /end_ms \(1150\) is earlier than the last event \(1160\)/],
    [{ source: 'engine', usage_output_tokens: 9 }, /engine records count tokens by events/],
  ])('rejects impossible timings as INPUT_SCHEMA naming the record (%#)', (over, message) => {
    let error: unknown;
    try {
      deriveRequest(record(over));
    } catch (e) {
      error = e;
    }
    expect(isGoodputError(error, 'INPUT_SCHEMA')).toBe(true);
    expect((error as GoodputError).message).toMatch(message);
  });
});

/** event_ms with a hole at 1, as `new Array(3)` filled at 0 and 2 gives. */
function holey(): number[] {
  const events = new Array<number>(3);
  events[0] = 1100;
  events[2] = 1160;
  return events;
}

describe('deriveRequestInto on records that bypassed the schema', () => {
  it.each<[RequestRecord, RegExp]>([
    [{ ...record(), scheduled_ms: Number.POSITIVE_INFINITY }, /scheduled_ms must be finite, got Infinity/],
    [{ ...record(), connected_ms: Number.NaN }, /connected_ms must be finite, got NaN/],
    // a hole in event_ms (new Array(n) not filled) reads as NaN, never as a boxed undefined
    [{ ...record(), event_ms: holey() }, /event_ms\[1\] \(NaN\) is earlier than event_ms\[0\]/],
  ])('rejects a non-finite time as INPUT_SCHEMA naming it (%#)', (bad, message) => {
    let error: unknown;
    try {
      deriveRequestInto(bad, DEFAULT_SUCCESS_POLICY, new DerivedRequestSlot());
    } catch (e) {
      error = e;
    }
    expect(isGoodputError(error, 'INPUT_SCHEMA')).toBe(true);
    expect((error as GoodputError).message).toMatch(message);
  });

  it('fills a reused slot whose absent values read as undefined, and reads them back unboxed', () => {
    const slot = new DerivedRequestSlot();
    const times = new OptionalTimes();
    deriveRequestInto(record({ scheduled_ms: 940, connected_ms: 1003.5 }), DEFAULT_SUCCESS_POLICY, slot);
    expect([slot.clientQueueMs, slot.intendedTtftMs, slot.intendedE2eMs, slot.connectMs]).toEqual([
      60, 160, 220, 3.5,
    ]);
    expect(slot.e2eToStreamEndMs).toBe(175);
    expect(times.read(slot)).toBeNull();
    expect({ ...times }).toEqual({
      e2eToStreamEndMs: 175,
      clientQueueMs: 60,
      intendedTtftMs: 160,
      intendedE2eMs: 220,
      connectMs: 3.5,
    });
    // the same slot, refilled from a closed-loop record without a new connection
    deriveRequestInto(record({ server_input_tokens: 40 }), DEFAULT_SUCCESS_POLICY, slot);
    expect([slot.clientQueueMs, slot.intendedTtftMs, slot.intendedE2eMs, slot.connectMs]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(slot.serverInputTokens).toBe(40);
    times.read(slot);
    expect(Number.isNaN(times.clientQueueMs) && Number.isNaN(times.connectMs)).toBe(true);
    // any other DerivedRequest is read through its properties; a given non-finite value is named
    const plain = deriveRequest(record({ scheduled_ms: 950 }));
    expect(times.read(plain)).toBeNull();
    expect(times.clientQueueMs).toBe(50);
    expect(times.read({ ...plain, intendedE2eMs: Number.NaN })).toBe('intended_e2e_ms');
  });
});

describe('ITL evidence constructors (ferrum §1.9): first matching rule wins', () => {
  const base = {
    failed: false,
    outputEvents: 5,
    usageOutputTokens: 5,
    observedIntervals: 4,
    coalescedReads: 0,
  } as const;
  it.each([
    [{ ...base }, 'eligible'],
    [{ ...base, failed: true, usageOutputTokens: undefined }, 'request_failed'],
    [{ ...base, usageOutputTokens: undefined }, 'missing_usage'],
    [{ ...base, usageOutputTokens: 1, outputEvents: 1, observedIntervals: 0 }, 'too_short'],
    [{ ...base, usageOutputTokens: 6 }, 'event_usage_mismatch'],
    [{ ...base, observedIntervals: 3 }, 'interval_count_mismatch'],
    [{ ...base, coalescedReads: 1 }, 'transport_coalesced'],
    [{ ...base, usageOutputTokens: 6, coalescedReads: 2 }, 'event_usage_mismatch'],
  ] as const)('SSE %# → %s', (input, eligibility) => {
    const ev = sseItlEvidence(input);
    expect(ev.eligibility).toBe(eligibility);
    expect('usage_output_tokens' in ev).toBe(input.usageOutputTokens !== undefined);
  });
  it.each([
    [false, 5, 4, 'eligible'],
    [true, 5, 4, 'request_failed'],
    [false, 1, 0, 'too_short'],
    [false, 5, 3, 'interval_count_mismatch'],
  ] as const)('engine failed=%s events=%d intervals=%d → %s', (failed, events, intervals, eligibility) => {
    expect(engineItlEvidence(failed, events, intervals).eligibility).toBe(eligibility);
  });
});
