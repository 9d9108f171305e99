// Throughput against latency across a concurrency sweep: one line per series through its cells in
// load order, each point labelled with its load, whiskers for the 95 % CIs, and the knee ringed
// (the point after which more load buys little throughput for much more latency).

import type { CellView } from './cell-view.js';
import { type Chart, colorEncoding } from './chart.js';
import { CHART_HEIGHT_PX, CHART_WIDTH_PX } from './theme.js';

/** A sweep: the cells of one series at two or more load points, in load order. */
export interface Sweep {
  series: string;
  views: CellView[];
  /** index into `views` of the knee, when one was found */
  kneeIndex?: number;
}

/** Groups closed-loop (or open-loop) cells by series into sweeps of ≥ 2 distinct load points. */
export function sweepsOf(views: readonly CellView[], kind: 'concurrency' | 'rate'): Sweep[] {
  const bySeries = new Map<string, CellView[]>();
  for (const v of views) {
    if (v.load.kind !== kind) continue;
    const list = bySeries.get(v.series);
    if (list) list.push(v);
    else bySeries.set(v.series, [v]);
  }
  const sweeps: Sweep[] = [];
  for (const [series, list] of bySeries) {
    const sorted = [...list].sort((a, b) => (a.load.value ?? 0) - (b.load.value ?? 0));
    if (new Set(sorted.map((v) => v.load.value)).size >= 2) sweeps.push({ series, views: sorted });
  }
  return sweeps;
}

const ci = (n: number, hw: number) => (n >= 3 && hw > 0 ? hw : 0);

export function throughputLatencyChart(sweeps: readonly Sweep[]): Chart {
  const name = 'throughput-vs-latency';
  const title = 'Throughput vs latency across the sweep';
  const caption =
    'Output tokens/s against median end-to-end latency, one point per cell in concurrency order, with 95 % CI whiskers on both axes; the ringed point is the knee, where more concurrency stops paying for its latency.';
  if (sweeps.length === 0) {
    return {
      name,
      title,
      caption,
      unavailable: 'Needs a concurrency sweep: two or more closed-loop cells of one series.',
    };
  }
  const rows = sweeps.flatMap((s) =>
    s.views.map((v, i) => {
      const r = v.report;
      const e2e = r.e2e_ms.p50;
      const tps = r.output_throughput_tps;
      const xCi = ci(r.n_repeats, e2e.ci95_hw);
      const yCi = ci(r.n_repeats, tps.ci95_hw);
      return {
        series: s.series,
        load: v.label,
        loadText: v.load.kind === 'concurrency' ? `c=${v.load.value}` : v.label,
        order: v.load.value ?? i,
        e2eMs: e2e.mean,
        xLo: Math.max(0, e2e.mean - xCi),
        xHi: e2e.mean + xCi,
        tps: tps.mean,
        yLo: Math.max(0, tps.mean - yCi),
        yHi: tps.mean + yCi,
        knee: s.kneeIndex === i,
      };
    }),
  );
  const color = colorEncoding(
    'series',
    sweeps.map((s) => ({ label: s.series, color: s.views[0]?.color ?? '#4269d0' })),
  );
  const x = {
    field: 'e2eMs',
    type: 'quantitative' as const,
    title: 'E2E p50 (ms)',
    scale: { zero: false, nice: true },
  };
  const y = {
    field: 'tps',
    type: 'quantitative' as const,
    title: 'output throughput (tok/s)',
    scale: { zero: false, nice: true },
  };
  return {
    name,
    title,
    caption,
    seriesMarks: sweeps.length,
    spec: {
      width: CHART_WIDTH_PX,
      height: CHART_HEIGHT_PX,
      data: { values: rows },
      layer: [
        {
          name: 'series',
          mark: { type: 'line' },
          encoding: { x, y, color, order: { field: 'order', type: 'quantitative' } },
        },
        {
          transform: [{ filter: 'datum.yHi > datum.yLo' }],
          mark: { type: 'rule', strokeWidth: 1.2 },
          encoding: { x, y: { field: 'yLo', type: 'quantitative' }, y2: { field: 'yHi' }, color },
        },
        {
          transform: [{ filter: 'datum.xHi > datum.xLo' }],
          mark: { type: 'rule', strokeWidth: 1.2 },
          encoding: { x: { field: 'xLo', type: 'quantitative' }, x2: { field: 'xHi' }, y, color },
        },
        { mark: { type: 'point', filled: true, size: 50, opacity: 1 }, encoding: { x, y, color } },
        {
          mark: { type: 'text', align: 'right', dx: -7, dy: -7, fontSize: 10, color: '#59636e' },
          encoding: { x, y, text: { field: 'loadText' } },
        },
        {
          transform: [{ filter: 'datum.knee' }],
          mark: { type: 'point', filled: false, size: 420, strokeWidth: 2, color: '#cf222e' },
          encoding: { x, y },
        },
        {
          transform: [{ filter: 'datum.knee' }],
          mark: { type: 'text', dy: 22, fontSize: 11, fontWeight: 700, color: '#cf222e', text: 'knee' },
          encoding: { x, y },
        },
      ],
    },
  };
}
