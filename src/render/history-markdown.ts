// The history as markdown (`goodput report --history --format md`): per cell key, one table row per
// run in commit or time order and one column per metric (mean ± 95 % CI), each significant step
// against the previous run marked in its cell and listed below with its p-value. Same data and
// same Welch rule as the HTML page (render/charts/history-series.ts).

import { type HistoryOptions, type HistoryPoint, historySeries } from './charts/history-series.js';

export interface HistoryMarkdownOptions extends HistoryOptions {
  title?: string;
  /** a label per run id (the ledger run's label), shown beside it */
  runLabels?: ReadonlyMap<string, string>;
}

/** Escapes text for a markdown table cell. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function value(p: HistoryPoint): string {
  return p.ci95_hw > 0 ? `${p.mean.toFixed(2)} ± ${p.ci95_hw.toFixed(2)}` : p.mean.toFixed(2);
}

function pText(p: number): string {
  return p < 0.001 ? '<0.001' : p.toPrecision(2);
}

/** The runs in the charts' order: one point per run through historySeries, the one place that orders runs. */
function orderedRuns(points: readonly HistoryPoint[], options: HistoryOptions) {
  const first = new Map<string, HistoryPoint>();
  for (const p of points) if (!first.has(p.runId)) first.set(p.runId, { ...p, cellKey: '', metric: 'run' });
  const [runs] = historySeries([...first.values()], { ...options, alpha: options.alpha ?? 0.05 });
  return (runs?.steps ?? []).map((s) => ({ runId: s.point.runId, point: s.point }));
}

export function renderHistoryMarkdown(
  points: readonly HistoryPoint[],
  options: HistoryMarkdownOptions = {},
): string {
  const alpha = options.alpha ?? 0.05;
  const series = historySeries(points, options);
  const runs = orderedRuns(points, options);
  const cellKeys = [...new Set(series.map((s) => s.cellKey))];
  const stepCount = series.reduce((n, s) => n + s.steps.filter((st) => st.change).length, 0);
  const order = options.order === 'given' ? 'commit order' : 'run start time';
  const lines: string[] = [
    `# ${cell(options.title ?? 'Benchmark history')}`,
    '',
    `${runs.length} run${runs.length === 1 ? '' : 's'} · ${cellKeys.length} cell key${cellKeys.length === 1 ? '' : 's'} · order: ${order} · ${stepCount} significant step${stepCount === 1 ? '' : 's'}`,
    '',
    `Each run against the one before it, per cell key and metric: Welch's t-test at α = ${alpha} on the per-repeat summaries; fewer than 3 repeats on either side is never significant. Values are mean ± 95 % CI.`,
    '',
  ];
  for (const key of cellKeys) {
    const own = series.filter((s) => s.cellKey === key);
    const rows = runs.filter((r) => own.some((s) => s.steps.some((st) => st.point.runId === r.runId)));
    lines.push(`## ${cell(key)}`, '');
    const head = own.map((s) => cell(s.unit ? `${s.metricLabel} (${s.unit})` : s.metricLabel));
    lines.push(`| run | commit | label | started | ${head.join(' | ')} |`);
    lines.push(`|---|---|---|---|${own.map(() => '---:|').join('')}`);
    for (const r of rows) {
      const values = own.map((s) => {
        const step = s.steps.find((st) => st.point.runId === r.runId);
        if (step === undefined) return '—';
        return step.change ? `${value(step.point)} **${step.change.verdict}**` : value(step.point);
      });
      const label = options.runLabels?.get(r.runId) ?? '';
      const started = r.point.startedAt.slice(0, 16).replace('T', ' ');
      lines.push(
        `| ${cell(r.runId)} | ${cell(r.point.commit ?? '')} | ${cell(label)} | ${cell(started)} | ${values.join(' | ')} |`,
      );
    }
    lines.push('');
    const steps = own.flatMap((s) => s.steps.filter((st) => st.change).map((st) => ({ s, st })));
    if (steps.length === 0) {
      lines.push('No significant step between consecutive runs.', '');
      continue;
    }
    lines.push('Significant steps:', '');
    for (const { s, st } of steps) {
      const c = st.change!;
      const from = c.previous.commit ? `${c.previous.runId} (${c.previous.commit})` : c.previous.runId;
      const to = st.point.commit ? `${st.point.runId} (${st.point.commit})` : st.point.runId;
      const pct = c.changePct === null ? '' : ` (${c.changePct > 0 ? '+' : ''}${c.changePct.toFixed(1)} %)`;
      lines.push(
        `- ${cell(s.metricLabel)}: ${cell(from)} → ${cell(to)}: ${c.previous.mean.toFixed(2)} → ${st.point.mean.toFixed(2)}${s.unit ? ` ${s.unit}` : ''}${pct}, p = ${pText(c.pValue)}, **${c.verdict}**`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
