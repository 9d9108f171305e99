// One row of `npm run bench`: a measured figure, the reference measured in the same run, their
// per-round ratio (medians with min–max), the target and whether it was met; printed as a line
// while the run goes and as a markdown table at the end (the README's "How fast is it").

import { formatSummary, type RoundSummary, summarize } from './round-summary.js';

export interface FigureRow {
  /** 1..6, the figure of SPEC §10 */
  readonly figure: number;
  readonly what: string;
  readonly unit: string;
  readonly value: RoundSummary;
  readonly referenceName: string;
  readonly reference: RoundSummary;
  /** value / reference per round */
  readonly ratio: RoundSummary;
  readonly target: string;
  /** undefined when this row has no target of its own */
  readonly met: boolean | undefined;
  /** decimals for value and reference */
  readonly digits?: number;
}

/** Builds a row from paired per-round values (value[i] and reference[i] measured in round i). */
export function pairedRow(
  base: Omit<FigureRow, 'value' | 'reference' | 'ratio' | 'met'>,
  values: readonly number[],
  references: readonly number[],
  met: (value: RoundSummary, reference: RoundSummary, ratio: RoundSummary) => boolean | undefined,
): FigureRow {
  const value = summarize(values);
  const reference = summarize(references);
  const ratio = summarize(values.map((v, i) => v / (references[i] as number)));
  return { ...base, value, reference, ratio, met: met(value, reference, ratio) };
}

function verdict(met: boolean | undefined): string {
  return met === undefined ? '–' : met ? 'yes' : 'NO';
}

/** One console line per row. */
export function formatRowLine(row: FigureRow): string {
  const d = row.digits ?? 0;
  return (
    `(${row.figure}) ${row.what}: ${formatSummary(row.value, d)} ${row.unit} · ${row.referenceName} ` +
    `${formatSummary(row.reference, d)} · ratio ${formatSummary(row.ratio, 2)} · target ${row.target} → ${verdict(row.met)}`
  );
}

/** The rows as a markdown table (medians, with min–max over the rounds). */
export function formatMarkdownTable(rows: readonly FigureRow[]): string {
  const lines = [
    '| # | figure | goodput | reference | ratio | target | met |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const d = row.digits ?? 0;
    const cells = [
      String(row.figure),
      `${row.what} (${row.unit})`,
      formatSummary(row.value, d),
      `${row.referenceName}: ${formatSummary(row.reference, d)}`,
      formatSummary(row.ratio, 2),
      row.target,
      verdict(row.met),
    ];
    // a | inside a cell (|ITL error|) would end it
    lines.push(`| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}
