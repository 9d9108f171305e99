// Renders one Chart to SVG with the shared theme. Static files carry their title inside the SVG
// (a README image must explain itself); charts inlined in HTML leave it to the page's heading.

import type { TopLevelSpec } from 'vega-lite';
import type { Chart } from './chart.js';
import { VEGA_LITE_CONFIG } from './theme.js';
import { renderVegaLiteSvg } from './vega-svg.js';

export async function renderChartSvg(
  chart: Chart & { spec: TopLevelSpec },
  options: { withTitle: boolean; idPrefix?: string },
): Promise<string> {
  const spec = {
    ...chart.spec,
    ...(options.withTitle ? { title: { text: chart.title } } : {}),
    config: VEGA_LITE_CONFIG,
  } as TopLevelSpec;
  return renderVegaLiteSvg(spec, options.idPrefix ?? chart.name);
}

/** Renders every available chart in order (one at a time: vega's id counter is global). */
export async function renderChartSvgs(
  charts: readonly Chart[],
  options: { withTitle: boolean },
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const chart of charts) {
    if (chart.spec === undefined) continue;
    out.set(
      chart.name,
      await renderChartSvg(chart as Chart & { spec: TopLevelSpec }, { ...options, idPrefix: chart.name }),
    );
  }
  return out;
}
