// Renders a Comparison (core/compare/comparison.ts) and a parity table as markdown, and the
// comparison as a JSON document for machines (`compare --format json`). Returns strings only.

import type { CellComparison, Comparison, MetricComparison } from '../core/compare/comparison.js';
import type { GateResult } from '../core/compare/gate.js';
import type { MetricSample } from '../core/compare/metric-sample.js';
import type { ParityRow, ParityTable } from '../core/compare/parity.js';

/** Escapes text for a markdown table cell. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A comparability-key value for display: `absent` for a missing map entry, JSON otherwise. */
function keyValue(v: unknown): string {
  return v === undefined ? 'absent' : cell(typeof v === 'string' ? v : JSON.stringify(v));
}

function fmt(x: number, digits = 2): string {
  return x.toFixed(digits);
}

/** `mean ± ci (n=N)` as ferrum prints it (2 decimals), `—` when unavailable. */
function formatSample(s: MetricSample): string {
  if (s.mean === null) return '—';
  const ci = s.ci95Hw > 0 ? ` ± ${fmt(s.ci95Hw)}` : '';
  return `${fmt(s.mean)}${ci}`;
}

function formatPValue(p: number): string {
  if (p < 0.001) return '<0.001';
  return p.toPrecision(2);
}

const VERDICT_TEXT: Record<MetricComparison['verdict'], string> = {
  better: '**better**',
  worse: '**worse**',
  no_significant_change: 'no significant change',
  not_assessable: 'not assessable',
};

function overlapText(m: MetricComparison): string {
  if (m.overlap === 'n/a') return '—';
  // ferrum's rule with n < 3: zero-width intervals, so any difference "differs" (ferrum-behaviour §3.5.3)
  const void_ = m.a.n < 3 || m.b.n < 3;
  if (m.overlap === 'differ') return void_ ? '✓ (void: n<3)' : '✓ differ';
  return 'overlap';
}

function metricRow(m: MetricComparison): string {
  const ratio = m.ratio === null ? '—' : fmt(m.ratio, 3);
  const ci = m.welch?.ratioCi95 ? `${fmt(m.welch.ratioCi95[0], 3)} – ${fmt(m.welch.ratioCi95[1], 3)}` : '—';
  const p = m.welch ? formatPValue(m.welch.pValue) : '—';
  const verdict =
    m.verdict === 'not_assessable' && m.reason ? `not assessable: ${m.reason}` : VERDICT_TEXT[m.verdict];
  return `| ${m.label} (${m.unit}) | ${formatSample(m.a)} | ${formatSample(m.b)} | ${ratio} | ${ci} | ${p} | ${overlapText(m)} | ${cell(verdict)} |`;
}

function renderCell(c: CellComparison, labelA: string, labelB: string): string {
  const lines: string[] = [`## ${cell(c.label)}`, ''];
  const engine = (e: string | null) => (e === null ? '' : `, engine ${e}`);
  const side = (name: string, label: string, source: string) =>
    label === source ? `${name}: ${cell(source)}` : `${name} (${cell(label)}): ${cell(source)}`;
  lines.push(`- ${side('A', labelA, c.sourceA)}, n_repeats ${c.nRepeatsA}${cell(engine(c.engineA))}`);
  lines.push(`- ${side('B', labelB, c.sourceB)}, n_repeats ${c.nRepeatsB}${cell(engine(c.engineB))}`);
  lines.push('');
  lines.push('| metric | A | B | ratio B/A | 95% CI of ratio | p (Welch) | CI overlap (seed) | verdict |');
  lines.push('|---|---|---|---|---|---|---|---|');
  for (const m of c.metrics) lines.push(metricRow(m));
  lines.push('');
  if (c.comparability.length > 0) {
    lines.push('Comparability differences (the cells may not be comparable):', '');
    for (const d of c.comparability)
      lines.push(`- \`${cell(d.field)}\`: ${keyValue(d.a)} → ${keyValue(d.b)}`);
    lines.push('');
  }
  if (c.warnings.length > 0) {
    for (const w of c.warnings) lines.push(`> ⚠ ${cell(w)}`);
    lines.push('');
  }
  return lines.join('\n');
}

function parityValue(v: ParityRow['a']): string {
  return v === null ? '?' : `${cell(v.value)} (${cell(v.from)})`;
}

const PARITY_MARK: Record<ParityRow['status'], string> = {
  equal: '✓ equal',
  different: '⚠ different',
  unknown: '? unknown',
};

/** The configuration-parity block (SPEC §7.3): one row per knob, then other differing settings. */
export function renderParityMarkdown(p: ParityTable, heading = '# Configuration parity'): string {
  const lines = [
    heading,
    '',
    `| knob | ${cell(p.labelA)} | ${cell(p.labelB)} | parity |`,
    '|---|---|---|---|',
  ];
  for (const r of p.rows)
    lines.push(`| ${r.label} | ${parityValue(r.a)} | ${parityValue(r.b)} | ${PARITY_MARK[r.status]} |`);
  lines.push('');
  const counts = { equal: 0, different: 0, unknown: 0 };
  for (const r of p.rows) counts[r.status]++;
  lines.push(
    `${counts.equal} equal · ${counts.different} different · ${counts.unknown} unknown (not recorded on one side or both)`,
    '',
  );
  if (p.otherDifferences.length > 0) {
    lines.push(
      'Other server settings that differ:',
      '',
      `| setting | ${cell(p.labelA)} | ${cell(p.labelB)} |`,
      '|---|---|---|',
    );
    for (const r of p.otherDifferences) {
      lines.push(
        `| \`${cell(r.label)}\` | ${r.a === null ? 'unset' : cell(r.a.value)} | ${r.b === null ? 'unset' : cell(r.b.value)} |`,
      );
    }
    lines.push('');
  }
  for (const w of p.warnings) lines.push(`> ⚠ ${cell(w)}`);
  if (p.warnings.length > 0) lines.push('');
  if (counts.different > 0 || counts.unknown > 0) {
    lines.push('Confirm the ⚠ and ? rows before trusting any ratio between these runs.', '');
  }
  return lines.join('\n');
}

/** The gate's outcome as markdown lines. */
function renderGateMarkdown(g: GateResult): string {
  const lines = ['## Regression gate', ''];
  lines.push(
    `Threshold ${g.thresholdPct}% on ${g.metrics.join(', ')}: **${g.failed ? 'FAILED' : 'passed'}** ` +
      `(${g.failures.length} significant regression${g.failures.length === 1 ? '' : 's'} beyond the threshold).`,
    '',
  );
  for (const f of g.failures) {
    lines.push(
      `- ✗ ${cell(f.cell)} — ${f.metric}: ${fmt(f.regressionPct, 1)}% worse (p ${formatPValue(f.pValue ?? 1)})`,
    );
  }
  if (g.ignored.length > 0) {
    lines.push('', 'Beyond the threshold but not significant (never fails the gate):', '');
    for (const f of g.ignored) {
      const p = f.pValue === null ? 'not assessable' : `p ${formatPValue(f.pValue)}`;
      lines.push(`- ${cell(f.cell)} — ${f.metric}: ${fmt(f.regressionPct, 1)}% worse (${p})`);
    }
  }
  lines.push('');
  return lines.join('\n');
}

/** Whether the parity block goes above the comparison: across engines, or when a knob differs. */
function showParity(c: Comparison): boolean {
  return c.crossEngine || c.parity.rows.some((r) => r.status === 'different');
}

export function renderComparisonMarkdown(c: Comparison, gate?: GateResult): string {
  const out: string[] = [`# goodput compare — ${cell(c.labelA)} → ${cell(c.labelB)}`, ''];
  const tests = c.cells.reduce((n, x) => n + x.metrics.filter((m) => m.welch !== null).length, 0);
  out.push(
    `B against A; ratio = B/A. Verdicts: Welch's t-test at α = ${c.alpha} on each side's per-repeat summary ` +
      '(mean, sample stddev, n repeats), direction-aware (lower latency and higher throughput are better). ' +
      '"CI overlap" is ferrum\'s rule (|A − B| > ci_A + ci_B), shown for compatibility. ' +
      'Fewer than 3 repeats on either side is not assessable, never significant.',
    '',
  );
  const v = c.verdicts;
  out.push(
    `${c.cells.length} cell${c.cells.length === 1 ? '' : 's'} joined · better ${v.better} · worse ${v.worse} · ` +
      `no significant change ${v.no_significant_change} · not assessable ${v.not_assessable}` +
      (tests > 0
        ? ` · ${tests} tests: about ${fmt(tests * c.alpha, 1)} "significant" results are expected by chance alone`
        : ''),
    '',
  );
  if (gate !== undefined) out.push(renderGateMarkdown(gate));
  for (const w of c.warnings) out.push(`> ⚠ ${cell(w)}`, '');
  if (showParity(c)) out.push(renderParityMarkdown(c.parity, '## Configuration parity'));
  for (const x of c.cells) out.push(renderCell(x, c.labelA, c.labelB));
  if (c.onlyA.length > 0 || c.onlyB.length > 0) {
    out.push(
      '## Not joined',
      '',
      'These cells have no partner with the same key (model without tag, scenario, load, lengths, dataset):',
      '',
    );
    for (const u of c.onlyA) out.push(`- only in A: ${cell(u.label)} (${cell(u.source)})`);
    for (const u of c.onlyB) out.push(`- only in B: ${cell(u.label)} (${cell(u.source)})`);
    out.push('');
  }
  return out.join('\n');
}

/** The comparison (and gate) as one JSON document; `null` stands for unavailable numbers. */
export function renderComparisonJson(c: Comparison, gate?: GateResult): string {
  const doc = { kind: 'goodput.comparison', version: 1, ...c, ...(gate === undefined ? {} : { gate }) };
  return `${JSON.stringify(doc, (_k, value) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`;
}
