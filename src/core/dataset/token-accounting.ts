// Honest token accounting (SPEC §3.3, ferrum §13.2 #16–17, peer-tools asks 5–10): where each
// request's output token count came from (server usage, stream events, or the client re-tokenising
// the streamed text), a `usage_mismatch` when client and server counts disagree beyond a threshold,
// and the raw vs served prompt length. The requested max_tokens is never an input here, so it can
// never stand in for a count (SGLang's bug, peer-tools ask 10).

import type { RequestRecord } from '../schema/request-record.js';
import { mean } from '../stats/moments.js';
import { percentile } from '../stats/percentile.js';

export type OutputTokenSource = 'usage' | 'stream_chunks' | 'client_tokenizer' | 'none';

/** Two counts disagree when |a − b| > max(absoluteTokens, relative · max(a, b)). */
export interface MismatchThreshold {
  relative: number;
  absoluteTokens: number;
}

/** AIPerf's usage-discrepancy threshold (10 %, peer-tools headline numbers), with 2 tokens of slack for tiny counts. */
export const DEFAULT_MISMATCH_THRESHOLD: MismatchThreshold = { relative: 0.1, absoluteTokens: 2 };

export function countsDisagree(
  a: number,
  b: number,
  threshold: MismatchThreshold = DEFAULT_MISMATCH_THRESHOLD,
): boolean {
  return Math.abs(a - b) > Math.max(threshold.absoluteTokens, threshold.relative * Math.max(a, b));
}

export interface OutputTokenObservation {
  /** usage.completion_tokens, when the server reported usage */
  usageOutputTokens?: number;
  /** output events seen in the stream */
  outputEvents: number;
  /** the client tokenizer's count of the concatenated streamed text, when it was computed */
  clientOutputTokens?: number;
}

/** The observation of a request record: usage, event count and the client's re-tokenised count. */
export function outputObservationOf(
  record: Pick<RequestRecord, 'usage_output_tokens' | 'event_ms' | 'client_output_tokens'>,
): OutputTokenObservation {
  const obs: OutputTokenObservation = { outputEvents: record.event_ms.length };
  if (record.usage_output_tokens !== undefined) obs.usageOutputTokens = record.usage_output_tokens;
  if (record.client_output_tokens !== undefined) obs.clientOutputTokens = record.client_output_tokens;
  return obs;
}

export interface OutputTokenAccount {
  outputTokens: number;
  source: OutputTokenSource;
  /** server usage and client re-tokenisation disagree beyond the threshold (flag `usage_mismatch`) */
  mismatch: boolean;
}

/**
 * The output token count of one request. usage wins whenever present (even 0), as ferrum §8.10;
 * without usage, `fallback` picks the stream's event count (ferrum's `stream_chunks`, exact for
 * one-token-per-event servers) or the client tokenizer's count of the streamed text (exact under
 * multi-token events, approximate across tokenizers); with neither, 0 and source `none`.
 */
export function accountOutputTokens(
  obs: OutputTokenObservation,
  options: { fallback?: 'stream_chunks' | 'client_tokenizer'; threshold?: MismatchThreshold } = {},
): OutputTokenAccount {
  const mismatch =
    obs.usageOutputTokens !== undefined &&
    obs.clientOutputTokens !== undefined &&
    countsDisagree(obs.usageOutputTokens, obs.clientOutputTokens, options.threshold);
  if (obs.usageOutputTokens !== undefined)
    return { outputTokens: obs.usageOutputTokens, source: 'usage', mismatch };
  if (options.fallback === 'client_tokenizer' && obs.clientOutputTokens !== undefined) {
    return { outputTokens: obs.clientOutputTokens, source: 'client_tokenizer', mismatch };
  }
  if (obs.outputEvents > 0) return { outputTokens: obs.outputEvents, source: 'stream_chunks', mismatch };
  return { outputTokens: 0, source: 'none', mismatch };
}

export interface InputTokenObservation {
  /** the raw prompt by the client tokenizer, no chat template */
  clientInputTokens: number;
  /** usage.prompt_tokens, when reported */
  serverInputTokens?: number;
}

export interface InputTokenAccount {
  rawTokens: number;
  servedTokens?: number;
  /** served − raw: the chat template's tokens (chat), ~0 for completions */
  templateOverheadTokens?: number;
  /** completions only: raw and served disagree, so the client tokenizer is not the server's */
  mismatch: boolean;
}

/**
 * Raw vs served prompt length of one request. On completions both count the same text, so a
 * disagreement is a tokenizer mismatch; on chat the template adds tokens, so one request alone
 * cannot tell (see `inputTokenizerAgreement` across requests).
 */
export function accountInputTokens(
  obs: InputTokenObservation,
  endpoint: 'chat' | 'completions',
  threshold: MismatchThreshold = DEFAULT_MISMATCH_THRESHOLD,
): InputTokenAccount {
  if (obs.serverInputTokens === undefined) return { rawTokens: obs.clientInputTokens, mismatch: false };
  return {
    rawTokens: obs.clientInputTokens,
    servedTokens: obs.serverInputTokens,
    templateOverheadTokens: obs.serverInputTokens - obs.clientInputTokens,
    mismatch:
      endpoint === 'completions' && countsDisagree(obs.clientInputTokens, obs.serverInputTokens, threshold),
  };
}

export interface TokenizerAgreement {
  /** requests with both counts */
  pairs: number;
  /** least-squares slope of served over raw tokens (1 when the tokenizers agree), when raw lengths vary */
  slope?: number;
  /** median served − raw */
  medianOverheadTokens?: number;
  verdict: 'agree' | 'mismatch' | 'not_assessable';
  reason: string;
}

/**
 * Whether the client tokenizer matches the server's, from many requests' raw and served prompt
 * lengths. With the same tokenizer, served = raw + a constant template, so the slope is 1; a
 * different tokenizer scales the raw length (DeepSeek-V3.2 input inflation, peer-tools ask 6).
 * Needs at least 2 distinct raw lengths; fixed-length prompts are `not_assessable` on chat.
 */
export function inputTokenizerAgreement(
  pairs: readonly { rawTokens: number; servedTokens: number }[],
  threshold: MismatchThreshold = DEFAULT_MISMATCH_THRESHOLD,
): TokenizerAgreement {
  const n = pairs.length;
  if (n === 0)
    return { pairs: 0, verdict: 'not_assessable', reason: 'no request reported usage.prompt_tokens' };
  const medianOverheadTokens = percentile(
    pairs.map((p) => p.servedTokens - p.rawTokens),
    0.5,
  );
  const meanRaw = mean(pairs.map((p) => p.rawTokens));
  const meanServed = mean(pairs.map((p) => p.servedTokens));
  let sxx = 0;
  let sxy = 0;
  for (const p of pairs) {
    sxx += (p.rawTokens - meanRaw) ** 2;
    sxy += (p.rawTokens - meanRaw) * (p.servedTokens - meanServed);
  }
  if (sxx === 0) {
    return {
      pairs: n,
      medianOverheadTokens,
      verdict: 'not_assessable',
      reason:
        'every prompt has the same raw length, so a template cannot be told from a tokenizer difference',
    };
  }
  const slope = sxy / sxx;
  const off = Math.abs(slope - 1) > threshold.relative;
  return {
    pairs: n,
    slope,
    medianOverheadTokens,
    verdict: off ? 'mismatch' : 'agree',
    reason: off
      ? `served prompt tokens grow ${slope.toFixed(3)}× as fast as the client's count: the client tokenizer is not the server's`
      : `served = raw × ${slope.toFixed(3)} + template; the tokenizers agree`,
  };
}

export interface TokenProvenanceSummary {
  output_sources: Record<string, number>;
  mismatched_requests: number;
  mismatch_threshold: number;
  input_tokens_client_mean?: number;
  input_tokens_server_mean?: number;
  tokenizer: string;
}

/**
 * The cell's token provenance for the report extension (`goodput.tokens`): requests per output
 * source, usage mismatches, and the mean raw vs served prompt length.
 */
export function summarizeTokenProvenance(
  outputs: readonly OutputTokenAccount[],
  inputs: readonly InputTokenObservation[],
  tokenizerName: string,
  threshold: MismatchThreshold = DEFAULT_MISMATCH_THRESHOLD,
): TokenProvenanceSummary {
  const sources: Record<string, number> = {};
  let mismatched = 0;
  for (const o of outputs) {
    sources[o.source] = (sources[o.source] ?? 0) + 1;
    if (o.mismatch) mismatched++;
  }
  const sorted: Record<string, number> = {};
  for (const key of Object.keys(sources).sort()) sorted[key] = sources[key] as number;
  const summary: TokenProvenanceSummary = {
    output_sources: sorted,
    mismatched_requests: mismatched,
    mismatch_threshold: threshold.relative,
    tokenizer: tokenizerName,
  };
  if (inputs.length > 0) summary.input_tokens_client_mean = mean(inputs.map((i) => i.clientInputTokens));
  const served = inputs.flatMap((i) => (i.serverInputTokens === undefined ? [] : [i.serverInputTokens]));
  if (served.length > 0) summary.input_tokens_server_mean = mean(served);
  return summary;
}
