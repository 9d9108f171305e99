import { describe, expect, it } from 'vitest';
import type { BenchReport } from '../../../src/core/schema/bench-report.js';
import { cellViews } from '../../../src/render/charts/cell-view.js';
import { errorBreakdownChart, errorCounts } from '../../../src/render/charts/error-breakdown.js';
import { goodputLoadChart } from '../../../src/render/charts/goodput-load.js';
import { kneeIndex } from '../../../src/render/charts/knee-marker.js';
import { repeatDriftChart, repeatValues } from '../../../src/render/charts/repeat-drift.js';
import { allCharts, reportCharts } from '../../../src/render/charts/report-charts.js';
import { sweepsOf } from '../../../src/render/charts/throughput-latency.js';
import { readFixture, sweepCells } from '../html/sweep-data.js';

const rows = (chart: { spec?: unknown }) =>
  (chart.spec as { data: { values: Record<string, unknown>[] } }).data.values;

function withRepeats(report: BenchReport, ttftP50: number[], tps: number[]): BenchReport {
  const q = {
    bad_output: 0,
    malformed_stream: 0,
    missing_done: 0,
    duplicate_done: 0,
    zero_output_tokens: 0,
    stream_bulk_flush: 0,
    http_500: 0,
    panic: 0,
  };
  const pct = (v: number) => ({ p50: v, p75: v, p95: v, p99: v });
  return {
    ...report,
    repeat_metrics: ttftP50.map((t, i) => ({
      repeat: i + 1,
      duration_s: 10,
      expected_requests: 10,
      completed_requests: t === 0 ? 0 : 10,
      errored_requests: t === 0 ? 10 : 0,
      warmup_expected: 0,
      warmup_completed: 0,
      warmup_errored: 0,
      actual_input_tokens: 100,
      output_tokens: 100,
      output_token_count_source: 'usage',
      itl_eligible_requests: 10,
      itl_ineligible_requests: 0,
      itl_expected_intervals: 90,
      itl_observed_intervals: 90,
      itl_eligibility_counts: {
        eligible: 10,
        missing_evidence: 0,
        request_failed: 0,
        missing_usage: 0,
        too_short: 0,
        event_usage_mismatch: 0,
        interval_count_mismatch: 0,
        transport_coalesced: 0,
      },
      ttft_ms: pct(t),
      tpot_ms: pct(5),
      itl_ms: pct(5),
      e2e_ms: pct(t * 10),
      output_throughput_tps: tps[i] ?? 0,
      total_throughput_tps: 0,
      request_throughput_rps: 1,
      goodput_rps: 1,
      quality_issues: q,
      warmup_quality_issues: q,
    })),
  };
}

describe('reportCharts', () => {
  it('gives every chart a unique, file-safe name', () => {
    const names = allCharts(reportCharts(cellViews({ cells: sweepCells() }))).map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z0-9-]+$/);
  });

  it('draws the concurrency sweep and marks the knee that detectKnee finds (c=16 of the engine-pair sweep)', () => {
    const charts = reportCharts(cellViews({ cells: sweepCells() }));
    const tl = charts.sweep.find((c) => c.name === 'throughput-vs-latency')!;
    expect(tl.seriesMarks).toBe(1);
    const knee = rows(tl).filter((r) => r.knee === true);
    expect(knee.map((r) => r.loadText)).toEqual(['c=16']);
    expect(charts.sweep.map((c) => c.name)).toEqual(['throughput-vs-latency', 'goodput-vs-concurrency']);
  });

  it('says why the sweep chart is missing for a single cell', () => {
    const charts = reportCharts(cellViews({ cells: [readFixture('engine-pair/vllm0202_c1_n5.json')] }));
    expect(charts.sweep[0]!.unavailable).toMatch(/concurrency sweep/);
  });
});

describe('kneeIndex', () => {
  it('prefers the knee the run recorded in its extension', () => {
    const cells = sweepCells().map((c) => ({ ...c, goodput: { ...c.goodput!, knee: { concurrency: 4 } } }));
    const [sweep] = sweepsOf(cellViews({ cells }), 'concurrency');
    expect(sweep!.views[kneeIndex(sweep!)!]!.load.value).toBe(4);
  });

  it('accepts a knee cell marked { is_knee: true }, as the markdown report does', () => {
    const cells = sweepCells().map((c) => ({
      ...c,
      goodput: { ...c.goodput!, knee: { is_knee: c.concurrency === 32 } },
    }));
    const [sweep] = sweepsOf(cellViews({ cells }), 'concurrency');
    expect(sweep!.views[kneeIndex(sweep!)!]!.load.value).toBe(32);
  });

  it('finds no knee when throughput keeps pace with latency', () => {
    const cells = sweepCells().map((c, i) => ({
      ...c,
      output_throughput_tps: { mean: 100 * 4 ** i, stddev: 0, ci95_hw: 0 },
      e2e_ms: { ...c.e2e_ms, p50: { mean: 1000 + i, stddev: 0, ci95_hw: 0 } },
    }));
    const [sweep] = sweepsOf(cellViews({ cells }), 'concurrency');
    expect(kneeIndex(sweep!)).toBeUndefined();
  });
});

describe('goodputLoadChart', () => {
  it('rings the highest rate at which ≥ 90 % of requests met the SLO, below the first miss', () => {
    const base = readFixture('engine-pair/vllm0202_c1_n5.json');
    const slo = { ttft_p99_ms: 500, tpot_p99_ms: 50, e2e_p99_ms: 30000 };
    const cells = [
      [1, 100],
      [2, 95],
      [4, 60],
      [8, 92],
    ].map(([rate, met]) => ({
      ...base,
      scenario: 'open_loop' as const,
      concurrency: undefined,
      request_rate: rate,
      n_requests_per_run: 20,
      n_repeats: 5,
      slo,
      goodput: {
        schema_version: 1,
        goodput_misses: { successful: 100, met_slo: met!, ttft: 0, tpot: 0, e2e: 0 },
      },
    }));
    const chart = goodputLoadChart(sweepsOf(cellViews({ cells }), 'rate'), 'rate');
    const goodput = rows(chart).filter((r) => r.measure === 'goodput');
    expect(goodput.filter((r) => r.best).map((r) => r.load)).toEqual([2]);
    expect(goodput.map((r) => r.share)).toEqual([1, 0.95, 0.6, 0.92]);
    expect(chart.seriesMarks).toBe(2);
    expect(chart.caption).toContain('TTFT ≤ 500 ms · TPOT ≤ 50 ms · E2E ≤ 30000 ms');
  });
});

describe('repeatDriftChart', () => {
  it("plots each repeat's deviation from the cell mean, a failed repeat as missing rather than 0", () => {
    const r = withRepeats(
      readFixture('engine-pair/vllm0202_c1_n5.json'),
      [100, 110, 0, 90],
      [50, 50, 50, 50],
    );
    expect(repeatValues(r)?.[0]).toEqual({ metric: 'TTFT p50', values: [100, 110, null, 90] });
    const chart = repeatDriftChart(cellViews({ cells: [r] }));
    const ttft = rows(chart).filter((x) => x.metric === 'TTFT p50');
    expect(ttft.map((x) => x.repeat)).toEqual([1, 2, 4]);
    expect(ttft.map((x) => Math.round(x.devPct as number))).toEqual([0, 10, -10]);
    expect(chart.seriesMarks).toBe(3);
  });

  it('reads per-repeat values from the extension statistics when there are no repeat_metrics', () => {
    const r = readFixture('engine-pair/vllm0202_c1_n5.json');
    const s = (values: (number | null)[]) => ({ n: 3, mean: 1, stddev: 0, ci95_hw: 0, t: 4.3, values });
    const withExt = {
      ...r,
      goodput: {
        schema_version: 1,
        statistics: {
          repeats: { ttft_ms: { p50: s([10, 12, 14]) } },
          rates: { output_throughput_tps: s([5, 5, 5]) },
          pooled: {},
          bootstrap: { seed: 1, resamples: 0 },
        },
      },
    };
    expect(repeatValues(withExt)?.map((m) => m.values)).toEqual([[10, 12, 14], [], [5, 5, 5]]);
  });

  it('is unavailable for reports with aggregates only (every ferrum fixture)', () => {
    expect(repeatDriftChart(cellViews({ cells: sweepCells() })).unavailable).toMatch(/per-repeat values/);
  });
});

describe('errorCounts', () => {
  it("sums ferrum's counters over repeats and adds the extended taxonomy once", () => {
    const r = readFixture('release-gate/baseline_c4_n3.json');
    const q = {
      bad_output: 0,
      malformed_stream: 1,
      missing_done: 0,
      duplicate_done: 0,
      zero_output_tokens: 0,
      stream_bulk_flush: 0,
      http_500: 2,
      panic: 0,
    };
    const withErrors = {
      ...r,
      quality_issues_per_run: [q, q, { ...q, http_500: 0 }],
      goodput: { schema_version: 1, errors_per_run: { timeout: [0, 3, 1], http_500: [9, 9, 9] } },
    };
    expect(Object.fromEntries(errorCounts(withErrors))).toEqual({
      malformed_stream: 3,
      http_500: 4,
      timeout: 4,
    });
    const chart = errorBreakdownChart(cellViews({ cells: [withErrors] }));
    expect(chart.seriesMarks).toBe(3);
  });

  it('falls back to the *_per_run vectors of 0.7.7 reports and says when there is nothing', () => {
    const r = readFixture('graph-ab/graph_on_c1.json');
    expect(errorCounts({ ...r, http_500_per_run: [2] }).get('http_500')).toBe(2);
    expect(errorBreakdownChart(cellViews({ cells: [r] })).unavailable).toMatch(/No errors/);
  });
});
