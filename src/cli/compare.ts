// `goodput compare A B`: statistical comparison of two sets of cells (SPEC §7.1) from files,
// result directories or ledger selectors, as markdown or JSON, with an optional CI gate
// (`--fail-on-regression PCT`) that exits 1 only on a significant regression beyond PCT.

import { resolve } from 'node:path';
import { Option } from '@commander-js/extra-typings';
import { type Comparison, compareRuns } from '../core/compare/comparison.js';
import { evaluateGate, type GateResult } from '../core/compare/gate.js';
import { DEFAULT_GATE_METRICS, parseMetricList } from '../core/compare/metric-catalog.js';
import { GoodputError } from '../core/errors.js';
import { writeFileAtomic } from '../output/atomic-write.js';
import { renderComparisonJson, renderComparisonMarkdown } from '../render/compare-markdown.js';
import { resolveReportInputs } from '../store/report-inputs.js';
import type { CommandModule } from './command.js';
import { DEFAULT_DB_PATH } from './db.js';

const EXAMPLES = `
Examples:
  goodput compare baseline.json candidate.json
  goodput compare goodput-results/run-a goodput-results/run-b --format json
  goodput compare run:3 run:4 --format html --out compare.html
  goodput compare ferrum_c1.json ferrum_c4.json vs vllm_c1.json vllm_c4.json --label-a ferrum --label-b vllm
  goodput compare label:nightly latest --fail-on-regression 5
  goodput compare commit:1a2b3c4 commit:5d6e7f8 --fail-on-regression 3% --metrics ttft_p99,output_throughput

A side is one input, or several separated by "vs". Cells join on model (without #tag), scenario,
concurrency or rate, input/output lengths and dataset. Verdicts use Welch's t-test (α = --alpha);
fewer than 3 repeats on a side is "not assessable". The gate fails (exit 1) only when a
SIGNIFICANT regression exceeds the threshold on one of the gate metrics
(default ${DEFAULT_GATE_METRICS.join(', ')}).
`;

/** Splits the positional inputs into side A and side B: `A B` or `A1 A2 … vs B1 B2 …`. */
export function splitSides(inputs: readonly string[]): [string[], string[]] {
  const vs = inputs.indexOf('vs');
  if (vs < 0) {
    if (inputs.length !== 2) {
      throw new GoodputError(
        'USAGE',
        `expected two inputs (A B) or lists separated by "vs", got ${inputs.length} input(s)`,
        {
          hint: 'e.g. goodput compare a1.json a2.json vs b1.json b2.json',
        },
      );
    }
    return [[inputs[0]!], [inputs[1]!]];
  }
  const a = inputs.slice(0, vs);
  const b = inputs.slice(vs + 1);
  if (a.length === 0 || b.length === 0 || b.includes('vs')) {
    throw new GoodputError('USAGE', 'use "vs" exactly once, with at least one input on each side');
  }
  return [a, b];
}

/** `5`, `5%`, `2.5` → a non-negative percentage. */
export function parsePercent(flag: string, raw: string): number {
  const text = raw.trim().replace(/%$/, '');
  const n = Number(text);
  if (text === '' || !Number.isFinite(n) || n < 0) {
    throw new GoodputError('USAGE', `${flag} ${raw}: expected a percentage ≥ 0, e.g. 5 or 5%`);
  }
  return n;
}

function parseAlpha(raw: string): number {
  const n = Number(raw);
  if (!(n > 0 && n < 1))
    throw new GoodputError(
      'USAGE',
      `--alpha ${raw}: expected a significance level between 0 and 1, e.g. 0.05`,
    );
  return n;
}

/** The one-line gate outcome for stderr. */
function gateLine(g: GateResult): string {
  if (!g.failed) return `gate passed: no significant regression beyond ${g.thresholdPct}%\n`;
  const list = g.failures.map((f) => `${f.cell} ${f.metric} +${f.regressionPct.toFixed(1)}%`).join('; ');
  return `gate FAILED: ${g.failures.length} significant regression(s) beyond ${g.thresholdPct}%: ${list}\n`;
}

export const compareCommand: CommandModule = {
  register(program, ctx) {
    program
      .command('compare')
      .description(
        'Compare two sets of cells: per metric A and B ± CI, ratio B/A, Welch p-value and a verdict; optional CI gate.',
      )
      .argument(
        '<inputs...>',
        'A B: report files, result directories or ledger selectors (run:<id>, commit:<sha>, label:<x>, latest)',
      )
      .option('--label-a <label>', 'name of side A in the output')
      .option('--label-b <label>', 'name of side B in the output')
      .addOption(
        new Option('--format <format>', 'output format: markdown, JSON, or a self-contained HTML page')
          .choices(['md', 'json', 'html'] as const)
          .default('md' as const),
      )
      .option('--out <path>', 'write the output to this file (atomically) instead of stdout')
      .option(
        '--fail-on-regression <pct>',
        'exit 1 when a significant regression exceeds PCT % (e.g. 5 or 5%)',
      )
      .option('--metrics <list>', 'gate metrics, comma-separated (needs --fail-on-regression)')
      .option('--alpha <p>', 'significance level of the Welch test', '0.05')
      .option('--db <path>', 'the ledger, for selectors', DEFAULT_DB_PATH)
      .addHelpText('after', EXAMPLES)
      .action(async (inputs, opts) => {
        const [inputsA, inputsB] = splitSides(inputs);
        const alpha = parseAlpha(opts.alpha);
        const threshold =
          opts.failOnRegression === undefined
            ? undefined
            : parsePercent('--fail-on-regression', opts.failOnRegression);
        if (opts.metrics !== undefined && threshold === undefined) {
          throw new GoodputError(
            'USAGE',
            '--metrics chooses the gate metrics: it needs --fail-on-regression PCT',
          );
        }
        const gateMetrics = opts.metrics === undefined ? undefined : parseMetricList(opts.metrics);

        const where = { dbPath: opts.db, cwd: ctx.io.cwd };
        const a = await resolveReportInputs(inputsA, where);
        const b = await resolveReportInputs(inputsB, where);
        for (const [side, resolved] of [
          ['A', a],
          ['B', b],
        ] as const) {
          if (resolved.cells.length === 0)
            throw new GoodputError('INPUT_EMPTY', `side ${side} (${resolved.label}) has no cells`);
        }
        const comparison: Comparison = compareRuns(
          { label: opts.labelA ?? a.label, cells: a.cells },
          { label: opts.labelB ?? b.label, cells: b.cells },
          { alpha },
        );
        const gate =
          threshold === undefined
            ? undefined
            : evaluateGate(comparison, {
                thresholdPct: threshold,
                ...(gateMetrics === undefined ? {} : { metrics: gateMetrics }),
              });

        const text =
          opts.format === 'json'
            ? renderComparisonJson(comparison, gate)
            : opts.format === 'html'
              ? // loaded on demand: the page pulls in the chart engine, which `goodput --help` must not pay for
                await (await import('../render/html/compare-page.js')).renderCompareHtml(comparison)
              : renderComparisonMarkdown(comparison, gate);
        if (opts.out === undefined) ctx.io.stdout.write(text);
        else writeFileAtomic(resolve(ctx.io.cwd, opts.out), text);

        ctx.exitCode = 0;
        if (comparison.cells.length === 0) {
          ctx.io.stderr.write(
            'no cell of A joined a cell of B: nothing was compared (the unjoined cells are listed)\n',
          );
          ctx.exitCode = 1;
        }
        if (gate !== undefined) {
          ctx.io.stderr.write(gateLine(gate));
          if (gate.failed) ctx.exitCode = 1;
        }
      });
  },
};
