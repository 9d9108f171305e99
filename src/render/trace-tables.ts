// The tables and number formats every trace view prints (breakdown, iterations, comparison):
// aligned plain-text tables, escaped HTML tables, and times given in µs shown as ms.

import { escapeHtml } from './escape-html.js';

/** µs shown as ms with 3 decimals (1 µs resolution, as the trace records it). */
export function formatUsAsMs(us: number): string {
  return (us / 1000).toFixed(3);
}

/** A fraction 0..1 as a percentage with one decimal: `12.5 %`. */
export function formatShare(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}

/** A ratio with 3 decimals, or `n/a` when it is undefined (the baseline was 0). */
export function formatRatio(ratio: number | null): string {
  return ratio === null ? 'n/a' : ratio.toFixed(3);
}

function pad(cells: readonly string[], widths: readonly number[], leftColumns: number): string {
  return cells
    .map((c, i) => (i < leftColumns ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
    .join('  ')
    .trimEnd();
}

/**
 * An aligned plain-text table: the first `leftColumns` columns (labels) left-aligned, the others
 * (numbers) right-aligned.
 */
export function textTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  leftColumns = 1,
): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [pad(head, widths, leftColumns), ...rows.map((r) => pad(r, widths, leftColumns))].join('\n');
}

/** An HTML table of plain-text cells (escaped here); columns after the first are numeric. */
export function htmlTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const th = head.map((h, i) => `<th${i > 0 ? ' class="num"' : ''}>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => `<td${i > 0 ? ' class="num"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}
