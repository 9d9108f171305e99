// Goodput against offered load (request rate, or concurrency for closed-loop sweeps): goodput with
// 95 % CI whiskers, the request throughput it is a share of (dashed), the share of successful
// requests that met the SLO at each point, and for rates the offered-load diagonal.

import type { TopLevelSpec } from 'vega-lite';
import { highestRateMeetingSlo, type RatePoint, ratePointFromReport } from '../../core/metrics/sweep-rate.js';
import { type Slo, UNBOUNDED_SLO_MS } from '../../core/schema/bench-report.js';
import { type Chart, colorEncoding } from './chart.js';
import { CHART_HEIGHT_PX, CHART_WIDTH_PX, VERDICT_COLORS } from './theme.js';
import type { Sweep } from './throughput-latency.js';

/** The attainment target of core/metrics' "highest rate meeting the SLO". */
const RATE_SLO_TARGET = 0.9;

/** The highest rate of a rate sweep meeting the SLO (core/metrics/sweep-rate), or null. */
function bestRate(sweep: Sweep): number | null {
  const points = sweep.views.map((v) => ratePointFromReport(v.report));
  if (points.some((p) => p === null || p.requests === 0)) return null;
  return highestRateMeetingSlo(points as RatePoint[], RATE_SLO_TARGET).rateRps;
}

/** `TTFT ≤ 500 ms · TPOT ≤ 50 ms · E2E ≤ 30000 ms`, unbounded thresholds left out; null for no SLO. */
export function sloText(slo: Slo): string | null {
  const parts: string[] = [];
  if (slo.ttft_p99_ms < UNBOUNDED_SLO_MS) parts.push(`TTFT ≤ ${slo.ttft_p99_ms} ms`);
  if (slo.tpot_p99_ms < UNBOUNDED_SLO_MS) parts.push(`TPOT ≤ ${slo.tpot_p99_ms} ms`);
  if (slo.e2e_p99_ms < UNBOUNDED_SLO_MS) parts.push(`E2E ≤ ${slo.e2e_p99_ms} ms`);
  return parts.length === 0 ? null : parts.join(' · ');
}

export function goodputLoadChart(sweeps: readonly Sweep[], kind: 'rate' | 'concurrency'): Chart {
  const name = kind === 'rate' ? 'goodput-vs-rate' : 'goodput-vs-concurrency';
  const axis = kind === 'rate' ? 'request rate (req/s)' : 'concurrency';
  const title = kind === 'rate' ? 'Goodput vs request rate' : 'Goodput vs concurrency';
  const views = sweeps.flatMap((s) => s.views);
  const slos = new Set(views.map((v) => sloText(v.report.slo) ?? 'none'));
  const slo = slos.size === 1 ? [...slos][0] : undefined;
  const sloPart =
    slo === undefined
      ? 'The cells use different SLOs (see the summary table).'
      : slo === 'none'
        ? 'No SLO was set, so goodput equals the request throughput.'
        : `SLO per request: ${slo}.`;
  const drawn =
    slo === 'none'
      ? 'Goodput per second with 95 % CI whiskers.'
      : 'Requests per second that met the SLO (solid, 95 % CI whiskers) and all successful requests per second (dashed); labels give the share of requests that met the SLO.';
  const best =
    kind === 'rate' && slo !== 'none'
      ? ` The ringed point is the highest rate at which at least ${RATE_SLO_TARGET * 100} % of all measured requests met the SLO, below the first rate that missed.`
      : '';
  const caption =
    sweeps.length === 0
      ? 'Goodput (requests per second meeting the SLO) across the load points of a sweep.'
      : `${drawn}${kind === 'rate' ? ' The grey diagonal is the offered load.' : ''}${best} ${sloPart}`;
  if (sweeps.length === 0) {
    const need =
      kind === 'rate'
        ? 'a rate sweep: two or more open-loop cells'
        : 'a concurrency sweep: two or more closed-loop cells';
    return { name, title, caption, unavailable: `Needs ${need} of one series.` };
  }
  const noSlo = slo === 'none';
  const rows = sweeps.flatMap((s) => {
    const best = kind === 'rate' && !noSlo ? bestRate(s) : null;
    return s.views.flatMap((v) => {
      const r = v.report;
      const g = r.goodput_rps;
      const gCi = r.n_repeats >= 3 && g.ci95_hw > 0 ? g.ci95_hw : 0;
      // the share of ALL measured requests that met the SLO (core/metrics' attainment) where the
      // report allows it, else goodput over request throughput (the share of successful requests)
      const point = ratePointFromReport(r);
      const share = point
        ? point.metSlo / point.requests
        : r.request_throughput_rps.mean > 0
          ? g.mean / r.request_throughput_rps.mean
          : null;
      const base = { series: s.series, load: v.load.value ?? 0 };
      const goodput = {
        ...base,
        measure: 'goodput',
        rps: g.mean,
        lo: Math.max(0, g.mean - gCi),
        hi: g.mean + gCi,
        share: noSlo ? null : share,
        best: best !== null && v.load.value === best,
      };
      if (noSlo) return [goodput];
      return [
        goodput,
        {
          ...base,
          measure: 'request throughput',
          rps: r.request_throughput_rps.mean,
          lo: 0,
          hi: 0,
          share: null,
          best: false,
        },
      ];
    });
  });
  const maxLoad = Math.max(...views.map((v) => v.load.value ?? 0));
  const color = colorEncoding(
    'series',
    sweeps.map((s) => ({ label: s.series, color: s.views[0]?.color ?? '#4269d0' })),
  );
  const x = {
    field: 'load',
    type: 'quantitative' as const,
    title: axis,
    scale: { zero: kind === 'rate', nice: true },
  };
  const y = {
    field: 'rps',
    type: 'quantitative' as const,
    title: 'requests/s',
    scale: { zero: true, nice: true },
  };
  const layers: object[] = [
    {
      name: 'series',
      mark: { type: 'line' },
      encoding: {
        x,
        y,
        color,
        detail: { field: 'measure' },
        ...(noSlo
          ? {}
          : {
              strokeDash: {
                field: 'measure',
                type: 'nominal',
                title: null,
                scale: {
                  domain: ['goodput', 'request throughput'],
                  range: [
                    [1, 0],
                    [5, 4],
                  ],
                },
              },
            }),
      },
    },
    {
      transform: [{ filter: "datum.measure === 'goodput'" }],
      mark: { type: 'point', filled: true, size: 50, opacity: 1 },
      encoding: { x, y, color },
    },
    {
      transform: [{ filter: 'datum.hi > datum.lo' }],
      mark: { type: 'rule', strokeWidth: 1.2 },
      encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color },
    },
    {
      transform: [{ filter: 'datum.share !== null' }],
      mark: { type: 'text', dy: -10, fontSize: 10, color: '#59636e' },
      encoding: { x, y, text: { field: 'share', type: 'quantitative', format: '.0%' } },
    },
  ];
  if (rows.some((r) => r.best)) {
    layers.push({
      transform: [{ filter: 'datum.best' }],
      mark: { type: 'point', filled: false, size: 420, strokeWidth: 2, color: VERDICT_COLORS.better },
      encoding: { x, y },
    });
  }
  if (kind === 'rate') {
    layers.unshift({
      data: {
        values: [
          { load: 0, rps: 0 },
          { load: maxLoad, rps: maxLoad },
        ],
      },
      mark: { type: 'line', color: '#b6bcc3', strokeDash: [2, 3], strokeWidth: 1 },
      encoding: { x, y },
    });
  }
  return {
    name,
    title,
    caption,
    seriesMarks: sweeps.length * (noSlo ? 1 : 2),
    spec: {
      width: CHART_WIDTH_PX,
      height: CHART_HEIGHT_PX,
      data: { values: rows },
      layer: layers,
    } as TopLevelSpec,
  };
}
