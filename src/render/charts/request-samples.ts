// Per-request latency samples of a cell's records, for CDFs drawn from raw data: TTFT, TPOT, ITL
// and E2E of each successful measured request. Success, the token count and TPOT come from
// core/metrics (the one definition); here only the event times are read off.

import { outputTokensOf } from '../../core/metrics/output-tokens.js';
import { DEFAULT_SUCCESS_POLICY, isSuccessful } from '../../core/metrics/request-success.js';
import { tpotMsOf } from '../../core/metrics/tpot.js';
import type { RequestRecord } from '../../core/schema/request-record.js';
import { sortedCopy } from '../../core/stats/percentile.js';
import type { LatencyMetricKey } from './chart.js';

/** Ascending samples per metric (typed arrays: a run has millions of ITL gaps, and they sort natively). */
export type LatencySamples = Record<LatencyMetricKey, Float64Array>;

/**
 * Ascending samples of each latency metric over the successful records (SPEC §2.2): TTFT = first
 * output event − send, E2E = last output event − send, ITL = gaps between successive events.
 */
export function latencySamples(records: readonly RequestRecord[]): LatencySamples {
  const out: Record<LatencyMetricKey, number[]> = { ttft_ms: [], tpot_ms: [], itl_ms: [], e2e_ms: [] };
  for (const r of records) {
    const tokens = outputTokensOf(r);
    if (r.event_ms.length === 0 || !isSuccessful(r, tokens, DEFAULT_SUCCESS_POLICY)) continue;
    const ttft = (r.event_ms[0] as number) - r.send_ms;
    const e2e = (r.event_ms[r.event_ms.length - 1] as number) - r.send_ms;
    out.ttft_ms.push(ttft);
    out.e2e_ms.push(e2e);
    const tpot = tpotMsOf(ttft, e2e, tokens);
    if (tpot !== undefined) out.tpot_ms.push(tpot);
    for (let j = 1; j < r.event_ms.length; j++)
      out.itl_ms.push((r.event_ms[j] as number) - (r.event_ms[j - 1] as number));
  }
  return {
    ttft_ms: sortedCopy(out.ttft_ms),
    tpot_ms: sortedCopy(out.tpot_ms),
    itl_ms: sortedCopy(out.itl_ms),
    e2e_ms: sortedCopy(out.e2e_ms),
  };
}
