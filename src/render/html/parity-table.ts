// The configuration-parity table of a comparison (SPEC §7.3) as HTML: each knob's value on both
// sides with where it was read, marked equal / different / unknown, then other differing flags.

import type { ParityRow, ParityTable } from '../../core/compare/parity.js';
import { escapeHtml } from '../escape-html.js';

const STATUS_CLASS = { equal: 'better', different: 'worse', unknown: 'unknown' } as const;

function value(v: ParityRow['a']): string {
  if (v === null) return '<span class="na">not recorded</span>';
  return `${escapeHtml(v.value)} <span class="na">(${escapeHtml(v.from)})</span>`;
}

function rows(list: readonly ParityRow[]): string {
  return list
    .map(
      (r) =>
        `<tr><td class="text">${escapeHtml(r.label)}</td><td class="text">${value(r.a)}</td><td class="text">${value(r.b)}</td><td><span class="verdict ${STATUS_CLASS[r.status]}">${escapeHtml(r.status)}</span></td></tr>`,
    )
    .join('');
}

export function parityTableHtml(table: ParityTable): string {
  const counts = { equal: 0, different: 0, unknown: 0 };
  for (const r of table.rows) counts[r.status]++;
  const head = `<thead><tr><th class="text">setting</th><th class="text">${escapeHtml(table.labelA)}</th><th class="text">${escapeHtml(table.labelB)}</th><th>parity</th></tr></thead>`;
  const warnings = table.warnings.map((w) => `<div class="note">${escapeHtml(w)}</div>`).join('');
  const other =
    table.otherDifferences.length > 0
      ? `<details><summary>${table.otherDifferences.length} other server flag${table.otherDifferences.length === 1 ? '' : 's'} or variable${table.otherDifferences.length === 1 ? '' : 's'} differ</summary><div class="table-wrap"><table>${head}<tbody>${rows(table.otherDifferences)}</tbody></table></div></details>`
      : '';
  const checklist = `<div class="table-wrap"><table class="parity">${head}<tbody>${rows(table.rows)}</tbody></table></div>`;
  if (counts.unknown === table.rows.length) {
    // nothing recorded on either side: say so in one line and keep the checklist one click away
    return `<div class="note">Neither run recorded these ${table.rows.length} settings (server flags or environment), so parity is unknown: record them with bench-serve --server-args / --server-env.</div>${warnings}<details><summary>The checklist</summary>${checklist}</details>${other}`;
  }
  return `<p class="lede">${counts.equal} equal · ${counts.different} different · ${counts.unknown} unknown (not recorded by at least one side).</p>${warnings}${checklist}${other}`;
}
