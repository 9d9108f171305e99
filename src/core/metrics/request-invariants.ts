// ferrum's per-record preconditions of compute_metrics (ferrum-behaviour §2.1 item 5). A record
// that breaks one cannot come from deriveRequest; it means a producer bug, so it is an INTERNAL
// error naming the repeat and the request.

import { GoodputError } from '../errors.js';
import type { DerivedRequest } from './derived-request.js';

const U32_MAX = 4294967295;

/** The INTERNAL error for a broken compute_metrics precondition. */
export function preconditionError(message: string): GoodputError {
  return new GoodputError('INTERNAL', `compute_metrics precondition: ${message}`, {
    hint: 'a producer handed compute_metrics an inconsistent record; please report this as a bug',
  });
}

function requestError(repeat: number, index: number, what: string): GoodputError {
  return preconditionError(`repeat ${repeat} request ${index}: ${what}`);
}

/**
 * Checks one request before it is aggregated (ITL samples are checked where they are read).
 * `repeat` and `index` only build the message; nothing is allocated unless a check fails.
 */
export function checkRequestInvariants(
  d: DerivedRequest,
  itlCount: number,
  repeat: number,
  index: number,
): void {
  const ev = d.itlEvidence;
  if (!(d.ttftMs >= 0) || !Number.isFinite(d.ttftMs))
    throw requestError(repeat, index, `ttft_ms must be finite and ≥ 0, got ${d.ttftMs}`);
  if (!(d.e2eMs >= d.ttftMs) || !Number.isFinite(d.e2eMs))
    throw requestError(repeat, index, `e2e_ms (${d.e2eMs}) must be finite and ≥ ttft_ms (${d.ttftMs})`);
  if (!Number.isInteger(d.outputTokens) || d.outputTokens < 0 || d.outputTokens > U32_MAX) {
    throw requestError(repeat, index, `output_tokens must be a u32, got ${d.outputTokens}`);
  }
  if (!Number.isInteger(d.inputTokens) || d.inputTokens < 0 || d.inputTokens > U32_MAX) {
    throw requestError(repeat, index, `input_tokens must be a u32, got ${d.inputTokens}`);
  }
  if (ev.observed_intervals !== itlCount)
    throw requestError(
      repeat,
      index,
      `observed_intervals (${ev.observed_intervals}) ≠ ${itlCount} ITL samples`,
    );
  if (ev.source === 'engine_token_events' && ev.output_events !== d.outputTokens) {
    throw requestError(
      repeat,
      index,
      `engine evidence output_events (${ev.output_events}) ≠ output_tokens (${d.outputTokens})`,
    );
  }
  if (ev.usage_output_tokens !== undefined && ev.usage_output_tokens !== d.outputTokens) {
    throw requestError(
      repeat,
      index,
      `usage_output_tokens (${ev.usage_output_tokens}) ≠ output_tokens (${d.outputTokens})`,
    );
  }
  if (
    ev.eligibility === 'eligible' &&
    !(d.success && ev.observed_intervals === d.outputTokens - 1 && d.outputTokens >= 2)
  ) {
    throw requestError(
      repeat,
      index,
      'eligible evidence needs a successful request with ≥ 2 tokens and tokens − 1 intervals',
    );
  }
}

/** Checks one ITL sample (finite and ≥ 0). */
export function checkItlSample(value: number, repeat: number, index: number, sample: number): void {
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw preconditionError(
      `repeat ${repeat} request ${index}: ITL sample ${sample} must be finite and ≥ 0, got ${value}`,
    );
  }
}
