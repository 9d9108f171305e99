// ferrum-behaviour Appendix A.3 and A.4 (produced by ferrum HEAD's compute_metrics), number for
// number, through the lower entry point. Where a golden value depends on a seed-vs-HEAD choice
// (aggregation-rules.ts), the test checks SPEC §2.2's seed value under the default rules and
// Appendix A's HEAD value under rules 'head', and says why.

import { describe, expect, it } from 'vitest';
import { envHash } from '../../../src/core/env/canonical-env.js';
import { type GoodputError, isGoodputError } from '../../../src/core/errors.js';
import type { AggregationRules } from '../../../src/core/metrics/aggregation-rules.js';
import {
  computeMetricsFromDerived,
  type DerivedRun,
} from '../../../src/core/metrics/compute-metrics-derived.js';
import type { DerivedRequest } from '../../../src/core/metrics/derived-request.js';
import { engineItlEvidence, sseItlEvidence } from '../../../src/core/metrics/itl-evidence.js';
import type { BenchReport, Env, Slo } from '../../../src/core/schema/bench-report.js';
import { UNBOUNDED_SLO_MS } from '../../../src/core/schema/bench-report.js';
import { hasCompleteItlEvidence } from '../../../src/core/schema/itl-evidence.js';

const ENV_DEFAULT: Env = {
  commit_sha: '',
  hw_id: '',
  rust: '',
  ferrum_features: [],
  ferrum_env: {},
  runtime_config: { entries: [] },
};
const UNBOUNDED: Slo = {
  ttft_p99_ms: UNBOUNDED_SLO_MS,
  tpot_p99_ms: UNBOUNDED_SLO_MS,
  e2e_p99_ms: UNBOUNDED_SLO_MS,
};

function ok(
  ttftMs: number,
  e2eMs: number,
  tokens: number,
  itlMs: number[],
  inputTokens = 10,
): DerivedRequest {
  return {
    success: true,
    ttftMs,
    e2eMs,
    inputTokens,
    outputTokens: tokens,
    outputTokenSource: 'usage',
    itlEvidence: sseItlEvidence({
      failed: false,
      outputEvents: tokens,
      usageOutputTokens: tokens,
      observedIntervals: itlMs.length,
      coalescedReads: 0,
    }),
    flags: [],
    itlMs,
  };
}

function http500(): DerivedRequest {
  return {
    success: false,
    ttftMs: 0,
    e2eMs: 3,
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
    flags: ['http_500', 'http_5xx'],
    itlMs: [],
  };
}

const noWarmup = { expected: 0, completed: 0, errored: 0, flagCounts: {} };

/** Appendix A.3: three repeats, closed loop c = 4, shifts 0 / +5 / −3, durations 10 / 11 / 9.5 s. */
function a3(rules?: AggregationRules): BenchReport {
  const itl = [
    [40, 60],
    [50, 70],
    [55, 85],
    [60, 100],
  ];
  const runs: DerivedRun[] = [
    [0, 10.0],
    [5, 11.0],
    [-3, 9.5],
  ].map(([s, durationS]) => ({
    requests: [
      ok(100 + (s as number), 200 + (s as number), 3, itl[0] as number[]),
      ok(120 + (s as number), 240 + (s as number), 3, itl[1] as number[]),
      ok(140 + (s as number), 280, 3, itl[2] as number[]),
      ok(160, 320 + (s as number), 3, itl[3] as number[]),
    ],
    expectedRequests: 4,
    durationS: durationS as number,
    warmup: { expected: 2, completed: 2, errored: 0, flagCounts: {} },
  }));
  return computeMetricsFromDerived({
    model: 'm#tag',
    backend: 'cuda',
    scenario: 'closed_loop',
    concurrency: 4,
    nPrompt: 10,
    nGen: 3,
    warmupRequests: 2,
    slo: UNBOUNDED,
    env: ENV_DEFAULT,
    envHash,
    ...(rules === undefined ? {} : { rules }),
    runs,
  });
}

/** Appendix A.4: open loop 2.5 req/s, SLO 500/50/30000, three repeats of 2 requests. */
function a4(rules?: AggregationRules): BenchReport {
  const single = ok(100, 100, 1, []);
  expect(single.itlEvidence.eligibility).toBe('too_short');
  const runs: DerivedRun[] = [
    {
      requests: [single, ok(600, 900, 5, [75, 75, 75, 75])],
      expectedRequests: 2,
      durationS: 2.0,
      warmup: noWarmup,
    },
    { requests: [http500(), http500()], expectedRequests: 2, durationS: 2.0, warmup: noWarmup },
    {
      requests: [ok(100, 400, 4, [100, 100, 100]), ok(200, 300, 2, [100])],
      expectedRequests: 2,
      durationS: 4.0,
      warmup: noWarmup,
    },
  ];
  return computeMetricsFromDerived({
    model: 'm',
    backend: 'cuda',
    scenario: 'open_loop',
    requestRate: 2.5,
    nPrompt: 10,
    nGen: 5,
    warmupRequests: 0,
    slo: { ttft_p99_ms: 500, tpot_p99_ms: 50, e2e_p99_ms: 30000 },
    env: ENV_DEFAULT,
    envHash,
    ...(rules === undefined ? {} : { rules }),
    runs,
  });
}

/** The markdown's "mean ± ci" cell at two decimals (ferrum §7.1), for the rendered golden values. */
function cell(stats: { mean: number; ci95_hw: number }): string {
  return stats.ci95_hw === 0
    ? stats.mean.toFixed(2)
    : `${stats.mean.toFixed(2)} ± ${stats.ci95_hw.toFixed(2)}`;
}

describe('Appendix A.3 (three-repeat closed-loop example)', () => {
  for (const rules of ['seed', 'head'] as const) {
    describe(`rules ${rules} (every request succeeds and is eligible, so both agree)`, () => {
      const r = a3(rules);

      it('gives repeat 1 the exact within-repeat percentiles and rates', () => {
        const row = r.repeat_metrics?.[0];
        expect(row?.ttft_ms).toEqual({ p50: 130, p75: 145, p95: 157, p99: 159.4 });
        expect(row?.tpot_ms).toEqual({ p50: 65, p75: 72.5, p95: 78.5, p99: 79.7 });
        expect(row?.itl_ms).toEqual({ p50: 60, p75: 73.75, p95: 94.74999999999999, p99: 98.94999999999999 });
        expect(row?.e2e_ms).toEqual({ p50: 260, p75: 290, p95: 314, p99: 318.8 });
        expect(row?.output_throughput_tps).toBe(1.2);
        expect(row?.total_throughput_tps).toBe(5.2);
        expect(row?.request_throughput_rps).toBe(0.4);
        expect(row?.goodput_rps).toBe(0.4);
      });

      it('aggregates across repeats exactly as ferrum', () => {
        expect(r.ttft_ms.p50).toEqual({
          mean: 130.66666666666666,
          stddev: 4.041451884327381,
          ci95_hw: 10.040333333333335,
        });
        // identical across repeats: stddev and ci are 0 (the writer omits them: {"mean":60.0})
        expect(r.itl_ms.p50).toEqual({ mean: 60, stddev: 0, ci95_hw: 0 });
        expect(r.output_throughput_tps.mean).toBe(1.184688995215311);
        expect(r.output_throughput_tps.ci95_hw).toBe(0.21648313821662174);
        expect(r.goodput_rps).toEqual(r.request_throughput_rps);
        expect(r.goodput_rps.mean).toBe(0.394896331738437);
        expect(hasCompleteItlEvidence(r)).toBe(true);
      });

      it('matches every number of the rendered markdown to its two decimals', () => {
        const row = (m: 'ttft_ms' | 'tpot_ms' | 'itl_ms' | 'e2e_ms') =>
          (['p50', 'p75', 'p95', 'p99'] as const).map((p) => cell(r[m][p]));
        expect(row('ttft_ms')).toEqual(['130.67 ± 10.04', '145.50 ± 7.53', '157.10 ± 1.51', '159.42 ± 0.30']);
        expect(row('tpot_ms')).toEqual(['64.83 ± 2.51', '72.33 ± 2.51', '78.73 ± 3.51', '80.01 ± 4.72']);
        expect(row('itl_ms')).toEqual(['60.00', '73.75', '94.75', '98.95']);
        expect(row('e2e_ms')).toEqual(['260.33 ± 5.02', '290.17 ± 2.51', '314.57 ± 8.53', '319.45 ± 9.74']);
        expect(cell(r.output_throughput_tps)).toBe('1.18 ± 0.22');
        expect(cell(r.total_throughput_tps)).toBe('5.13 ± 0.94');
        expect(cell(r.request_throughput_rps)).toBe('0.39 ± 0.07');
        expect(r.completed_per_run).toEqual([4, 4, 4]);
        expect(r.errored_per_run).toEqual([0, 0, 0]);
        for (const flag of [
          'bad_output',
          'malformed_stream',
          'missing_done',
          'duplicate_done',
          'zero_output_tokens',
          'stream_bulk_flush',
          'http_500',
          'panic',
        ] as const) {
          expect(r[`${flag}_per_run`]).toEqual([0, 0, 0]);
        }
        expect(r.env_hash).toBe('sha256:b5883a1670118db0335d99aa8879920e336a39cd9bb18f2b3a658f903e9e504d');
      });

      it('sets exactly the optional keys ferrum sets', () => {
        for (const key of [
          'concurrency',
          'output_tokens_per_request',
          'itl_evidence_per_request',
          'repeat_metrics',
        ])
          expect(r).toHaveProperty(key);
        for (const key of [
          'request_rate',
          'actual_input_tokens',
          'actual_input_tokens_per_request',
          'output_token_count_source',
        ]) {
          expect(r).not.toHaveProperty(key);
        }
        expect(r.output_tokens_per_request).toEqual([
          [3, 3, 3, 3],
          [3, 3, 3, 3],
          [3, 3, 3, 3],
        ]);
        expect(
          r.repeat_metrics?.map((m) => [
            m.repeat,
            m.duration_s,
            m.warmup_completed,
            m.output_token_count_source,
          ]),
        ).toEqual([
          [1, 10, 2, 'usage'],
          [2, 11, 2, 'usage'],
          [3, 9.5, 2, 'usage'],
        ]);
        expect(r.model).toBe('m#tag');
        expect(r.n_repeats).toBe(3);
        expect(r.n_requests_per_run).toBe(4);
        expect(r.warmup_requests).toBe(2);
      });
    });
  }
});

describe('Appendix A.4 (edge cases: an all-HTTP-500 repeat, a single-token success)', () => {
  const seed = a4();
  const head = a4('head');

  it('keeps every value Appendix A.4 lists that does not depend on the seed-vs-HEAD choice', () => {
    for (const r of [seed, head]) {
      expect(r.repeat_metrics?.map((m) => m.ttft_ms.p50)).toEqual([350, 0, 150]);
      expect(r.ttft_ms.p50.mean).toBe(166.66666666666666);
      expect(cell(r.ttft_ms.p50)).toBe('166.67 ± 436.24');
      expect(r.repeat_metrics?.map((m) => m.goodput_rps)).toEqual([0.5, 0, 0]);
      expect(cell(r.goodput_rps)).toBe('0.17 ± 0.72');
      expect(r.completed_per_run).toEqual([2, 0, 2]);
      expect(r.errored_per_run).toEqual([0, 2, 0]);
      expect(r.http_500_per_run).toEqual([0, 2, 0]);
      expect(r.repeat_metrics?.[1]?.output_token_count_source).toBe('none');
      expect(r.repeat_metrics?.[0]?.itl_eligibility_counts.too_short).toBe(1);
      expect(r.repeat_metrics?.[0]?.itl_eligible_requests).toBe(1);
      expect(hasCompleteItlEvidence(r)).toBe(false); // the markdown says "unavailable" either way
      expect(r.request_rate).toBe(2.5);
      expect(r).not.toHaveProperty('concurrency');
    }
  });

  it('zeroes the locked ITL under HEAD rules, as Appendix A.4 shows ({"mean":0.0})', () => {
    for (const p of ['p50', 'p75', 'p95', 'p99'] as const)
      expect(head.itl_ms[p]).toEqual({ mean: 0, stddev: 0, ci95_hw: 0 });
    // HEAD keeps true ITL only in fully eligible repeats: repeat 3
    expect(head.repeat_metrics?.map((m) => m.itl_ms.p50)).toEqual([0, 0, 100]);
  });

  it('follows the seed for the locked ITL by default (SPEC §2.2): every ITL sample of the successful requests', () => {
    // Differs from Appendix A.4 on purpose: repeat 1's 5-token success has ITL [75 × 4] and
    // repeat 3's successes [100 × 3] and [100]; the empty repeat 2 gives 0 as in ferrum.
    expect(seed.repeat_metrics?.map((m) => m.itl_ms.p50)).toEqual([75, 0, 100]);
    expect(seed.itl_ms.p50.mean).toBe(58.333333333333336);
  });

  it('counts tokens of successful requests in throughput by default (seed) and of all requests under HEAD', () => {
    // repeat 2: two HTTP 500s with 10 input tokens each and no output, over 2 s
    expect(head.repeat_metrics?.[1]?.total_throughput_tps).toBe(10);
    expect(seed.repeat_metrics?.[1]?.total_throughput_tps).toBe(0);
    // the audit totals keep HEAD's meaning (all measured requests) under both rules
    expect(seed.repeat_metrics?.[1]?.actual_input_tokens).toBe(20);
    expect(head.repeat_metrics?.[1]?.actual_input_tokens).toBe(20);
  });

  it('treats the failed repeat as missing in the extension instead of 0 (SPEC §2.3)', () => {
    const stats = seed.goodput?.statistics?.repeats.ttft_ms?.p50;
    expect(stats?.values).toEqual([350, null, 150]);
    expect(stats?.n).toBe(2);
    expect(stats?.mean).toBe(250);
    // repeat 1's 5-token success misses TTFT (600) and TPOT (75); repeat 3's two miss TPOT (100)
    expect(seed.goodput?.goodput_misses).toEqual({ successful: 4, met_slo: 1, ttft: 1, tpot: 3, e2e: 0 });
  });
});

describe('compute_metrics preconditions (ferrum §2.1) are INTERNAL errors', () => {
  const base = {
    model: 'm',
    backend: 'cpu',
    scenario: 'cli' as const,
    nPrompt: 1,
    nGen: 3,
    warmupRequests: 0,
    slo: UNBOUNDED,
    env: ENV_DEFAULT,
    envHash,
  };
  const run = (requests: DerivedRequest[], extra: Partial<DerivedRun> = {}): DerivedRun => ({
    requests,
    expectedRequests: requests.length,
    durationS: 1,
    warmup: noWarmup,
    ...extra,
  });
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['no runs', () => computeMetricsFromDerived({ ...base, runs: [] }), /at least one run/],
    [
      'invalid SLO',
      () =>
        computeMetricsFromDerived({
          ...base,
          slo: { ...UNBOUNDED, tpot_p99_ms: 0 },
          runs: [run([ok(1, 2, 3, [1, 1])])],
        }),
      /SLO/,
    ],
    [
      'zero duration',
      () => computeMetricsFromDerived({ ...base, runs: [run([ok(1, 2, 3, [1, 1])], { durationS: 0 })] }),
      /duration_s/,
    ],
    [
      'record count',
      () =>
        computeMetricsFromDerived({ ...base, runs: [run([ok(1, 2, 3, [1, 1])], { expectedRequests: 2 })] }),
      /1 records, expected 2/,
    ],
    [
      'e2e < ttft',
      () => computeMetricsFromDerived({ ...base, runs: [run([ok(5, 2, 3, [1, 1])])] }),
      /e2e_ms/,
    ],
    [
      'negative ITL',
      () => computeMetricsFromDerived({ ...base, runs: [run([ok(1, 2, 3, [1, -1])])] }),
      /ITL sample 1/,
    ],
    [
      'intervals ≠ samples',
      () => computeMetricsFromDerived({ ...base, runs: [run([{ ...ok(1, 2, 3, [1, 1]), itlMs: [1] }])] }),
      /observed_intervals/,
    ],
    [
      'engine events ≠ tokens',
      () =>
        computeMetricsFromDerived({
          ...base,
          runs: [run([{ ...ok(1, 2, 3, [1, 1]), itlEvidence: engineItlEvidence(false, 2, 2) }])],
        }),
      /output_events/,
    ],
    [
      'warmup mismatch',
      () => computeMetricsFromDerived({ ...base, warmupRequests: 1, runs: [run([ok(1, 2, 3, [1, 1])])] }),
      /warmup/,
    ],
  ];
  for (const [name, fn, message] of cases) {
    it(`rejects ${name}`, () => {
      let error: unknown;
      try {
        fn();
      } catch (e) {
        error = e;
      }
      expect(isGoodputError(error, 'INTERNAL')).toBe(true);
      expect((error as GoodputError).message).toMatch(message);
    });
  }
});
