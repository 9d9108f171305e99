// The same requests under other tools' metric definitions (SPEC §2.2, peer-tools.md), with
// explicit names so a user can line up a published number.

import type { PooledMetric } from '../schema/extension.js';
import type { RepeatResult } from './cell-aggregator.js';
import type { DerivedColumn } from './derived-columns.js';
import { type DistributionSummary, summarize, summaryOfPooled } from './distribution-summary.js';

// repeats. Definitions, by name:
//
//   tpot_guidellm_ms     GuideLLM TPOT = (last token − request start) / output tokens: E2E / tokens,
//                        TTFT included
//   itl_llmperf_ms       LLMPerf "inter_token_latency" = Σ gaps including TTFT / output tokens:
//                        the same values as tpot_guidellm_ms
//   itl_guidellm_ms      GuideLLM ITL = (last − first token) / (tokens − 1): goodput's locked TPOT
//   itl_aiperf_ms        AIPerf ITL = (request latency − TTFT) / (OSL − 1), per request: the locked
//                        TPOT (AIPerf's chunk-gap distribution "ICL" is the locked ITL)
//   e2e_ferrum_ms        ferrum's E2E, measured to the end of the stream (after usage and [DONE])
//                        rather than the last output event
//   tpot_ferrum_ms       ferrum's TPOT, (stream-end E2E − TTFT) / (tokens − 1)
//   output_tps_per_request_llmperf   LLMPerf per-request output throughput = tokens / E2E (s)
//   concurrency_sglang   SGLang "Concurrency" = Σ E2E / run duration, per repeat (n, mean, min, max)
//   good_request_fraction_aiperf     AIPerf good_request_fraction = requests meeting the SLO /
//                        all measured requests (errored ones in the denominator): {value}
// vLLM and SGLang TPOT, ITL (chunk gaps) and E2E (to the last token chunk) are the locked
// definitions themselves, so they are not repeated here.

/** `derive` gives a derived column over every repeat (valid until its next call). */
export function peerDialects(
  derive: (column: DerivedColumn) => Float64Array | Float64Array[],
  lockedTpot: PooledMetric,
  repeats: readonly RepeatResult[],
): Record<string, DistributionSummary> {
  const out: Record<string, DistributionSummary> = {};
  const put = (name: string, summary: DistributionSummary | null) => {
    if (summary !== null) out[name] = summary;
  };
  const perToken = summarize(derive('e2e_per_token_ms'));
  put('tpot_guidellm_ms', perToken);
  put('itl_llmperf_ms', perToken === null ? null : { ...perToken });
  const tpot = summaryOfPooled(lockedTpot);
  put('itl_guidellm_ms', tpot);
  put('itl_aiperf_ms', tpot === null ? null : { ...tpot });
  put('e2e_ferrum_ms', summarize(derive('e2e_to_stream_end_ms')));
  put('tpot_ferrum_ms', summarize(derive('tpot_to_stream_end_ms')));
  put('output_tps_per_request_llmperf', summarize(derive('output_tps_per_request')));
  if (repeats.length > 0) {
    const concurrency = repeats.map((r) => r.tally.e2eSumSuccessfulMs / 1000 / r.tally.durationS);
    put('concurrency_sglang', {
      n: concurrency.length,
      mean: concurrency.reduce((a, b) => a + b, 0) / concurrency.length,
      min: Math.min(...concurrency),
      max: Math.max(...concurrency),
    });
    const met = repeats.reduce((a, r) => a + r.tally.metSlo, 0);
    const all = repeats.reduce((a, r) => a + r.tally.expected, 0);
    if (all > 0) put('good_request_fraction_aiperf', { value: met / all });
  }
  return out;
}
