import { describe, expect, it } from 'vitest';
import { analyseTrace } from '../../src/core/trace/trace-analysis.js';
import { renderTraceChartSvg } from '../../src/render/trace-breakdown.js';
import {
  ITERATION_BARS_MAX,
  iterationsChart,
  renderIterationsHtml,
  renderIterationsText,
} from '../../src/render/trace-iterations.js';
import { span, syntheticLayerwise } from '../core/trace/trace-fixture.js';
import { SVG_DOCUMENT, seriesPaths } from './trace-svg.js';

function iterationsOf(events: unknown[]) {
  const it = analyseTrace(events, { source: 'syn.json', perIteration: true }).iterations;
  if (it === undefined) throw new Error('expected an iteration split');
  return it;
}

describe('iterationsChart', () => {
  it(`draws one stacked bar per iteration up to ${ITERATION_BARS_MAX}, the pre-roll "-" first`, async () => {
    const { split, phases } = iterationsOf([
      span('load', 2, -50, 40, 'other'),
      ...syntheticLayerwise(ITERATION_BARS_MAX, 2, 10, 30),
    ]);
    const chart = iterationsChart(split, phases, 'per iteration');
    expect(chart.spec).toBeDefined();
    const spec = chart.spec as unknown as { encoding: { x: { sort: string[] } } };
    expect(spec.encoding.x.sort.slice(0, 3)).toEqual(['-', '0', '1']);
    // 101 bars (pre-roll + 100) × 3 categories (attention, moe, other)
    expect(chart.seriesMarks).toBe(101 * 3);
    const svg = await renderTraceChartSvg(chart);
    expect(svg).toMatch(SVG_DOCUMENT);
    expect(seriesPaths(svg)).toHaveLength(101 * 3);
    expect(svg).toContain('iteration');
  });

  it(`above ${ITERATION_BARS_MAX} iterations: the first vs the mean of the rest, one panel each`, async () => {
    const { split, phases } = iterationsOf(syntheticLayerwise(ITERATION_BARS_MAX + 1, 2, 10, 30));
    const chart = iterationsChart(split, phases, 'per iteration');
    expect(chart.caption).toContain('the first iteration and the per-category mean of the other 100');
    expect(chart.seriesMarks).toBe(2 * 2);
    const svg = await renderTraceChartSvg(chart);
    expect(svg).toMatch(SVG_DOCUMENT);
    expect(svg).toContain('first (iteration 0)');
    expect(svg).toContain('rest: mean of 100');
    const moeBars = seriesPaths(svg).filter((p) => p.includes('fill="#ff725c"'));
    expect(moeBars).toHaveLength(2);
  });
});

describe('renderIterationsText and renderIterationsHtml', () => {
  const { split, phases } = iterationsOf([
    span('step', 0, 0, 100, 'attention'),
    span('moe', 1, 10, 300),
    span('step', 0, 1000, 4, 'attention'),
    span('moe', 1, 1010, 12),
    span('step', 0, 2000, 6, 'attention'),
    span('moe', 1, 2010, 18),
  ]);

  it('prints the marker rule, the phase summary and one row per iteration with ms and %', () => {
    const text = renderIterationsText(split, phases, 'syn.json', false);
    expect(text).toContain('syn.json: 3 iteration(s); each iteration starts at a span "step" on tid 0');
    expect(text).toContain('pre-roll: none');
    expect(text).toMatch(/first \(iteration 0\)\s+attention\s+1\s+0\.100\s+0\.100\s+0\.100\s+25\.0 %/);
    // rest: totals 16 and 24 µs → mean 0.020 ms, p50 0.020, p95 16 + 0.95·8 = 23.6 µs
    expect(text).toMatch(/rest \(1\.\.2\)\s+attention\s+2\s+0\.005\s+0\.005\s+0\.006\s+25\.0 %/);
    expect(text).toMatch(/\n\s+total\s+0\.020\s+0\.020\s+0\.024\s+100\.0 %/);
    expect(text).toMatch(/\n2\s+2\.000\s+2\s+0\.024\s+0\.006\s+25\.0 %\s+0\.018\s+75\.0 %\n$/);
  });

  it('the page escapes the title and carries the chart, the phases and every iteration', () => {
    const chart = iterationsChart(split, phases, '<b>t</b>');
    const html = renderIterationsHtml(split, phases, chart, '<svg></svg>', 'syn.json', true);
    expect(html).toContain('&lt;b&gt;t&lt;/b&gt;');
    expect(html).not.toContain('<b>t</b>');
    expect(html).toContain('data-series-marks="6"');
    expect(html).toContain('truncated');
    expect(html.match(/<tr><td>[0-9-]+<\/td>/g)).toHaveLength(3);
  });
});
