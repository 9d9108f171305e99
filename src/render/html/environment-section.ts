// Environment and comparability of the cells on a page: the facts every cell shares in one table,
// the facts that differ in another with a column per cell, and a warning when cells differ in
// what makes them comparable (hardware, driver, server identity, workload, comparability key).

import { comparabilityKey } from '../../core/env/comparability.js';
import type { BenchReport } from '../../core/schema/bench-report.js';
import type { CellView } from '../charts/cell-view.js';
import { escapeHtml } from '../escape-html.js';
import { cellName } from './summary-tables.js';

/** Flattens a value into `prefix.key` → text entries (arrays of scalars joined with ", "). */
function flattenInto(out: Map<string, string>, prefix: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    if (value.every((x) => x === null || typeof x !== 'object'))
      out.set(prefix, value.map(String).join(', '));
    else for (const [i, x] of value.entries()) flattenInto(out, `${prefix}[${i}]`, x);
    return;
  }
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      flattenInto(out, `${prefix}.${k}`, v);
    return;
  }
  out.set(prefix, String(value));
}

/** Every environment fact of a cell as `path` → text, in a stable order. */
export function environmentFacts(report: BenchReport): Map<string, string> {
  const out = new Map<string, string>();
  out.set('backend', report.backend);
  out.set('model', report.model);
  out.set('input / output tokens requested', `${report.n_prompt} / ${report.n_gen}`);
  const { runtime_config, ...env } = report.env;
  flattenInto(out, 'env', env);
  for (const e of runtime_config?.entries ?? [])
    out.set(`env.runtime_config.${e.key}`, `${e.effective_value} (${e.source})`);
  out.set('env_hash', report.env_hash);
  const g = report.goodput;
  if (g) {
    flattenInto(out, 'server', g.server);
    if (g.comparability?.hash) out.set('comparability_hash', g.comparability.hash);
    if (g.dataset) flattenInto(out, 'dataset', g.dataset);
    if (g.seed !== undefined) out.set('seed', String(g.seed));
    if (g.tool_version) out.set('tool_version', g.tool_version);
    if (g.tokens?.tokenizer) out.set('tokenizer', g.tokens.tokenizer);
    if (g.client) out.set('client_limited', String(g.client.client_limited));
  }
  return out;
}

/** Comparability-key fields a sweep varies on purpose: never a warning between cells of one page. */
const LOAD_FIELDS = /^(scenario|concurrency|request_rate|load)(\.|$)/;

export interface EnvironmentDiff {
  common: [string, string][];
  differing: { path: string; values: (string | undefined)[] }[];
  /** comparability-key fields (core/env) on which the cells differ, beyond the load they vary */
  comparability: { field: string; values: (string | undefined)[] }[];
}

function keyFacts(report: BenchReport): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(comparabilityKey(report))) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flattenInto(out, k, v);
    else out.set(k, JSON.stringify(v));
  }
  return out;
}

function splitByAgreement(facts: readonly Map<string, string>[]) {
  const paths: string[] = [];
  const seen = new Set<string>();
  for (const f of facts) {
    for (const k of f.keys()) {
      if (seen.has(k)) continue;
      seen.add(k);
      paths.push(k);
    }
  }
  const same: [string, string][] = [];
  const differ: { path: string; values: (string | undefined)[] }[] = [];
  for (const path of paths) {
    const values = facts.map((f) => f.get(path));
    const first = values[0];
    if (first !== undefined && values.every((x) => x === first)) same.push([path, first]);
    else differ.push({ path, values });
  }
  return { same, differ };
}

export function environmentDiff(views: readonly CellView[]): EnvironmentDiff {
  const { same, differ } = splitByAgreement(views.map((v) => environmentFacts(v.report)));
  const keys = splitByAgreement(views.map((v) => keyFacts(v.report)));
  return {
    common: same,
    differing: differ,
    comparability: keys.differ
      .filter((d) => !LOAD_FIELDS.test(d.path))
      .map((d) => ({ field: d.path, values: d.values })),
  };
}

/** A fact value as HTML: long hashes shortened to 12 hex digits, the full value in the tooltip. */
function factValue(value: string): string {
  const hash = /^(sha256:)([0-9a-f]{64})$/.exec(value);
  if (hash)
    return `<span class="mono" title="${escapeHtml(value)}">${escapeHtml(`${hash[1]}${hash[2]?.slice(0, 12)}…`)}</span>`;
  return escapeHtml(value);
}

export function environmentSection(views: readonly CellView[]): string {
  if (views.length === 0) return '';
  const { common, differing, comparability } = environmentDiff(views);
  const commonRows = common
    .map(
      ([k, v]) => `<tr><td class="fact mono">${escapeHtml(k)}</td><td class="text">${factValue(v)}</td></tr>`,
    )
    .join('');
  const parts: string[] = [];
  if (comparability.length > 0) {
    const fields = comparability.map((c) => c.field);
    parts.push(
      `<div class="note bad">The cells differ in ${fields.length} field${fields.length === 1 ? '' : 's'} of the comparability key (${escapeHtml(
        fields.slice(0, 8).join(', '),
      )}${fields.length > 8 ? ', …' : ''}): differences between them may come from the setup, not only from the load.</div>`,
    );
  }
  if (differing.length > 0 && views.length > 1) {
    const head = views.map((v) => `<th class="text">${cellName(v)}</th>`).join('');
    const rows = differing
      .map(
        (d) =>
          `<tr><td class="fact mono">${escapeHtml(d.path)}</td>${d.values
            .map((x) =>
              x === undefined
                ? '<td class="text na">—</td>'
                : `<td class="text differs">${factValue(x)}</td>`,
            )
            .join('')}</tr>`,
      )
      .join('');
    parts.push(
      `<h3>Differences between cells</h3><div class="table-wrap diff"><table><thead><tr><th class="text">fact</th>${head}</tr></thead><tbody>${rows}</tbody></table></div>`,
    );
  } else if (views.length > 1) {
    parts.push('<p class="lede">Every cell ran in the same recorded environment.</p>');
  }
  parts.push(
    `<h3>${views.length > 1 ? 'Shared by every cell' : 'Environment'}</h3><div class="table-wrap"><table class="kv"><tbody>${commonRows}</tbody></table></div>`,
  );
  return parts.join('\n');
}
