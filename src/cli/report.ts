// `goodput report INPUTS… [--format …] [--out PATH]`: renders stored cells (report files, result
// directories, ledger selectors) as a terminal summary, markdown (ferrum's layout + goodput's
// sections) or the run envelope JSON; `--history` draws the ledger's runs over time instead
// (report-history.ts). Each format is one entry of REPORT_RENDERERS; add a format by adding an entry.

import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Option } from '@commander-js/extra-typings';
import { parseMetricList } from '../core/compare/metric-catalog.js';
import { GoodputError } from '../core/errors.js';
import type { BenchReport } from '../core/schema/bench-report.js';
import { createRunEnvelope, writeRunEnvelopeJson } from '../core/schema/run-envelope.js';
import type { ReportInput } from '../input/read-reports.js';
import { writeFileAtomic } from '../output/atomic-write.js';
import { renderSingle, renderSweep } from '../render/markdown.js';
import { renderTerminal } from '../render/terminal.js';
import type { CommandContext, CommandModule } from './command.js';
import { DEFAULT_DB_PATH } from './db.js';
import { renderLedgerHistory } from './report-history.js';
import { loadReportSources } from './report-ledger.js';
import { type RequestLineSource, visualRenderers } from './report-visual.js';
import { TOOL_VERSION } from './version.js';

/** One loaded input; a ledger run also says where its request records are (a file input's sit beside it). */
export interface ReportSource extends ReportInput {
  readonly requests?: RequestLineSource;
}

/** What a renderer gets: the loaded inputs, their cells in input order, and the invocation. */
export interface ReportRenderRequest {
  readonly inputs: readonly ReportSource[];
  readonly cells: readonly BenchReport[];
  /** ANSI colours allowed (stdout is a TTY, no NO_COLOR, no --out) */
  readonly color: boolean;
  /** the full command line, recorded by formats that write provenance */
  readonly argv: readonly string[];
  /** wall-clock time of this invocation */
  readonly now: Date;
  /** the directory relative input paths are read from */
  readonly cwd: string;
}

/** A format renders one document (stdout or --out FILE), or writes several files into --out DIR. */
export type ReportRenderer =
  | {
      /** one line for --help */
      readonly description: string;
      render(request: ReportRenderRequest): string | Uint8Array | Promise<string | Uint8Array>;
      readonly writeDirectory?: undefined;
    }
  | {
      readonly description: string;
      /** writes into `dir` and returns one line per file (written or skipped) */
      writeDirectory(request: ReportRenderRequest, dir: string): Promise<string[]>;
      readonly render?: undefined;
    };

/** `--format` name → renderer. The first entry is the default. */
export const REPORT_RENDERERS = new Map<string, ReportRenderer>([
  [
    'terminal',
    {
      description: 'console summary tables (latency percentiles ± CI, throughput, goodput, errors, warnings)',
      render: (req) => renderTerminal(req.cells, { color: req.color }),
    },
  ],
  [
    'md',
    {
      description:
        "markdown: ferrum's render_single (one cell) or render_sweep (several), then goodput's sections",
      render: (req) =>
        req.cells.length === 1 ? renderSingle(req.cells[0] as BenchReport) : renderSweep(req.cells),
    },
  ],
  [
    'json',
    {
      description: 'the run envelope {"goodput": {...}, "cells": [...]}, keys in ferrum order',
      render: (req) => `${writeRunEnvelopeJson(envelopeFor(req))}\n`,
    },
  ],
  ...visualRenderers(),
]);

/** One envelope input is kept as it is; anything else gets a new envelope naming its inputs. */
function envelopeFor(req: ReportRenderRequest) {
  const only = req.inputs[0];
  if (req.inputs.length === 1 && only?.envelope !== undefined)
    return { goodput: only.envelope, cells: [...req.cells] };
  const now = req.now.toISOString();
  return createRunEnvelope(
    {
      tool_version: TOOL_VERSION,
      run_id: randomUUID(),
      started_at: now,
      finished_at: now,
      command_line: [...req.argv],
      inputs: req.inputs.map((i) => i.source),
    },
    req.cells,
  );
}

const EXAMPLES = `
Examples:
  goodput report goodput-results/2026-06-01-sweep/            # terminal summary of a result directory
  goodput report --format md a.json b.json --out sweep.md     # ferrum-style markdown of two cells
  goodput report --format json cells.jsonl                    # the run envelope, on stdout
  goodput report --format html run-dir/ --out report.html     # self-contained HTML with charts
  goodput report --format svg a.json b.json --out charts/     # one SVG per chart (png: PNG)
  goodput report latest                                       # the newest run in ./goodput.db
  goodput report --format md label:nightly run:12 --db ci.db  # ledger runs, like files
  goodput report --history --out history.html                 # every run of the ledger over time
  goodput report --history label:nightly --cell c=16 --metrics ttft_p50,output_throughput --format md
  goodput report --history commit:1a2b3c4 commit:5d6e7f8 --order commit --out history.html

Inputs: report files (.json: one object, an array or a report.json envelope; .jsonl: one cell per
line), result directories (their report.json, else cells.jsonl) and ledger selectors read from
--db: run:<id>, commit:<sha>, label:<x> (the newest matching run), latest.

--history draws each metric of each cell key across the ledger's runs (every run, or every run the
selectors match: here label:<x> and commit:<sha> select ALL their runs) with 95 % CI bands, and
marks each significant step between consecutive runs (Welch's t-test, α = 0.05; fewer than 3
repeats on a side is never significant). --order time (default) sorts runs by start; --order
commit groups them by commit, in the order the commit: selectors are given, else first measured.
Formats: html (default, one self-contained page) or md (one table per cell key).`;

const HISTORY_FORMATS = ['html', 'md'] as const;

/** The `--history` options, checked: history-only flags without --history would do nothing, so they are refused. */
interface HistoryFlags {
  readonly history?: true;
  readonly cell?: string[];
  readonly metrics?: string;
  readonly order?: 'time' | 'commit';
  readonly format?: string;
}

function checkHistoryFlags(opts: HistoryFlags): void {
  if (opts.history === true) {
    if (opts.format !== undefined && !(HISTORY_FORMATS as readonly string[]).includes(opts.format)) {
      throw new GoodputError('USAGE', `--history --format ${opts.format}: the history renders html or md`, {
        hint: 'use --format html (the default) or --format md',
      });
    }
    return;
  }
  const given = [
    opts.cell === undefined ? undefined : '--cell',
    opts.metrics === undefined ? undefined : '--metrics',
    opts.order === undefined ? undefined : '--order',
  ].filter((f): f is string => f !== undefined);
  if (given.length > 0) {
    throw new GoodputError(
      'USAGE',
      `${given.join(', ')} ${given.length === 1 ? 'applies' : 'apply'} only with --history`,
      {
        hint: 'add --history to draw the ledger runs over time',
      },
    );
  }
}

/** Writes a rendered document to stdout or, atomically, to --out. */
function emit(
  ctx: CommandContext,
  out: string | undefined,
  format: string,
  output: string | Uint8Array,
): void {
  const io = ctx.io;
  if (out === undefined) {
    if (typeof output !== 'string') {
      throw new GoodputError('USAGE', `--format ${format} produces binary output`, {
        hint: 'give --out PATH to write it to a file',
      });
    }
    io.stdout.write(output);
  } else {
    writeFileAtomic(resolve(io.cwd, out), output);
    io.stderr.write(`→ wrote ${out}\n`);
  }
}

export const reportCommand: CommandModule = {
  register(program, ctx) {
    const formats = [...REPORT_RENDERERS.keys()];
    program
      .command('report')
      .description(
        'Render stored runs, result directories or ferrum report files; --history: the ledger runs over time.',
      )
      .argument(
        '[inputs...]',
        'report files, result directories or ledger selectors (run:<id>, commit:<sha>, label:<x>, latest); with --history, selectors only (none: every run)',
      )
      .addOption(
        new Option(
          '--format <format>',
          `${[...REPORT_RENDERERS].map(([k, r]) => `${k}: ${r.description}`).join('; ')} (default: ${formats[0]}; html with --history)`,
        ).choices(formats),
      )
      .option('--out <path>', 'write to this file (atomically) instead of stdout')
      .option('--db <path>', 'the ledger, for selectors and --history', DEFAULT_DB_PATH)
      .option(
        '--history',
        "each metric of each cell key across the ledger's runs, with CI bands and significant steps marked",
      )
      .option(
        '--cell <key>',
        'with --history: only cells whose key is KEY or has all its |-separated parts (e.g. c=4); repeatable',
        (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
      )
      .option(
        '--metrics <list>',
        'with --history: metric ids, comma-separated (default: every compared metric)',
      )
      .addOption(
        new Option('--order <order>', 'with --history: run order (default: time)').choices([
          'time',
          'commit',
        ] as const),
      )
      .addHelpText('after', EXAMPLES)
      .action(async (paths, opts) => {
        const io = ctx.io;
        checkHistoryFlags(opts);
        if (opts.history === true) {
          const doc = await renderLedgerHistory({
            selectors: paths,
            dbPath: opts.db,
            cwd: io.cwd,
            format: opts.format === 'md' ? 'md' : 'html',
            order: opts.order ?? 'time',
            cells: opts.cell ?? [],
            ...(opts.metrics === undefined ? {} : { metrics: parseMetricList(opts.metrics) }),
            generatedAt: new Date().toISOString(),
          });
          for (const w of doc.warnings) io.stderr.write(`warning: ${w}\n`);
          emit(ctx, opts.out, opts.format ?? 'html', doc.text);
          ctx.exitCode = 0;
          return;
        }
        if (paths.length === 0) {
          throw new GoodputError('USAGE', 'goodput report needs at least one input', {
            hint: 'give report files, result directories or ledger selectors (latest, run:<id>, …), or --history',
          });
        }
        const format = opts.format ?? (formats[0] as string);
        const renderer = REPORT_RENDERERS.get(format);
        if (renderer === undefined) {
          throw new GoodputError('USAGE', `--format ${format}: unknown format`, {
            hint: `use one of ${formats.join(', ')}`,
          });
        }
        const inputs = await loadReportSources(paths, { cwd: io.cwd, dbPath: opts.db });
        const cells = inputs.flatMap((i) => i.reports);
        if (cells.length === 0) {
          throw new GoodputError('INPUT_EMPTY', `no report cells in ${paths.join(', ')}`, {
            hint: 'The inputs parsed but hold no cells (an empty array or envelope); give files with at least one report.',
          });
        }
        const color = opts.out === undefined && io.stdout.isTTY && io.env.NO_COLOR === undefined;
        const request = { inputs, cells, color, argv: ctx.argv, now: new Date(), cwd: io.cwd };
        if (renderer.writeDirectory !== undefined) {
          if (opts.out === undefined)
            throw new GoodputError('USAGE', `--format ${format} writes one file per chart`, {
              hint: 'give --out DIR',
            });
          for (const line of await renderer.writeDirectory(request, resolve(io.cwd, opts.out)))
            io.stderr.write(`→ ${line}\n`);
          ctx.exitCode = 0;
          return;
        }
        emit(ctx, opts.out, format, await renderer.render(request));
        ctx.exitCode = 0;
      });
  },
};
