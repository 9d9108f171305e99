// What a shared-prefix cell (SPEC §3.2) reports beyond the locked fields: the TTFT of the first
// request of each prefix group (a cache miss) against the warm ones, and the prefix-cache hit
// ratio from usage.prompt_tokens_details.cached_tokens and, when the server exposes them, from its
// /metrics counters scraped around each measured window. The arithmetic is core/dataset's.

import {
  hitRatioFromScrapes,
  hitRatioFromUsage,
  type PrefixRequest,
  splitPrefixTtft,
} from '../core/dataset/prefix-cache-hits.js';
import { deriveRequest } from '../core/metrics/derive-request.js';
import type { SuccessPolicy } from '../core/metrics/request-success.js';
import type { RequestRecord } from '../core/schema/request-record.js';
import type { ServerMetricsScrape } from './server-metrics.js';

export class SharedPrefixObserver {
  private readonly requests: Array<PrefixRequest & { promptTokens?: number }> = [];
  private before: ServerMetricsScrape | undefined;
  private hitTokens = 0;
  private queryTokens = 0;
  private scrapedWindows = 0;
  private scrapeProblem: string | undefined;

  constructor(
    private readonly prefixTokens: number,
    private readonly policy: SuccessPolicy,
    private readonly scrape: () => Promise<ServerMetricsScrape>,
  ) {}

  /** Before a measured window: the server's counters. */
  async windowStart(): Promise<void> {
    this.before = await this.scrape();
  }

  /** After it: the counters' change is this window's lookups and hits. */
  async windowEnd(): Promise<void> {
    const before = this.before;
    this.before = undefined;
    if (before === undefined) return;
    const after = await this.scrape();
    if (!before.ok || !after.ok) {
      this.scrapeProblem = before.ok ? (after as { reason: string }).reason : before.reason;
      return;
    }
    if (before.prefixCache === undefined || after.prefixCache === undefined) {
      this.scrapeProblem = `${after.url} has no prefix-cache counters`;
      return;
    }
    const ratio = hitRatioFromScrapes(before.prefixCache, after.prefixCache);
    if (ratio.reset) {
      this.scrapeProblem = 'the server’s prefix-cache counters went down (restart?) during a window';
      return;
    }
    this.hitTokens += ratio.hitTokens;
    this.queryTokens += ratio.queryTokens;
    this.scrapedWindows++;
  }

  /** One measured request and whether its prompt was the first of its prefix group. */
  add(record: RequestRecord, isPrefixFirst: boolean): void {
    const d = deriveRequest(record, this.policy);
    this.requests.push({
      ok: d.success,
      ttftMs: d.ttftMs,
      isPrefixFirst,
      ...(record.cached_tokens === undefined ? {} : { cachedTokens: record.cached_tokens }),
      ...(record.server_input_tokens === undefined ? {} : { promptTokens: record.server_input_tokens }),
    });
  }

  /** The report's `goodput.shared_prefix` object. */
  summary(params: Record<string, number | boolean>): Record<string, unknown> {
    const usage = hitRatioFromUsage(this.requests);
    return {
      ...params,
      ttft_split: splitPrefixTtft(this.requests, this.prefixTokens),
      hit_ratio_usage: usage,
      ...(this.scrapedWindows > 0
        ? {
            hit_ratio_metrics: {
              hitTokens: this.hitTokens,
              queryTokens: this.queryTokens,
              ratio: this.queryTokens > 0 ? this.hitTokens / this.queryTokens : null,
              windows: this.scrapedWindows,
            },
          }
        : {}),
      ...(this.scrapeProblem === undefined ? {} : { metrics_note: this.scrapeProblem }),
    };
  }
}
