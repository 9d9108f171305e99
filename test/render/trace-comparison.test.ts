import { describe, expect, it } from 'vitest';
import { layerBreakdown } from '../../src/core/trace/layer-breakdown.js';
import { analyseTrace, comparisonSide } from '../../src/core/trace/trace-analysis.js';
import { compareTraces } from '../../src/core/trace/trace-comparison.js';
import { renderTraceChartSvg } from '../../src/render/trace-breakdown.js';
import {
  layerLine,
  normalisationLine,
  renderTraceComparisonHtml,
  renderTraceComparisonText,
  tidRanges,
  traceComparisonChart,
} from '../../src/render/trace-comparison.js';
import { syntheticLayerwise } from '../core/trace/trace-fixture.js';
import { SVG_DOCUMENT, seriesPaths } from './trace-svg.js';

const sources = { a: 'a.json', b: 'b.json.gz' };
const compare = (a: unknown[], b: unknown[]) =>
  compareTraces(
    { label: 'base', breakdown: layerBreakdown(a) },
    { label: 'new', breakdown: layerBreakdown(b) },
  );

describe('tidRanges', () => {
  it.each([
    [[], ''],
    [[3], '3'],
    [[0, 1, 2, 5, 7, 8], '0–2, 5, 7–8'],
  ])('%j → %j', (tids, text) => {
    expect(tidRanges(tids)).toBe(text);
  });
});

describe('trace comparison text', () => {
  it('per category with signed deltas, ratios and shares; the layer note; the top changes', () => {
    const c = compare(syntheticLayerwise(2, 3, 10, 30), syntheticLayerwise(2, 3, 10, 60));
    const text = renderTraceComparisonText(c, sources);
    expect(text).toContain('compare A = base (a.json) with B = new (b.json.gz)');
    expect(text).toContain('normalisation: none — whole-trace totals');
    expect(text).toMatch(/attention\s+0\.060\s+0\.060\s+0\.000\s+1\.000\s+25\.0 %\s+14\.3 %/);
    expect(text).toMatch(/moe\s+0\.180\s+0\.360\s+\+0\.180\s+2\.000\s+75\.0 %\s+85\.7 %/);
    expect(text).toMatch(/total\s+0\.240\s+0\.420\s+\+0\.180\s+1\.750\s+100\.0 %\s+100\.0 %/);
    expect(text).toContain('layers: 3 in each trace, the same tids');
    expect(text).toContain('top 3 layer change(s) by |delta|:');
  });

  it('says which normalisation is used and which layers differ', () => {
    const c = compareTraces(
      comparisonSide(
        analyseTrace(syntheticLayerwise(4, 6, 10, 30), { source: 'a', perIteration: true }),
        'a',
      ),
      comparisonSide(
        analyseTrace(syntheticLayerwise(8, 3, 10, 30), { source: 'b', perIteration: true }),
        'b',
      ),
    );
    expect(normalisationLine(c)).toContain('divided by its own iteration count (A: 4, B: 8)');
    expect(layerLine(c)).toBe(
      'NOTE: the traces have different layers (A: 6 tids, B: 3 tids); per-layer deltas cover the 3 tid(s) in both; only in A: 3–5; only in B: none',
    );
    const text = renderTraceComparisonText(c, sources);
    // per iteration each layer costs 40 µs in both; only the common tids 0–2 are ranked
    expect(text).toContain('top 3 layer change(s) by |delta|:');
    expect(text).toMatch(/\n0\s+0\.040\s+0\.040\s+0\.000\s+1\.000\n/);
    expect(text).not.toMatch(/\n3\s+0\.040/);
  });
});

describe('traceComparisonChart', () => {
  it('same layers: A and B side by side per layer, B lighter', async () => {
    const c = compare(syntheticLayerwise(2, 4, 10, 30), syntheticLayerwise(2, 4, 10, 60));
    const chart = traceComparisonChart(c, 'base vs new');
    expect(chart.seriesMarks).toBe(4 * 2 * 2);
    const svg = await renderTraceChartSvg(chart);
    expect(svg).toMatch(SVG_DOCUMENT);
    expect(svg).toContain('layer (tid)');
    const bars = seriesPaths(svg);
    expect(bars).toHaveLength(16);
    expect(bars.filter((p) => p.includes('fill="#ff725c"') && p.includes('opacity="0.5"'))).toHaveLength(4);
  });

  it('different layers: per category, with the reason in the caption', async () => {
    const c = compare(syntheticLayerwise(2, 4, 10, 30), syntheticLayerwise(2, 2, 10, 60));
    const chart = traceComparisonChart(c, 'base vs new');
    expect(chart.caption).toContain('per category');
    expect(chart.caption).toContain('different layers (A: 4, B: 2)');
    const svg = await renderTraceChartSvg(chart);
    expect(seriesPaths(svg)).toHaveLength(2 * 2);
    expect(svg).not.toContain('layer (tid)');
    const html = renderTraceComparisonHtml(c, chart, svg, sources);
    expect(html).toContain('NOTE: the traces have different layers');
    expect(html).toContain('<td>3</td><td class="num">0.080</td><td class="num">—</td>');
  });
});
