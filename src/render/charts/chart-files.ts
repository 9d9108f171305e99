// Writes the report's static charts into a directory, one file per chart under its stable name,
// each atomically (output/atomic-write), so a reader never sees half a chart.

import { join } from 'node:path';
import { writeFileAtomic } from '../../output/atomic-write.js';
import type { ReportData } from './cell-view.js';
import { renderStaticCharts, type StaticChartFormat, type StaticCharts } from './static-charts.js';

export interface WrittenCharts {
  /** paths of the files written (`dir` joined with each chart's file name), in chart order */
  written: string[];
  /** charts the data cannot support, with the reason: no file is written for them */
  skipped: StaticCharts['skipped'];
}

/** Renders every available chart of `data` as `format` into `dir` (created if needed). */
export async function renderChartsToDir(
  data: ReportData,
  dir: string,
  format: StaticChartFormat,
): Promise<WrittenCharts> {
  const { files, skipped } = await renderStaticCharts(data, format);
  const written: string[] = [];
  for (const file of files) {
    const path = join(dir, file.fileName);
    writeFileAtomic(path, file.content);
    written.push(path);
  }
  return { written, skipped };
}
