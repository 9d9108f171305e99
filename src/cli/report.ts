// `goodput report INPUTS… [--format …] [--out PATH]`: renders stored cells (report files, result
// directories) as a terminal summary, markdown (ferrum's layout + goodput's sections) or the run
// envelope JSON. Each format is one entry of REPORT_RENDERERS; add a format by adding an entry.

import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Option } from '@commander-js/extra-typings';
import { GoodputError } from '../core/errors.js';
import type { BenchReport } from '../core/schema/bench-report.js';
import { createRunEnvelope, writeRunEnvelopeJson } from '../core/schema/run-envelope.js';
import type { ReportInput } from '../input/read-reports.js';
import { loadReportInputs } from '../input/read-reports.js';
import { writeFileAtomic } from '../output/atomic-write.js';
import { renderSingle, renderSweep } from '../render/markdown.js';
import { renderTerminal } from '../render/terminal.js';
import type { CommandModule } from './command.js';
import { visualRenderers } from './report-visual.js';
import { TOOL_VERSION } from './version.js';

/** What a renderer gets: the loaded inputs, their cells in input order, and the invocation. */
export interface ReportRenderRequest {
  readonly inputs: readonly ReportInput[];
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

Inputs: report files (.json: one object, an array or a report.json envelope; .jsonl: one cell per
line) and result directories (their report.json, else cells.jsonl).`;

export const reportCommand: CommandModule = {
  register(program, ctx) {
    const formats = [...REPORT_RENDERERS.keys()];
    program
      .command('report')
      .description('Render stored runs, result directories or ferrum report files.')
      .argument('<inputs...>', 'report files or result directories')
      .addOption(
        new Option(
          '--format <format>',
          [...REPORT_RENDERERS].map(([k, r]) => `${k}: ${r.description}`).join('; '),
        )
          .choices(formats)
          .default(formats[0] as string),
      )
      .option('--out <path>', 'write to this file (atomically) instead of stdout')
      .addHelpText('after', EXAMPLES)
      .action(async (paths, opts) => {
        const io = ctx.io;
        const renderer = REPORT_RENDERERS.get(opts.format);
        if (renderer === undefined) {
          throw new GoodputError('USAGE', `--format ${opts.format}: unknown format`, {
            hint: `use one of ${formats.join(', ')}`,
          });
        }
        const inputs = await loadReportInputs(paths, { cwd: io.cwd });
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
            throw new GoodputError('USAGE', `--format ${opts.format} writes one file per chart`, {
              hint: 'give --out DIR',
            });
          for (const line of await renderer.writeDirectory(request, resolve(io.cwd, opts.out)))
            io.stderr.write(`→ ${line}\n`);
          ctx.exitCode = 0;
          return;
        }
        const output = await renderer.render(request);
        if (opts.out === undefined) {
          if (typeof output !== 'string') {
            throw new GoodputError('USAGE', `--format ${opts.format} produces binary output`, {
              hint: 'give --out PATH to write it to a file',
            });
          }
          io.stdout.write(output);
        } else {
          writeFileAtomic(resolve(io.cwd, opts.out), output);
          io.stderr.write(`→ wrote ${opts.out}\n`);
        }
        ctx.exitCode = 0;
      });
  },
};
