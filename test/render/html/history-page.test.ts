import { describe, expect, it } from 'vitest';
import type { HistoryPoint } from '../../../src/render/charts/history-series.js';
import { renderHistoryHtml } from '../../../src/render/html/history-page.js';

function runs(cellKey: string, metric: string, means: number[]): HistoryPoint[] {
  return means.map((mean, i) => ({
    runId: `run-${i + 1}`,
    commit: `c0mmit${i + 1}abcdef`,
    startedAt: `2026-06-0${i + 1}T12:00:00Z`,
    cellKey,
    metric,
    mean,
    ci95_hw: mean * 0.01,
    n: 5,
  }));
}

describe('renderHistoryHtml', () => {
  it('lists the significant steps first and draws one chart per cell key and metric', async () => {
    const points = [
      ...runs('Qwen3|closed_loop|c=4', 'ttft_p50', [100, 101, 130, 129]),
      ...runs('Qwen3|closed_loop|c=4', 'output_throughput', [1000, 1001, 999, 1200]),
      ...runs('Qwen3|closed_loop|c=16', 'ttft_p50', [300, 301, 299, 300]),
    ];
    const html = await renderHistoryHtml(points, { generatedAt: '2026-06-10T00:00:00Z' });
    expect(html).not.toMatch(/<script/i);
    expect(html.match(/<figure class="chart" id="chart-history-/g)).toHaveLength(3);
    expect(html.match(/<svg /g)).toHaveLength(3);
    const steps = [...html.matchAll(/<tr class="row-(worse|better|unknown)">/g)].map((m) => m[1]);
    expect(steps).toEqual(['worse', 'better']);
    expect(html).toContain('c0mmit2abcdef → c0mmit3abcdef');
    expect(html).toContain('<li>significant steps <b>2</b></li>');
    expect(html).toContain('<h2>Qwen3|closed_loop|c=16</h2>');
  });

  it('says so when no step is significant, and escapes cell keys', async () => {
    const html = await renderHistoryHtml(runs('<script>alert(1)</script>', 'ttft_p50', [100, 100.5]));
    expect(html).toContain('No significant step between consecutive runs');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
