// `goodput compare-commits revA revB --serve '<cmd with {port}>' [--build '<cmd>'] [-- bench-serve
// options…]` (SPEC §7.2): measures two revisions of a git repository with the same client, seed and
// prompts, repeats interleaved A B A B (host/commit-runs.ts), merges each side's repeats, compares
// them (§7.1), prints the comparison, writes it beside the run logs, and records both in the ledger.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Option } from '@commander-js/extra-typings';
import { compareRuns } from '../core/compare/comparison.js';
import { mergeRepeatRuns } from '../core/compare/repeat-merge.js';
import { GoodputError } from '../core/errors.js';
import { type CommitSideResult, runCommitSession } from '../host/commit-runs.js';
import { repoRoot } from '../host/git-worktree.js';
import { writeFileAtomic } from '../output/atomic-write.js';
import { renderComparisonJson, renderComparisonMarkdown } from '../render/compare-markdown.js';
import { openLedger } from '../store/ledger.js';
import type { CommandModule } from './command.js';
import { gateFromFlags, parseAlpha, parseGateFlags } from './compare-inputs.js';
import { DEFAULT_DB_PATH } from './db.js';
import { TOOL_VERSION } from './version.js';

const EXAMPLES = `
Examples:
  goodput compare-commits main HEAD --build 'cargo build --release' \\
      --serve './target/release/ferrum serve qwen3:0.6b --port {port}' -- --concurrency 4 --num-prompts 100
  goodput compare-commits v0.7.6 v0.7.7 --repo ../engine --serve 'python -m server --port {port}' \\
      --repeats 5 --fail-on-regression 3 -- --request-rate 4 --goodput 'ttft:500 tpot:50 e2el:30000'

Everything after "--" goes to bench-serve, identically for both revisions. Each revision gets a
fresh detached worktree; a failed build stops with its log and benchmarks nothing. The server
command runs through the shell with {port} replaced by a free loopback port, and is stopped by its
own process group only. Repeats alternate A B A B; with --server-mode restart (the default) every
repeat gets a freshly started server, so repeats are independent and one GPU never holds two
engines; --server-mode concurrent starts both once, side by side, for servers that start slowly.
`;

/** bench-serve flags compare-commits sets itself. */
const RESERVED = ['--base-url', '--n-repeats', '--seed', '--out-dir', '--commit-sha', '--db', '--no-db'];

function parseWhole(flag: string, raw: string, min: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new GoodputError('USAGE', `${flag} ${raw}: expected a whole number ≥ ${min}`);
  return n;
}

function timestamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

function sideLabel(side: CommitSideResult): string {
  return side.rev === side.sha ? side.sha.slice(0, 12) : `${side.rev} (${side.sha.slice(0, 12)})`;
}

export const compareCommitsCommand: CommandModule = {
  register(program, ctx) {
    program
      .command('compare-commits')
      .description(
        'Build, serve and benchmark two revisions of a git repo with the same client and seed, interleaved, then compare.',
      )
      .argument('<revA>', 'baseline revision (branch, tag, sha)')
      .argument('<revB>', 'candidate revision')
      .argument('[benchArgs...]', 'bench-serve options after "--", the same for both revisions')
      .requiredOption(
        '--serve <cmd>',
        "shell command starting the server, with {port}, run in the revision's worktree",
      )
      .option('--build <cmd>', 'shell command building the revision, run in its worktree')
      .option('--repo <dir>', 'the git repository (default: the one containing the current directory)')
      .option('--repeats <n>', 'repeats per revision (at least 3 for any verdict)', '5')
      .option(
        '--seed <n>',
        'seed of prompts and arrivals, the same for both sides (repeat r uses seed + r − 1)',
        '0',
      )
      .addOption(
        new Option(
          '--server-mode <mode>',
          'restart servers for every repeat, or run both for the whole session',
        )
          .choices(['restart', 'concurrent'] as const)
          .default('restart' as const),
      )
      .option(
        '--ready-timeout <seconds>',
        'how long a server may take to answer /health or /v1/models',
        '300',
      )
      .option('--build-timeout <seconds>', 'time limit of each build', '3600')
      .option(
        '--out-dir <dir>',
        'logs, run directories and the comparison (default goodput-results/compare-commits-<time>)',
      )
      .option('--label-a <label>', 'name of A in the output (default: revA and its sha)')
      .option('--label-b <label>', 'name of B in the output')
      .addOption(
        new Option('--format <format>', 'stdout format')
          .choices(['md', 'json'] as const)
          .default('md' as const),
      )
      .option('--fail-on-regression <pct>', 'exit 1 when a significant regression exceeds PCT %')
      .option('--metrics <list>', 'gate metrics, comma-separated (needs --fail-on-regression)')
      .option('--alpha <p>', 'significance level of the Welch test', '0.05')
      .option('--db <path>', 'the ledger where both runs are recorded', DEFAULT_DB_PATH)
      .option('--no-db', 'do not record the runs in the ledger')
      .addHelpText('after', EXAMPLES)
      .action(async (revA, revB, benchArgs, opts) => {
        const io = ctx.io;
        const reserved = benchArgs.filter((a) => RESERVED.includes(a.split('=')[0]!));
        if (reserved.length > 0) {
          throw new GoodputError(
            'USAGE',
            `${reserved.join(', ')} after "--" is set by compare-commits itself`,
            {
              hint: 'use --repeats, --seed, --out-dir and --db of compare-commits instead',
            },
          );
        }
        const repeats = parseWhole('--repeats', opts.repeats, 1);
        const seed = parseWhole('--seed', opts.seed, 0);
        const readyTimeoutMs = parseWhole('--ready-timeout', opts.readyTimeout, 1) * 1000;
        const buildTimeoutMs = parseWhole('--build-timeout', opts.buildTimeout, 1) * 1000;
        const alpha = parseAlpha(opts.alpha);
        const { threshold, gateMetrics } = parseGateFlags(opts.failOnRegression, opts.metrics);
        if (!opts.serve.includes('{port}')) {
          throw new GoodputError(
            'USAGE',
            '--serve must contain {port}, where goodput puts the free port it picked',
            {
              hint: "e.g. --serve 'vllm serve MODEL --port {port}'",
            },
          );
        }
        if (repeats < 3)
          io.stderr.write(`warning: --repeats ${repeats}: below 3 repeats no difference is assessable\n`);

        const repo = await repoRoot(resolve(io.cwd, opts.repo ?? '.'));
        const outDir = resolve(
          io.cwd,
          opts.outDir ?? join('goodput-results', `compare-commits-${timestamp(new Date())}`),
        );
        const workDir = mkdtempSync(join(tmpdir(), 'goodput-compare-commits-'));
        const abort = new AbortController();
        const removeHandler = io.onInterrupt(() => abort.abort());
        let sides: [CommitSideResult, CommitSideResult];
        try {
          sides = await runCommitSession({
            repo,
            revA,
            revB,
            serve: opts.serve,
            ...(opts.build === undefined ? {} : { build: opts.build }),
            buildTimeoutMs,
            readyTimeoutMs,
            repeats,
            serverMode: opts.serverMode,
            seed,
            benchArgs,
            outDir,
            cwd: io.cwd,
            workDir,
            goodputBin: fileURLToPath(new URL('../../bin/goodput.js', import.meta.url)),
            log: (line) => io.stderr.write(`${line}\n`),
            signal: abort.signal,
          });
        } finally {
          removeHandler();
          rmSync(workDir, { recursive: true, force: true });
        }

        const [a, b] = sides;
        const cellsA = mergeRepeatRuns(a.runs);
        const cellsB = mergeRepeatRuns(b.runs);
        const comparison = compareRuns(
          {
            label: opts.labelA ?? sideLabel(a),
            cells: cellsA.map((report) => ({ report, source: `${outDir}/runs/A-r*` })),
          },
          {
            label: opts.labelB ?? sideLabel(b),
            cells: cellsB.map((report) => ({ report, source: `${outDir}/runs/B-r*` })),
          },
          { alpha },
        );
        const gate = gateFromFlags(comparison, { threshold, gateMetrics });
        const markdown = renderComparisonMarkdown(comparison, gate);
        const json = renderComparisonJson(comparison, gate);
        writeFileAtomic(join(outDir, 'compare.md'), markdown);
        writeFileAtomic(join(outDir, 'compare.json'), json);
        io.stdout.write(opts.format === 'json' ? json : markdown);

        if (opts.db !== false) {
          const ledger = openLedger(resolve(io.cwd, opts.db));
          try {
            const session = `compare-commits:${outDir}`;
            for (const [side, cells, label] of [
              [a, cellsA, opts.labelA ?? a.rev],
              [b, cellsB, opts.labelB ?? b.rev],
            ] as const) {
              const recorded = ledger.recordRun({
                uid: `${session}:${side.name}`,
                commandLine: ctx.argv,
                toolVersion: TOOL_VERSION,
                label,
                source: 'compare-commits',
                sourcePath: join(outDir, 'runs'),
                commit: side.sha,
                cells,
              });
              io.stderr.write(`recorded ${side.name} as run ${recorded.id} in ${opts.db}\n`);
            }
          } finally {
            ledger.close();
          }
        }
        io.stderr.write(`comparison written to ${join(outDir, 'compare.md')} and compare.json\n`);
        ctx.exitCode = 0;
        if (gate?.failed === true) {
          io.stderr.write(
            `gate FAILED: ${gate.failures.length} significant regression(s) beyond ${gate.thresholdPct}%\n`,
          );
          ctx.exitCode = 1;
        }
      });
  },
};
