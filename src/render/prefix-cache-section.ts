// The prefix-cache results of shared-prefix cells as text: per cell the working set, the hit
// ratio (usage and /metrics) and the miss vs warm TTFT, and the capacity cliff of a prefix sweep
// (`goodput.shared_prefix.cliff`). A markdown section and the console lines; strings only.

import type { BenchReport } from '../core/schema/bench-report.js';
import { formatRustFixed } from '../core/schema/rust-float.js';

interface CliffPoint {
  groups?: number;
  working_set_tokens: number;
  hit_ratio: number;
}

interface Cliff {
  found: boolean;
  reason?: string;
  last_good?: CliffPoint;
  first_bad?: CliffPoint;
  estimated_capacity_tokens?: number;
  hit_ratio_source?: string;
}

const pct = (x: unknown): string => (typeof x === 'number' ? `${formatRustFixed(x * 100, 1)} %` : '–');
const ms = (x: unknown): string => (typeof x === 'number' ? formatRustFixed(x, 2) : '–');

function prefixOf(r: BenchReport): Record<string, unknown> | undefined {
  return r.goodput?.shared_prefix;
}

function ratioOf(sp: Record<string, unknown>, key: 'hit_ratio_usage' | 'hit_ratio_metrics'): unknown {
  return (sp[key] as { ratio?: unknown } | undefined)?.ratio;
}

function splitOf(sp: Record<string, unknown>): { first?: number; rest?: number } {
  const split = sp.ttft_split as { first?: { p50Ms?: number }; rest?: { p50Ms?: number } } | undefined;
  return {
    ...(split?.first?.p50Ms === undefined ? {} : { first: split.first.p50Ms }),
    ...(split?.rest?.p50Ms === undefined ? {} : { rest: split.rest.p50Ms }),
  };
}

/** The cliff sentence, or undefined when no cell carries one. */
export function cliffText(reports: readonly BenchReport[]): string | undefined {
  const cliff = reports.map((r) => prefixOf(r)?.cliff as Cliff | undefined).find((c) => c !== undefined);
  if (cliff === undefined) return undefined;
  if (!cliff.found || cliff.last_good === undefined || cliff.first_bad === undefined)
    return `prefix-cache capacity cliff: none found (${cliff.reason ?? 'no drop'})`;
  const g = cliff.last_good;
  const b = cliff.first_bad;
  return (
    `prefix-cache capacity cliff between ${g.working_set_tokens} tokens (${g.groups} groups, hit ${pct(g.hit_ratio)}) ` +
    `and ${b.working_set_tokens} tokens (${b.groups} groups, hit ${pct(b.hit_ratio)}); ` +
    `estimated capacity ≈ ${Math.round(cliff.estimated_capacity_tokens ?? 0)} tokens (hit ratio from ${cliff.hit_ratio_source ?? 'usage'})`
  );
}

/** The markdown section of the shared-prefix cells ('' when there is none). */
export function renderPrefixCacheMarkdown(reports: readonly BenchReport[]): string {
  const cells = reports.filter((r) => prefixOf(r) !== undefined);
  if (cells.length === 0) return '';
  let s = '### Prefix cache\n\n';
  const cliff = cliffText(cells);
  if (cliff !== undefined) s += `**${cliff.replace(/^prefix-cache capacity cliff/, 'Capacity cliff')}**\n\n`;
  s +=
    '| groups | working set (tokens) | hit ratio (usage) | hit ratio (/metrics) | TTFT p50 first (ms) | TTFT p50 warm (ms) |\n';
  s += '|---|---|---|---|---|---|\n';
  for (const r of cells) {
    const sp = prefixOf(r) as Record<string, unknown>;
    const groups = Number(sp.groups);
    const ws =
      typeof sp.working_set_tokens === 'number' ? sp.working_set_tokens : groups * Number(sp.prefix_tokens);
    const split = splitOf(sp);
    const bad = (sp.cliff as { is_first_bad?: boolean } | undefined)?.is_first_bad === true;
    s += `| ${groups}${bad ? ' ◀ cliff' : ''} | ${ws} | ${pct(ratioOf(sp, 'hit_ratio_usage'))} | ${pct(ratioOf(sp, 'hit_ratio_metrics'))} | ${ms(split.first)} | ${ms(split.rest)} |\n`;
  }
  return `${s}\n`;
}

/** Console lines: one per shared-prefix cell of a sweep, then the cliff ('' for no such cells). */
export function renderPrefixCacheConsole(reports: readonly BenchReport[]): string {
  const cells = reports.filter((r) => prefixOf(r) !== undefined);
  const cliff = cliffText(cells);
  if (cliff === undefined) return '';
  let s = '';
  for (const r of cells) {
    const sp = prefixOf(r) as Record<string, unknown>;
    const split = splitOf(sp);
    s += `  groups=${String(sp.groups)} working set ${String(sp.working_set_tokens)} tokens: hit ${pct(ratioOf(sp, 'hit_ratio_usage'))} (usage), ${pct(ratioOf(sp, 'hit_ratio_metrics'))} (/metrics); TTFT p50 first ${ms(split.first)} ms, warm ${ms(split.rest)} ms\n`;
  }
  return `${s}${cliff}\n`;
}
