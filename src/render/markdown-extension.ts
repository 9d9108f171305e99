// The markdown sections goodput adds below ferrum's tables (SPEC §6): ITL over covered requests,
// errors by reason, SLO misses by reason, cross-repeat and pooled statistics, warnings; for sweeps
// the environment differences between cells and the knee. Reads the `goodput` extension only.

import type { BenchReport } from '../core/schema/bench-report.js';
import { errorReasons } from '../core/schema/error-reasons.js';
import {
  METRIC_NAMES,
  type PooledMetric,
  type PooledPercentile,
  type RepeatStats,
} from '../core/schema/extension.js';
import { formatRustFixed } from '../core/schema/rust-float.js';
import { cellLabel } from './markdown-format.js';
import { renderPrefixCacheMarkdown } from './prefix-cache-section.js';

const METRIC_LABELS: Record<string, string> = {
  ttft_ms: 'TTFT (ms)',
  tpot_ms: 'TPOT (ms)',
  itl_ms: 'ITL (ms)',
  e2e_ms: 'E2E (ms)',
};
const POOLED_PERCENTILES = ['p50', 'p75', 'p90', 'p95', 'p99'] as const;

/** Escapes text from reports (server names, flags, paths) so it cannot break a table row. */
function cell(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replaceAll('\n', ' ');
}

const num = (x: number | null | undefined): string =>
  x === null || x === undefined ? '–' : formatRustFixed(x, 2);
const percent = (fraction: number): string => `${formatRustFixed(fraction * 100, 1)} %`;

function table(head: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  let s = `| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|\n`;
  for (const row of rows) s += `| ${row.join(' | ')} |\n`;
  return `${s}\n`;
}

/** The goodput sections of one cell (empty string when it has no extension). */
export function renderSingleExtension(report: BenchReport): string {
  const ext = report.goodput;
  if (ext === undefined) return '';
  let s = '## goodput\n\n';
  const facts = [
    ext.run_id === undefined ? undefined : `run \`${ext.run_id}\``,
    ext.tool_version === undefined ? undefined : `goodput ${ext.tool_version}`,
    ext.started_at === undefined ? undefined : `started ${ext.started_at}`,
    ext.seed === undefined ? undefined : `seed ${ext.seed}`,
    ext.comparability === undefined ? undefined : `comparability \`${ext.comparability.hash}\``,
  ].filter((f): f is string => f !== undefined);
  if (facts.length > 0) s += `${facts.join(' · ')}\n\n`;
  s += itlCoverageSection(report);
  s += errorsSection(report);
  s += missesSection(report);
  s += repeatsSection(report);
  s += pooledSection(report);
  s += renderPrefixCacheMarkdown([report]);
  s += warningsSection(ext.warnings ?? []);
  return s;
}

function itlCoverageSection(report: BenchReport): string {
  const coverage = report.goodput?.itl_coverage;
  if (coverage === undefined) return '';
  let s = '### ITL over covered requests\n\n';
  s += `Coverage: ${coverage.eligible_requests} of ${coverage.successful_requests} successful requests (${percent(coverage.fraction)}) streamed one token per event; ITL below is over those requests only.\n\n`;
  if (coverage.itl_ms !== undefined) s += pooledTable([['ITL (ms)', coverage.itl_ms]]);
  return s;
}

function errorsSection(report: BenchReport): string {
  let s = '### Errors by reason\n\n';
  const reasons = errorReasons(report);
  const totalErrored = report.errored_per_run.reduce((a, b) => a + b, 0);
  if (reasons.length === 0 && totalErrored === 0) return `${s}No errors.\n\n`;
  const runs = report.completed_per_run.map((_, i) => `run ${i + 1}`);
  const line = (name: string, counts: readonly number[]) => [
    name,
    ...runs.map((_, i) => String(counts[i] ?? 0)),
    String(counts.reduce((a, b) => a + b, 0)),
  ];
  s += table(
    ['reason', ...runs, 'total'],
    [
      line('**errored requests**', report.errored_per_run),
      ...reasons.map((r) => line(cell(r.reason), r.perRun)),
    ],
  );
  return `${s}A request can carry several reasons, so the reasons need not add up to the errored count.\n\n`;
}

function missesSection(report: BenchReport): string {
  const misses = report.goodput?.goodput_misses;
  if (misses === undefined) return '';
  const share = (n: number) => (misses.successful > 0 ? percent(n / misses.successful) : '–');
  let s = '### Goodput: SLO misses by reason\n\n';
  s += table(
    ['successful requests', 'requests', 'share'],
    [
      ['met the SLO', String(misses.met_slo), share(misses.met_slo)],
      ['missed TTFT', String(misses.ttft), share(misses.ttft)],
      ['missed TPOT', String(misses.tpot), share(misses.tpot)],
      ['missed E2E', String(misses.e2e), share(misses.e2e)],
    ],
  );
  return `${s}Of ${misses.successful} successful requests; one request can miss on several criteria.\n\n`;
}

function repeatCell(stats: RepeatStats | undefined): string {
  if (stats === undefined || stats.mean === null) return '–';
  const ci = stats.ci95_hw === null ? '' : ` ± ${formatRustFixed(stats.ci95_hw, 2)}`;
  return `${formatRustFixed(stats.mean, 2)}${ci} (n=${stats.n})`;
}

function repeatsSection(report: BenchReport): string {
  const repeats = report.goodput?.statistics?.repeats;
  if (repeats === undefined) return '';
  const names = METRIC_NAMES.filter((m) => repeats[m] !== undefined);
  if (names.length === 0) return '';
  let s = '### Across repeats (exact Student-t, repeats without a value excluded)\n\n';
  s += table(
    ['metric', 'p50', 'p75', 'p95', 'p99'],
    names.map((m) => [
      METRIC_LABELS[m] ?? m,
      ...(['p50', 'p75', 'p95', 'p99'] as const).map((p) => repeatCell(repeats[m]?.[p])),
    ]),
  );
  return `${s}n = the number of repeats that contributed a value.\n\n`;
}

function pooledCell(p: PooledPercentile | null | undefined): string {
  if (p === null || p === undefined) return '–';
  return `${num(p.value)} [${num(p.ci95_low)}, ${num(p.ci95_high)}]${p.low_sample ? ' ⚠' : ''}`;
}

function pooledTable(rows: ReadonlyArray<[string, PooledMetric]>): string {
  return table(
    ['metric', 'n', ...POOLED_PERCENTILES],
    rows.map(([label, m]) => [label, String(m.n), ...POOLED_PERCENTILES.map((p) => pooledCell(m[p]))]),
  );
}

function pooledSection(report: BenchReport): string {
  const stats = report.goodput?.statistics;
  if (stats === undefined) return '';
  const rows = METRIC_NAMES.flatMap((m): Array<[string, PooledMetric]> => {
    const metric = stats.pooled[m];
    return metric === undefined ? [] : [[METRIC_LABELS[m] ?? m, metric]];
  });
  if (rows.length === 0) return '';
  let s = '### Pooled percentiles (all requests of all repeats, bootstrap 95 % CI)\n\n';
  s += pooledTable(rows);
  const lowSample = rows.some(([, m]) => POOLED_PERCENTILES.some((p) => m[p]?.low_sample === true));
  s += `Bootstrap: ${stats.bootstrap.resamples} resamples, seed ${stats.bootstrap.seed}.`;
  s += lowSample
    ? ' ⚠ marks a percentile estimated from too few samples to trust (e.g. p99 from fewer than ~100).\n\n'
    : '\n\n';
  return s;
}

function warningsSection(warnings: readonly string[]): string {
  if (warnings.length === 0) return '';
  return `### Warnings\n\n${warnings.map((w) => `- ${w.replaceAll('\n', ' ')}`).join('\n')}\n\n`;
}

/** Unique column labels for a sweep (`c=4`, or `c=4 (2)` when two cells share a label). */
function columnLabels(reports: readonly BenchReport[]): string[] {
  const seen = new Map<string, number>();
  return reports.map((r) => {
    const base = r.goodput?.label ?? cellLabel(r);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return cell(n === 1 ? base : `${base} (${n})`);
  });
}

/** The environment of a cell flattened to named scalar strings, for the differences table. */
function environmentView(r: BenchReport): Map<string, string> {
  const env = r.env;
  const view = new Map<string, string>();
  const put = (k: string, v: unknown) => {
    if (v !== undefined) view.set(k, typeof v === 'string' ? v : JSON.stringify(v));
  };
  put('model', r.model);
  put('backend', r.backend);
  put('commit_sha', env.commit_sha);
  put('hw_id', env.hw_id);
  put('driver', env.driver);
  put('cuda', env.cuda);
  put('runtime', env.rust);
  put('features', env.ferrum_features.join(', '));
  put('gpu_clock_lock_mhz', env.gpu_clock_lock_mhz);
  put('gpu_power_limit_w', env.gpu_power_limit_w);
  put('gpu_persistence_mode', env.gpu_persistence_mode);
  put('gpu_auto_boost', env.gpu_auto_boost);
  for (const [k, v] of Object.entries(env.ferrum_env)) put(`ferrum_env.${k}`, v);
  put('vllm_args', env.vllm_args);
  const server = r.goodput?.server;
  put('server.models', server?.models);
  put('server.version', server?.version);
  put('server.server_header', server?.server_header);
  put('server.server_args', server?.server_args);
  for (const [k, v] of Object.entries(server?.server_env ?? {})) put(`server.server_env.${k}`, v);
  put('env_hash', r.env_hash);
  put('comparability', r.goodput?.comparability?.hash);
  return view;
}

function differencesSection(reports: readonly BenchReport[], labels: readonly string[]): string {
  const views = reports.map(environmentView);
  const fields: string[] = [];
  for (const view of views) for (const k of view.keys()) if (!fields.includes(k)) fields.push(k);
  const differing = fields.filter((f) => new Set(views.map((v) => v.get(f) ?? '')).size > 1);
  let s = '### Environment differences between cells\n\n';
  if (differing.length === 0)
    return `${s}All cells share one environment (\`${reports[0]?.env_hash ?? ''}\`).\n\n`;
  s += table(
    ['field', ...labels],
    differing.map((f) => [cell(f), ...views.map((v) => cell(v.get(f) ?? '(absent)'))]),
  );
  return s;
}

interface KneeMarker {
  readonly index: number;
  readonly note?: string;
}

/**
 * Finds the knee of a sweep in the cells' `goodput.knee`, read loosely (another module computes
 * it): `true` or `{is_knee: true}` marks its own cell; an object may instead locate the knee by
 * `index`, `concurrency`, `request_rate`, `cell_key` or `label`; `note` / `reason` is shown.
 */
export function findKnee(reports: readonly BenchReport[]): KneeMarker | undefined {
  const noteOf = (k: Record<string, unknown>) =>
    typeof k.note === 'string' ? k.note : typeof k.reason === 'string' ? k.reason : undefined;
  for (const [i, r] of reports.entries()) {
    const knee: unknown = r.goodput?.knee;
    if (knee === true) return { index: i };
    if (isRecord(knee) && knee.is_knee === true) return { index: i, note: noteOf(knee) };
  }
  for (const r of reports) {
    const knee: unknown = r.goodput?.knee;
    if (!isRecord(knee)) continue;
    const index = reports.findIndex(
      (c, i) =>
        knee.index === i ||
        (typeof knee.concurrency === 'number' && c.concurrency === knee.concurrency) ||
        (typeof knee.request_rate === 'number' && c.request_rate === knee.request_rate) ||
        (typeof knee.cell_key === 'string' && c.goodput?.cell_key === knee.cell_key) ||
        (typeof knee.label === 'string' && (c.goodput?.label ?? cellLabel(c)) === knee.label),
    );
    if (index >= 0) return { index, note: noteOf(knee) };
  }
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The goodput sections of a sweep. */
export function renderSweepExtension(reports: readonly BenchReport[]): string {
  const labels = columnLabels(reports);
  const knee = findKnee(reports);
  let s = '## goodput\n\n';
  if (knee !== undefined) {
    s += `**Knee: ${labels[knee.index]}**${knee.note === undefined ? '' : ` (${cell(knee.note)})`} — beyond it, more load buys little throughput for much more latency.\n\n`;
  }
  s += '### Cells\n\n';
  s += table(
    ['cell', 'ITL p50 (covered)', 'ITL coverage', 'errored', 'met SLO', 'warnings'],
    reports.map((r, i) => {
      const ext = r.goodput;
      const coverage = ext?.itl_coverage;
      const misses = ext?.goodput_misses;
      const errored = r.errored_per_run.reduce((a, b) => a + b, 0);
      const total = errored + r.completed_per_run.reduce((a, b) => a + b, 0);
      return [
        `${labels[i]}${knee?.index === i ? ' ◀ knee' : ''}`,
        pooledCell(coverage?.itl_ms?.p50),
        coverage === undefined ? '–' : percent(coverage.fraction),
        total > 0 ? `${errored} of ${total}` : '0',
        misses === undefined || misses.successful === 0 ? '–' : percent(misses.met_slo / misses.successful),
        String(ext?.warnings?.length ?? 0),
      ];
    }),
  );
  s += renderPrefixCacheMarkdown(reports);
  s += differencesSection(reports, labels);
  return s;
}
