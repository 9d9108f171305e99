import { describe, expect, it } from 'vitest';
import { historyChart, slug } from '../../../src/render/charts/history-chart.js';
import { type HistoryPoint, historySeries } from '../../../src/render/charts/history-series.js';

const point = (
  runId: string,
  startedAt: string,
  metric: string,
  mean: number,
  extra: Partial<HistoryPoint> = {},
): HistoryPoint => ({
  runId,
  startedAt,
  cellKey: 'm|closed_loop|c=4',
  metric,
  mean,
  ci95_hw: 2,
  n: 5,
  ...extra,
});

describe('historySeries', () => {
  it('orders runs by start time and marks a significant TTFT rise as worse', () => {
    const series = historySeries([
      point('r3', '2026-06-03T00:00:00Z', 'ttft_p50', 130, { commit: 'ccccccc1234' }),
      point('r1', '2026-06-01T00:00:00Z', 'ttft_p50', 100, { commit: 'aaaaaaa1234' }),
      point('r2', '2026-06-02T00:00:00Z', 'ttft_p50', 101, { commit: 'bbbbbbb1234' }),
    ]);
    expect(series).toHaveLength(1);
    const s = series[0]!;
    expect(s.metricLabel).toBe('TTFT p50');
    expect(s.unit).toBe('ms');
    expect(s.steps.map((x) => x.label)).toEqual(['aaaaaaa1', 'bbbbbbb1', 'ccccccc1']);
    expect(s.steps[1]!.change).toBeUndefined();
    expect(s.steps[2]!.change?.verdict).toBe('worse');
    expect(s.steps[2]!.change?.pValue).toBeLessThan(0.001);
    expect(s.steps[2]!.change?.changePct).toBeCloseTo(28.71, 1);
  });

  it('calls a throughput rise better, and keeps the given order on request', () => {
    const s = historySeries(
      [
        point('b', '2026-06-02T00:00:00Z', 'output_throughput', 900),
        point('a', '2026-06-01T00:00:00Z', 'output_throughput', 1000),
      ],
      { order: 'given' },
    )[0]!;
    expect(s.steps.map((x) => x.point.runId)).toEqual(['b', 'a']);
    expect(s.steps[1]!.change?.verdict).toBe('better');
  });

  it('never calls a step with fewer than 3 repeats significant', () => {
    const s = historySeries([
      point('a', '2026-06-01T00:00:00Z', 'ttft_p50', 100, { n: 2, ci95_hw: 0 }),
      point('b', '2026-06-02T00:00:00Z', 'ttft_p50', 500, { n: 2, ci95_hw: 0 }),
    ])[0]!;
    expect(s.steps[1]!.change).toBeUndefined();
  });

  it('uses a stated stddev over the CI, and marks a metric outside the catalog as changed', () => {
    const noisy = historySeries([
      point('a', '2026-06-01T00:00:00Z', 'ttft_p50', 100, { stddev: 50 }),
      point('b', '2026-06-02T00:00:00Z', 'ttft_p50', 130, { stddev: 50 }),
    ])[0]!;
    expect(noisy.steps[1]!.change).toBeUndefined();
    const custom = historySeries([
      point('a', '2026-06-01T00:00:00Z', 'cache_hit_ratio', 0.5, { ci95_hw: 0.01 }),
      point('b', '2026-06-02T00:00:00Z', 'cache_hit_ratio', 0.8, { ci95_hw: 0.01 }),
    ])[0]!;
    expect(custom.steps[1]!.change?.verdict).toBe('changed');
    expect(custom.metricLabel).toBe('cache_hit_ratio');
  });

  it('makes repeated commit labels unique and groups by cell key and metric', () => {
    const series = historySeries([
      point('a', '2026-06-01T00:00:00Z', 'ttft_p50', 100, { commit: 'abc' }),
      point('b', '2026-06-02T00:00:00Z', 'ttft_p50', 100, { commit: 'abc' }),
      point('c', '2026-06-01T00:00:00Z', 'ttft_p50', 100, { cellKey: 'other' }),
    ]);
    expect(series.map((s) => s.cellKey)).toEqual(['m|closed_loop|c=4', 'other']);
    expect(series[0]!.steps.map((s) => s.label)).toEqual(['abc', 'abc (2)']);
    expect(series[1]!.steps[0]!.label).toBe('2026-06-01 00:00');
  });
});

describe('historyChart', () => {
  it('draws the band, the line and a ring per significant step', () => {
    const s = historySeries([
      point('r1', '2026-06-01T00:00:00Z', 'ttft_p50', 100),
      point('r2', '2026-06-02T00:00:00Z', 'ttft_p50', 130),
    ])[0]!;
    const chart = historyChart(s, 0);
    expect(chart.name).toBe('history-1-ttft-p50');
    expect(chart.caption).toContain('1 significant step ringed');
    const values = (chart.spec as { data: { values: { change: string | null; lo: number; hi: number }[] } })
      .data.values;
    expect(values.map((v) => v.change)).toEqual([null, 'worse']);
    expect(values[0]).toMatchObject({ lo: 98, hi: 102 });
  });

  it('slugs free-form names into file-safe fragments', () => {
    expect(slug('Qwen/Qwen3-8B|closed_loop|c=4')).toBe('qwen-qwen3-8b-closed-loop-c-4');
    expect(slug('***')).toBe('x');
  });
});
