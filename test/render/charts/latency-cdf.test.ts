import { describe, expect, it } from 'vitest';
import { cellViews } from '../../../src/render/charts/cell-view.js';
import { LATENCY_METRICS } from '../../../src/render/charts/chart.js';
import {
  cdfPoints,
  latencyCdfChart,
  MAX_CDF_POINTS,
  reportedCdfPoints,
} from '../../../src/render/charts/latency-cdf.js';
import { readFixture } from '../html/sweep-data.js';

const TTFT = LATENCY_METRICS[0];

describe('cdfPoints', () => {
  it('keeps every sample of a small set, with probability (j+1)/n', () => {
    expect(cdfPoints([10, 20, 30, 40])).toEqual([
      { ms: 10, p: 0.25 },
      { ms: 20, p: 0.5 },
      { ms: 30, p: 0.75 },
      { ms: 40, p: 1 },
    ]);
  });

  it('is empty for no samples', () => {
    expect(cdfPoints([])).toEqual([]);
  });

  it('downsamples a large set to at most MAX_CDF_POINTS, keeping min, max and the tail ranks', () => {
    const sorted = Array.from({ length: 100_000 }, (_, i) => i);
    const pts = cdfPoints(sorted);
    expect(pts.length).toBeLessThanOrEqual(MAX_CDF_POINTS);
    expect(pts.length).toBeGreaterThan(MAX_CDF_POINTS - 5);
    expect(pts[0]).toEqual({ ms: 0, p: 1 / 100_000 });
    expect(pts[pts.length - 1]).toEqual({ ms: 99_999, p: 1 });
    for (const q of [0.99, 0.995, 0.999])
      expect(pts.some((p) => p.ms === Math.ceil(q * 100_000) - 1)).toBe(true);
    for (let i = 1; i < pts.length; i++) {
      expect(pts[i]!.ms).toBeGreaterThan(pts[i - 1]!.ms);
      expect(pts[i]!.p).toBeGreaterThan(pts[i - 1]!.p);
    }
  });
});

describe('reportedCdfPoints', () => {
  it("uses ferrum's p50..p99 means when there is no extension", () => {
    const r = readFixture('engine-pair/ferrum-fa2-direct_c16_n5.json');
    expect(reportedCdfPoints(r, 'ttft_ms').map((p) => p.p)).toEqual([0.5, 0.75, 0.95, 0.99]);
    expect(reportedCdfPoints(r, 'ttft_ms')[0]!.ms).toBe(r.ttft_ms.p50.mean);
  });

  it('prefers the pooled percentiles with min and max of the extension', () => {
    const r = readFixture('engine-pair/ferrum-fa2-direct_c16_n5.json');
    const pct = (value: number) => ({ value, ci95_low: value, ci95_high: value, low_sample: false });
    const pooled = {
      n: 640,
      mean: 150,
      p50: pct(140),
      p75: pct(160),
      p90: pct(180),
      p95: pct(200),
      p99: pct(300),
      min: 50,
      max: 400,
    };
    const withExt = {
      ...r,
      goodput: {
        schema_version: 1,
        statistics: {
          repeats: {},
          rates: {},
          pooled: { ttft_ms: pooled },
          bootstrap: { seed: 1, resamples: 100 },
        },
      },
    };
    expect(reportedCdfPoints(withExt, 'ttft_ms')).toEqual([
      { ms: 50, p: 0 },
      { ms: 140, p: 0.5 },
      { ms: 160, p: 0.75 },
      { ms: 180, p: 0.9 },
      { ms: 200, p: 0.95 },
      { ms: 300, p: 0.99 },
      { ms: 400, p: 1 },
    ]);
  });

  it('gives nothing for a metric the report zeroed (ITL without evidence)', () => {
    const r = readFixture('engine-pair/ferrum-fa2-direct_c16_n5.json');
    const zero = { mean: 0, stddev: 0, ci95_hw: 0 };
    expect(
      reportedCdfPoints({ ...r, itl_ms: { p50: zero, p75: zero, p95: zero, p99: zero } }, 'itl_ms'),
    ).toEqual([]);
  });
});

describe('latencyCdfChart', () => {
  it('draws one line per cell and says where the points came from', () => {
    const cells = ['c1', 'c4'].map((c) => readFixture(`engine-pair/vllm0202_${c}_n5.json`));
    const views = cellViews({ cells });
    const chart = latencyCdfChart(views, TTFT, (v) => (v.index === 0 ? [1, 2, 3] : undefined));
    expect(chart.seriesMarks).toBe(2);
    expect(chart.name).toBe('latency-cdf-ttft');
    expect(chart.caption).toContain('request records where the page has them');
    const rows = (chart.spec as { data: { values: { cell: string; from: string }[] } }).data.values;
    expect(rows.filter((r) => r.from === 'request records')).toHaveLength(3);
    expect(rows.filter((r) => r.from === 'reported percentiles')).toHaveLength(4);
  });

  it('is unavailable with the reason when no cell has the metric', () => {
    const r = readFixture('engine-pair/vllm0202_c1_n5.json');
    const zero = { mean: 0, stddev: 0, ci95_hw: 0 };
    const chart = latencyCdfChart(
      cellViews({ cells: [{ ...r, tpot_ms: { p50: zero, p75: zero, p95: zero, p99: zero } }] }),
      LATENCY_METRICS[1],
      () => undefined,
    );
    expect(chart.spec).toBeUndefined();
    expect(chart.unavailable).toMatch(/No cell reports TPOT/);
  });
});
