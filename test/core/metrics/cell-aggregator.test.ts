// What CellAggregator keeps of each request and what it derives later must give the statistics of
// the values the requests carried, in request order: absent and present optional times mixed,
// intended-start latencies that are not TTFT / E2E + client queue, failed requests' client queue.
// The reference summaries here sort plain arrays of the given values.

import { describe, expect, it } from 'vitest';
import { envHash } from '../../../src/core/env/canonical-env.js';
import { type GoodputError, isGoodputError } from '../../../src/core/errors.js';
import { computeMetricsFromDerived } from '../../../src/core/metrics/compute-metrics-derived.js';
import type { DerivedRequest } from '../../../src/core/metrics/derived-request.js';
import { sseItlEvidence } from '../../../src/core/metrics/itl-evidence.js';
import type { BenchReport, Env } from '../../../src/core/schema/bench-report.js';
import { percentiles } from '../../../src/core/stats/percentile.js';
import { scanSummary } from '../../../src/core/stats/scan-summary.js';

const ENV: Env = {
  commit_sha: '',
  hw_id: '',
  rust: '',
  ferrum_features: [],
  ferrum_env: {},
  runtime_config: { entries: [] },
};

/** The extension's distribution summary, by sorting. */
function summaryOf(values: readonly number[]): Record<string, number> {
  const [p50, p75, p90, p95, p99] = percentiles(values, [0.5, 0.75, 0.9, 0.95, 0.99]) as number[];
  const { sum, min, max } = scanSummary([values]);
  return { n: values.length, mean: sum / values.length, min, p50, p75, p90, p95, p99, max } as Record<
    string,
    number
  >;
}

type Extra = Pick<
  DerivedRequest,
  'e2eToStreamEndMs' | 'clientQueueMs' | 'intendedTtftMs' | 'intendedE2eMs' | 'connectMs'
>;

function ok(i: number, extra: Extra): DerivedRequest {
  const tokens = 1 + (i % 4);
  const ttftMs = 20 + ((i * 37) % 50) / 4;
  const e2eMs = ttftMs + (tokens - 1) * (5 + (i % 3));
  return {
    success: true,
    ttftMs,
    e2eMs,
    inputTokens: 10,
    outputTokens: tokens,
    outputTokenSource: 'usage',
    itlEvidence: sseItlEvidence({
      failed: false,
      outputEvents: tokens,
      usageOutputTokens: tokens,
      observedIntervals: tokens - 1,
      coalescedReads: 0,
    }),
    flags: [],
    itlMs: Array.from({ length: tokens - 1 }, () => 5 + (i % 3)),
    ...extra,
  };
}

function failed(clientQueueMs: number | undefined): DerivedRequest {
  return {
    success: false,
    ttftMs: 0,
    e2eMs: 2,
    inputTokens: 10,
    outputTokens: 0,
    outputTokenSource: 'none',
    itlEvidence: sseItlEvidence({
      failed: true,
      outputEvents: 0,
      usageOutputTokens: undefined,
      observedIntervals: 0,
      coalescedReads: 0,
    }),
    flags: ['http_5xx'],
    itlMs: [],
    ...(clientQueueMs === undefined ? {} : { clientQueueMs }),
  };
}

/** 60 requests per repeat, two repeats: every combination of the optional values. */
function requestsOf(repeat: number): DerivedRequest[] {
  return Array.from({ length: 60 }, (_, i) => {
    const late = i % 5 === 0 ? undefined : (i % 7) / 8 + repeat;
    if (i % 9 === 4) return failed(late);
    const base = ok(i + 60 * repeat, {});
    const extra: Extra = {
      ...(i % 4 === 1 ? {} : { e2eToStreamEndMs: base.e2eMs + (i % 6) }),
      ...(i % 11 === 3 ? { connectMs: i / 3 } : {}),
    };
    if (late === undefined) return { ...base, ...extra };
    // most intended latencies are TTFT / E2E + client queue (what deriveRequest gives); some not
    const odd = i % 13 === 2;
    return {
      ...base,
      ...extra,
      clientQueueMs: late,
      intendedTtftMs: odd ? 1000 + i : base.ttftMs + late,
      ...(i % 17 === 6 ? {} : { intendedE2eMs: odd ? 2000 + i : base.e2eMs + late }),
    };
  });
}

function report(runs: DerivedRequest[][]): BenchReport {
  return computeMetricsFromDerived({
    model: 'm',
    backend: 'sim',
    scenario: 'open_loop',
    requestRate: 10,
    nPrompt: 10,
    nGen: 4,
    warmupRequests: 0,
    slo: { ttft_p99_ms: 30, tpot_p99_ms: 8, e2e_p99_ms: 60 },
    env: ENV,
    envHash,
    runs: runs.map((requests) => ({
      requests,
      expectedRequests: requests.length,
      durationS: 6,
      warmup: { expected: 0, completed: 0, errored: 0, flagCounts: {} },
    })),
  });
}

describe('CellAggregator: stored and derived per-request columns', () => {
  const runs = [requestsOf(1), requestsOf(2)];
  const all = runs.flat();
  const okOnes = all.filter((d) => d.success);
  const defined = (values: (number | undefined)[]) => values.filter((v): v is number => v !== undefined);
  const r = report(runs);
  const ext = r.goodput;

  it('summarises the client queue of every measured request, failed ones included, in order', () => {
    expect(ext?.phases?.client_queue_ms).toEqual(summaryOf(defined(all.map((d) => d.clientQueueMs))));
    expect(ext?.phases?.connect_ms).toEqual(summaryOf(defined(all.map((d) => d.connectMs))));
  });

  it('summarises the intended-start latencies the requests gave, derived or kept aside', () => {
    expect(ext?.intended_start?.ttft_ms).toEqual(summaryOf(defined(okOnes.map((d) => d.intendedTtftMs))));
    expect(ext?.intended_start?.e2e_ms).toEqual(summaryOf(defined(okOnes.map((d) => d.intendedE2eMs))));
  });

  it('derives the stream-end and per-token columns over the requests that have them', () => {
    const streamEnd = okOnes.filter((d) => d.e2eToStreamEndMs !== undefined);
    const dialects = ext?.peer_dialects ?? {};
    expect(dialects.e2e_ferrum_ms).toEqual(summaryOf(streamEnd.map((d) => d.e2eToStreamEndMs as number)));
    expect(ext?.phases?.tail_after_last_token_ms).toEqual(
      summaryOf(streamEnd.map((d) => (d.e2eToStreamEndMs as number) - d.e2eMs)),
    );
    expect(dialects.tpot_ferrum_ms).toEqual(
      summaryOf(
        streamEnd
          .filter((d) => d.outputTokens >= 2)
          .map((d) => ((d.e2eToStreamEndMs as number) - d.ttftMs) / (d.outputTokens - 1)),
      ),
    );
    expect(dialects.tpot_guidellm_ms).toEqual(summaryOf(okOnes.map((d) => d.e2eMs / d.outputTokens)));
    expect(dialects.output_tps_per_request_llmperf).toEqual(
      summaryOf(okOnes.map((d) => d.outputTokens / (d.e2eMs / 1000))),
    );
    const tpot = okOnes
      .filter((d) => d.outputTokens >= 2)
      .map((d) => (d.e2eMs - d.ttftMs) / (d.outputTokens - 1));
    expect(ext?.statistics?.pooled.tpot_ms?.n).toBe(tpot.length);
    expect(ext?.statistics?.pooled.tpot_ms?.p90?.value).toBe(percentiles(tpot, [0.9])[0]);
    // within-repeat TPOT of repeat 2, from its own requests only
    const tpot2 = runs[1]
      ?.filter((d) => d.success && d.outputTokens >= 2)
      .map((d) => (d.e2eMs - d.ttftMs) / (d.outputTokens - 1));
    expect(r.repeat_metrics?.[1]?.tpot_ms.p75).toBe(percentiles(tpot2 ?? [], [0.75])[0]);
  });

  it('rejects a given optional time that is not finite, naming it', () => {
    const bad = { ...ok(1, {}), e2eToStreamEndMs: Number.NaN };
    let error: unknown;
    try {
      report([[bad]]);
    } catch (e) {
      error = e;
    }
    expect(isGoodputError(error)).toBe(true);
    expect((error as GoodputError).code).toBe('INTERNAL');
    expect((error as GoodputError).message).toContain('e2e_to_stream_end_ms must be finite');
  });
});
