// Per-request columns that metrics computes from the stored ones when a statistic needs them,
// instead of storing them (SPEC §10: a column of 5 M requests is 40 MB, and writing it costs as
// much as reading it): TPOT, E2E per token, per-request output throughput, the tail after the last
// token, TPOT to stream end, E2E to stream end without its absent entries, the client queue and
// the intended-start latencies.

// Each value is computed with the very arithmetic that produced the value it replaces (tpot.ts for
// both TPOTs; TTFT or E2E + client queue as deriveRequestInto does, and only where the request's
// own values are exactly that), in request order, so a statistic over a derived column is bit for
// bit the one over a stored column.

import type { SampleBuffer } from '../stats/sample-buffer.js';
import { preconditionError } from './request-invariants.js';
import { tpotMsOf } from './tpot.js';

/** The stored columns of the successful requests, one entry per request, in the same order. */
export interface SuccessColumns {
  readonly ttftMs: SampleBuffer;
  readonly e2eMs: SampleBuffer;
  readonly outputTokens: SampleBuffer;
  /** stream end − send, NaN where the request did not say */
  readonly e2eToStreamEndMs: SampleBuffer;
  /** send − scheduled send (the client queue), NaN where the request did not say */
  readonly lateMs: SampleBuffer;
}

/** What the success columns cannot rebuild (rare: failed requests, inconsistent producers). */
export interface SideColumns {
  /** client queue of each failed request that had one, in request order */
  readonly failedLateMs: SampleBuffer;
  /** for each of those, how many successful requests came before it */
  readonly failedLateAfter: SampleBuffer;
  /** successful requests whose intended-start latencies are not TTFT / E2E + client queue: their
   * index among the successful requests, ascending, and the values they gave (NaN: absent) */
  readonly intendedAt: SampleBuffer;
  readonly intendedTtftMs: SampleBuffer;
  readonly intendedE2eMs: SampleBuffer;
}

/** True when a successful request's intended-start latencies are what its TTFT, E2E and client
 * queue give (NaN: absent), so the columns need not keep them. */
export function intendedDerivable(
  ttftMs: number,
  e2eMs: number,
  lateMs: number,
  intendedTtftMs: number,
  intendedE2eMs: number,
): boolean {
  if (Number.isNaN(lateMs)) return Number.isNaN(intendedTtftMs) && Number.isNaN(intendedE2eMs);
  return Object.is(intendedTtftMs, ttftMs + lateMs) && Object.is(intendedE2eMs, e2eMs + lateMs);
}

/**
 * tpot_ms: (E2E − TTFT) / (tokens − 1), requests with ≥ 2 tokens (the locked TPOT);
 * e2e_per_token_ms: E2E / tokens (GuideLLM's TPOT, LLMPerf's ITL);
 * output_tps_per_request: tokens / E2E in s, requests with E2E > 0 (LLMPerf);
 * e2e_to_stream_end_ms: stream-end E2E, requests that have one (ferrum's E2E);
 * tail_after_last_token_ms: stream-end E2E − E2E, requests with a stream end;
 * tpot_to_stream_end_ms: (stream-end E2E − TTFT) / (tokens − 1), requests with a stream end and
 * ≥ 2 tokens (ferrum's TPOT);
 * client_queue_ms: every measured request's client queue, failed ones included, in request order;
 * intended_ttft_ms, intended_e2e_ms: TTFT / E2E + client queue of the successful requests.
 */
export type DerivedColumn =
  | 'tpot_ms'
  | 'e2e_per_token_ms'
  | 'output_tps_per_request'
  | 'e2e_to_stream_end_ms'
  | 'tail_after_last_token_ms'
  | 'tpot_to_stream_end_ms'
  | 'client_queue_ms'
  | 'intended_ttft_ms'
  | 'intended_e2e_ms';

/** Calls `body` with the parts of `columns` over [start, end), chunk by chunk (they line up:
 * the columns are pushed together and grow alike). */
function alignedParts(
  columns: readonly SampleBuffer[],
  start: number,
  end: number,
  body: (...parts: Float64Array[]) => void,
): void {
  const all = columns.map((c) => c.parts(start, end));
  const first = all[0] as Float64Array[];
  first.forEach((part, p) => {
    const parts = all.map((ps) => ps[p] as Float64Array);
    if (parts.some((q) => q?.length !== part.length))
      throw preconditionError('the per-request columns are out of step');
    body(...parts);
  });
}

/** Intended-start latencies over every successful request (`e2e` picks which): derived ones
 * merged in request order with the ones kept aside. */
function intended(columns: SuccessColumns & SideColumns, e2e: boolean, scratch: Float64Array): number {
  const base = e2e ? columns.e2eMs : columns.ttftMs;
  const given = joined(e2e ? columns.intendedE2eMs : columns.intendedTtftMs);
  const at = joined(columns.intendedAt);
  let n = 0;
  let row = 0;
  let next = 0;
  alignedParts([base, columns.lateMs], 0, base.length, (value, late) => {
    for (let i = 0; i < value.length; i++, row++) {
      if (row === at[next]) {
        const v = given[next++] as number;
        if (!Number.isNaN(v)) scratch[n++] = v;
        continue;
      }
      const l = late[i] as number;
      if (!Number.isNaN(l)) scratch[n++] = (value[i] as number) + l;
    }
  });
  return n;
}

/** The client queue of every measured request, in request order: the failed ones merged in where
 * they came among the successful ones. */
function clientQueue(columns: SuccessColumns & SideColumns, scratch: Float64Array): number {
  const failed = joined(columns.failedLateMs);
  const after = joined(columns.failedLateAfter);
  let n = 0;
  let row = 0;
  let next = 0;
  alignedParts([columns.lateMs], 0, columns.lateMs.length, (late) => {
    for (let i = 0; i < late.length; i++, row++) {
      while (next < failed.length && after[next] === row) scratch[n++] = failed[next++] as number;
      const l = late[i] as number;
      if (!Number.isNaN(l)) scratch[n++] = l;
    }
  });
  while (next < failed.length) scratch[n++] = failed[next++] as number;
  return n;
}

/** A side column as one array (they are short). */
function joined(buffer: SampleBuffer): Float64Array {
  const parts = buffer.parts();
  if (parts.length === 1) return parts[0] as Float64Array;
  const out = new Float64Array(buffer.length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Entries of a derived column over every request: the successful ones, plus the failed requests'
 * client queue. */
export function derivedLength(columns: SuccessColumns & SideColumns): number {
  return columns.ttftMs.length + columns.failedLateMs.length;
}

/**
 * The values of `column` for the successful requests [start, end), in request order, written into
 * `scratch` (length ≥ end − start, or derivedLength() for the client queue; reused by the caller)
 * and returned as a view of it. Each column reads only the stored columns it needs. The client
 * queue and intended-start latencies are made over every request only.
 */
export function deriveColumn(
  columns: SuccessColumns & SideColumns,
  column: DerivedColumn,
  scratch: Float64Array,
  start = 0,
  end = columns.ttftMs.length,
): Float64Array {
  const { ttftMs, e2eMs, outputTokens, e2eToStreamEndMs } = columns;
  let n = 0;
  switch (column) {
    case 'client_queue_ms':
      n = clientQueue(columns, scratch);
      break;
    case 'intended_ttft_ms':
      n = intended(columns, false, scratch);
      break;
    case 'intended_e2e_ms':
      n = intended(columns, true, scratch);
      break;
    case 'tpot_ms':
      alignedParts([ttftMs, e2eMs, outputTokens], start, end, (ttft, e2e, tokens) => {
        for (let i = 0; i < ttft.length; i++) {
          const k = tokens[i] as number;
          if (k >= 2) scratch[n++] = tpotMsOf(ttft[i] as number, e2e[i] as number, k) as number;
        }
      });
      break;
    case 'e2e_per_token_ms':
      alignedParts([e2eMs, outputTokens], start, end, (e2e, tokens) => {
        for (let i = 0; i < e2e.length; i++) scratch[n++] = (e2e[i] as number) / (tokens[i] as number);
      });
      break;
    case 'output_tps_per_request':
      alignedParts([e2eMs, outputTokens], start, end, (e2e, tokens) => {
        for (let i = 0; i < e2e.length; i++) {
          const e = e2e[i] as number;
          if (e > 0) scratch[n++] = (tokens[i] as number) / (e / 1000);
        }
      });
      break;
    case 'e2e_to_stream_end_ms':
      alignedParts([e2eToStreamEndMs], start, end, (streamEnd) => {
        for (let i = 0; i < streamEnd.length; i++) {
          const s = streamEnd[i] as number;
          if (!Number.isNaN(s)) scratch[n++] = s;
        }
      });
      break;
    case 'tail_after_last_token_ms':
      alignedParts([e2eToStreamEndMs, e2eMs], start, end, (streamEnd, e2e) => {
        for (let i = 0; i < streamEnd.length; i++) {
          const s = streamEnd[i] as number;
          if (!Number.isNaN(s)) scratch[n++] = s - (e2e[i] as number);
        }
      });
      break;
    case 'tpot_to_stream_end_ms':
      alignedParts([ttftMs, e2eToStreamEndMs, outputTokens], start, end, (ttft, streamEnd, tokens) => {
        for (let i = 0; i < ttft.length; i++) {
          const s = streamEnd[i] as number;
          const k = tokens[i] as number;
          if (!Number.isNaN(s) && k >= 2) scratch[n++] = tpotMsOf(ttft[i] as number, s, k) as number;
        }
      });
      break;
  }
  return scratch.subarray(0, n);
}
