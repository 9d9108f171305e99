// `goodput compare A B`: statistical comparison of two sets of cells (SPEC §7.1) from files,
// result directories or ledger selectors, as markdown or JSON, with an optional CI gate
// (`--fail-on-regression PCT`) that exits 1 only on a significant regression beyond PCT.

import { resolve } from 'node:path';
import { Option } from '@commander-js/extra-typings';
import { type Comparison, compareRuns } from '../core/compare/comparison.js';
import type { GateResult } from '../core/compare/gate.js';
import { DEFAULT_GATE_METRICS } from '../core/compare/metric-catalog.js';
import { writeFileAtomic } from '../output/atomic-write.js';
import { renderComparisonJson, renderComparisonMarkdown } from '../render/compare-markdown.js';
import type { CommandModule } from './command.js';
import { gateFromFlags, parseAlpha, parseGateFlags, resolveSides } from './compare-inputs.js';
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
        const alpha = parseAlpha(opts.alpha);
        const { threshold, gateMetrics } = parseGateFlags(opts.failOnRegression, opts.metrics);

        const [a, b] = await resolveSides(inputs, { dbPath: opts.db, cwd: ctx.io.cwd });
        const comparison: Comparison = compareRuns(
          { label: opts.labelA ?? a.label, cells: a.cells },
          { label: opts.labelB ?? b.label, cells: b.cells },
          { alpha },
        );
        const gate = gateFromFlags(comparison, { threshold, gateMetrics });

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
