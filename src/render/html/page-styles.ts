// The inline stylesheet of every goodput HTML page (report, comparison, history): one light theme,
// the system font stack, tabular numbers, cards for charts and tables that scroll sideways.

import { FONT_STACK, VERDICT_COLORS } from '../charts/theme.js';

export const PAGE_CSS = `
:root { --ink:#1f2328; --muted:#59636e; --line:#d1d9e0; --soft:#f6f8fa; --accent:#4269d0;
  --better:${VERDICT_COLORS.better}; --worse:${VERDICT_COLORS.worse}; --same:${VERDICT_COLORS.same}; --unknown:${VERDICT_COLORS.unknown}; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--soft); color: var(--ink); font: 14px/1.5 ${FONT_STACK}; }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12px; }
.page-head { background: #fff; border-bottom: 1px solid var(--line); }
.page-head .inner, main, .page-foot { max-width: 1240px; margin: 0 auto; padding: 0 24px; }
.page-head .inner { padding-top: 20px; padding-bottom: 16px; }
.brand { font-size: 12px; font-weight: 700; letter-spacing: .08em; text-transform: uppercase; color: var(--accent); }
h1 { font-size: 24px; line-height: 1.25; margin: 4px 0 6px; overflow-wrap: anywhere; }
.facts { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 0; padding: 0; list-style: none; color: var(--muted); font-size: 13px; }
.facts b { color: var(--ink); font-weight: 600; }
nav.toc { display: flex; flex-wrap: wrap; gap: 6px; margin: 14px 0 0; }
nav.toc a { font-size: 12px; padding: 3px 10px; border: 1px solid var(--line); border-radius: 999px; color: var(--ink); background: var(--soft); }
main { padding-top: 8px; padding-bottom: 32px; }
section { margin-top: 28px; }
h2 { font-size: 18px; margin: 0 0 4px; }
h3 { font-size: 14px; margin: 0; }
.lede { color: var(--muted); margin: 0 0 12px; max-width: 900px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px; }
figure.chart { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px 10px; min-width: 0; }
figure.chart figcaption p { color: var(--muted); font-size: 12.5px; margin: 2px 0 8px; }
figure.chart .svg-wrap { overflow-x: auto; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figure.chart svg text { font-family: ${FONT_STACK}; }
figure.chart.wide { grid-column: 1 / -1; }
figure.chart.unavailable .missing { margin: 8px 0 4px; padding: 18px; border: 1px dashed var(--line); border-radius: 6px; color: var(--muted); background: var(--soft); font-size: 13px; }
.notes { display: grid; gap: 8px; }
.note { border-left: 4px solid var(--unknown); background: #fff8e1; padding: 8px 12px; border-radius: 4px; font-size: 13px; }
.note ul { margin: 6px 0 2px; padding-left: 20px; }
.note summary { color: inherit; font-weight: 600; }
.note.info { border-left-color: var(--accent); background: #eef3ff; }
.note.bad { border-left-color: var(--worse); background: #fff0f0; }
.table-wrap { overflow-x: auto; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 6px 10px; border-bottom: 1px solid #eaeef2; text-align: right; white-space: nowrap; vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; background: var(--soft); }
thead tr:first-child th { border-bottom: 0; }
th.group { text-align: center; color: var(--ink); border-left: 1px solid var(--line); }
td.gs, th.gs { border-left: 1px solid var(--line); }
th:first-child, td:first-child, td.text, th.text { text-align: left; }
td.text { white-space: normal; overflow-wrap: anywhere; max-width: 520px; }
td.fact { text-align: left; white-space: nowrap; color: var(--muted); }
table.kv td.fact { width: 30%; }
section h3 { margin: 16px 0 6px; }
figure.chart h3 { margin: 0; }
.spacer { height: 12px; }
tbody tr:last-child td { border-bottom: 0; }
tbody tr:hover td { background: #fafbfc; }
.ci { display: block; color: var(--muted); font-size: 11px; line-height: 1.2; }
.na { color: var(--muted); }
.chip { display: inline-block; width: 10px; height: 10px; border-radius: 3px; margin-right: 7px; vertical-align: baseline; }
.cell-name { font-weight: 600; white-space: nowrap; }
.warn-mark { color: var(--unknown); font-weight: 700; cursor: help; }
.bar { display: inline-block; width: 90px; height: 8px; border-radius: 4px; background: #eaeef2; margin-right: 8px; vertical-align: middle; overflow: hidden; }
.bar > span { display: block; height: 100%; background: var(--better); }
.verdict { display: inline-block; min-width: 7em; text-align: center; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; }
.verdict.better { background: #dafbe1; color: var(--better); }
.verdict.worse { background: #ffebe9; color: var(--worse); }
.verdict.same { background: #eef0f2; color: #57606a; }
.verdict.unknown { color: #7d4e00; background: repeating-linear-gradient(135deg, #fff8c5 0 6px, #fdf0b0 6px 12px); }
tr.row-worse td { background: #fff8f8; }
tr.row-better td { background: #f6fff8; }
.grid.history { grid-template-columns: repeat(auto-fit, minmax(400px, 1fr)); }
tr.row-better td.ratio { color: var(--better); font-weight: 600; }
tr.row-worse td.ratio { color: var(--worse); font-weight: 600; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 16px; font-size: 12px; color: var(--muted); margin: 6px 0 10px; }
details { margin-top: 10px; } summary { cursor: pointer; color: var(--accent); font-size: 13px; }
.diff td.differs { background: #fff8c5; }
.page-foot { color: var(--muted); font-size: 12px; padding-bottom: 28px; }
@media print { body { background: #fff; } .card, figure.chart, .table-wrap { break-inside: avoid; } nav.toc { display: none; } }
`;
