// The one token-count path (SPEC §3.3, ferrum §8.10): a request's output tokens are the server's
// usage.completion_tokens whenever any usage was seen (even 0), else the number of output events,
// else 0 — never the requested max_tokens. The source is recorded with the count.

import type { OutputTokenCountSource } from '../schema/bench-report.js';
import type { RequestRecord } from '../schema/request-record.js';
import type { OutputTokenSource } from './derived-request.js';

/** Output tokens of a raw record. */
export function outputTokensOf(record: RequestRecord): number {
  return record.usage_output_tokens ?? record.event_ms.length;
}

/** Where outputTokensOf() took the count from. */
export function outputTokenSourceOf(record: RequestRecord): OutputTokenSource {
  if (record.usage_output_tokens !== undefined) return 'usage';
  return record.event_ms.length > 0 ? 'stream_chunks' : 'none';
}

/** Counts of requests per source, combined into one label (ferrum §2.2 step 10): the single
 * source when every request had it, `mixed` otherwise, `none` when there were no requests. */
export function combinedTokenSource(
  counts: Readonly<Record<OutputTokenSource, number>>,
): OutputTokenCountSource {
  const used = (['usage', 'stream_chunks', 'none'] as const).filter((s) => counts[s] > 0);
  if (used.length === 1) return used[0] as OutputTokenSource;
  return used.length === 0 ? 'none' : 'mixed';
}
