// The report's charts as standalone files for READMEs and PRs: each available chart as SVG (with
// its title inside) or PNG, under its stable name (`latency-cdf-ttft.svg`, …). Pure: returns the
// file names and contents; chart-files.ts writes them.

import type { ReportData } from './cell-view.js';
import { cellViews } from './cell-view.js';
import { renderChartSvgs } from './chart-svg.js';
import { allCharts, reportCharts } from './report-charts.js';
import { svgToPng } from './svg-png.js';

export type StaticChartFormat = 'svg' | 'png';

export interface StaticChart {
  /** `<chart name>.<format>` */
  fileName: string;
  content: string | Uint8Array;
}

export interface StaticCharts {
  files: StaticChart[];
  /** charts the data cannot support, with the reason (nothing is written for them) */
  skipped: { name: string; reason: string }[];
}

export async function renderStaticCharts(data: ReportData, format: StaticChartFormat): Promise<StaticCharts> {
  const charts = allCharts(reportCharts(cellViews(data)));
  const svgs = await renderChartSvgs(charts, { withTitle: true });
  const files: StaticChart[] = [];
  const skipped: StaticCharts['skipped'] = [];
  for (const chart of charts) {
    const svg = svgs.get(chart.name);
    if (svg === undefined) {
      skipped.push({ name: chart.name, reason: chart.unavailable ?? 'not available' });
      continue;
    }
    files.push({
      fileName: `${chart.name}.${format}`,
      content: format === 'svg' ? svg : await svgToPng(svg),
    });
  }
  return { files, skipped };
}
