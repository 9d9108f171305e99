// Prefix-cache results of a shared-prefix cell: the hit ratio from each request's
// usage.prompt_tokens_details.cached_tokens, or from the server's /metrics counters scraped
// before and after the cell; and the TTFT of the first request of each prefix group (a miss)
// against the rest (warm), by position and, when the server reports cached tokens, by what it saw.

import { mean } from '../stats/moments.js';
import { percentiles } from '../stats/percentile.js';

export interface HitRatio {
  /** cached (hit) prompt tokens */
  hitTokens: number;
  /** prompt tokens looked up in the cache */
  queryTokens: number;
  /** hitTokens / queryTokens, null when nothing was looked up */
  ratio: number | null;
}

/**
 * From per-request usage: Σ cached_tokens / Σ prompt_tokens over the requests that reported both
 * (a request without prompt_tokens_details says nothing, it is not a miss).
 */
export function hitRatioFromUsage(
  requests: readonly { cachedTokens?: number; promptTokens?: number }[],
): HitRatio & { reportingRequests: number } {
  let hitTokens = 0;
  let queryTokens = 0;
  let reportingRequests = 0;
  for (const r of requests) {
    if (r.cachedTokens === undefined || r.promptTokens === undefined) continue;
    reportingRequests++;
    hitTokens += r.cachedTokens;
    queryTokens += r.promptTokens;
  }
  return {
    hitTokens,
    queryTokens,
    ratio: queryTokens > 0 ? hitTokens / queryTokens : null,
    reportingRequests,
  };
}

/** Cumulative prefix-cache counters from one /metrics scrape (both in tokens, as vLLM counts). */
export interface PrefixCacheCounters {
  hits: number;
  queries: number;
}

/**
 * From two scrapes around the cell: Δhits / Δqueries. A counter that went down means the server
 * restarted (or reset its cache metrics) in between: no ratio, `reset` says why.
 */
export function hitRatioFromScrapes(
  before: PrefixCacheCounters,
  after: PrefixCacheCounters,
): HitRatio & { reset: boolean } {
  const hitTokens = after.hits - before.hits;
  const queryTokens = after.queries - before.queries;
  if (hitTokens < 0 || queryTokens < 0) return { hitTokens: 0, queryTokens: 0, ratio: null, reset: true };
  return { hitTokens, queryTokens, ratio: queryTokens > 0 ? hitTokens / queryTokens : null, reset: false };
}

export interface TtftSample {
  n: number;
  /** mean, p50, p90, p99 of TTFT in ms (numpy-linear percentiles); absent when n = 0 */
  meanMs?: number;
  p50Ms?: number;
  p90Ms?: number;
  p99Ms?: number;
}

function sample(values: number[]): TtftSample {
  if (values.length === 0) return { n: 0 };
  const [p50, p90, p99] = percentiles(values, [0.5, 0.9, 0.99]) as [number, number, number];
  return { n: values.length, meanMs: mean(values), p50Ms: p50, p90Ms: p90, p99Ms: p99 };
}

export interface PrefixRequest {
  /** successful requests only contribute */
  ok: boolean;
  ttftMs?: number;
  /** the dataset's first-request-per-group marker */
  isPrefixFirst?: boolean;
  cachedTokens?: number;
}

export interface TtftSplit {
  /** by position: the first request of each group (expected miss) vs the others (expected warm) */
  first: TtftSample;
  rest: TtftSample;
  /** by what the server reported: cached_tokens ≥ half the prefix (hit) or below (miss) */
  observed?: { hit: TtftSample; miss: TtftSample };
  /** first p50 / rest p50: how many times faster a warm request starts (absent without both) */
  warmSpeedup?: number;
}

/**
 * The miss vs warm TTFT split. A request counts as an observed hit when its cached_tokens reach
 * half the prefix length: servers cache whole blocks (vLLM: 16 tokens), so a full-prefix hit
 * reports slightly under the prefix length, and a miss reports ~0 (at most the chat template).
 */
export function splitPrefixTtft(requests: readonly PrefixRequest[], prefixTokens: number): TtftSplit {
  const first: number[] = [];
  const rest: number[] = [];
  const hit: number[] = [];
  const miss: number[] = [];
  let observed = false;
  for (const r of requests) {
    if (!r.ok || r.ttftMs === undefined) continue;
    (r.isPrefixFirst ? first : rest).push(r.ttftMs);
    if (r.cachedTokens !== undefined) {
      observed = true;
      (r.cachedTokens >= prefixTokens / 2 ? hit : miss).push(r.ttftMs);
    }
  }
  const split: TtftSplit = { first: sample(first), rest: sample(rest) };
  if (observed) split.observed = { hit: sample(hit), miss: sample(miss) };
  if (split.first.p50Ms !== undefined && split.rest.p50Ms !== undefined && split.rest.p50Ms > 0) {
    split.warmSpeedup = split.first.p50Ms / split.rest.p50Ms;
  }
  return split;
}
