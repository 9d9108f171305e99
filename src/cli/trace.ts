// `goodput trace viz|summary TRACE`: the layer-wise breakdown of a Chrome trace (SPEC §8.3,
// ferrum's visualize_layerwise.py made exact): bare array or {traceEvents}, plain or gzip, a
// truncated streamed file too. viz writes SVG, PNG or a self-contained HTML page; summary prints
// the totals table (or JSON).

import { extname, resolve } from 'node:path';
import { Option } from '@commander-js/extra-typings';
import { GoodputError } from '../core/errors.js';
import { type LayerBreakdown, layerBreakdown } from '../core/trace/layer-breakdown.js';
import { writeFileAtomic } from '../output/atomic-write.js';
import { readTraceFile } from '../output/trace-reader.js';
import { svgToPng } from '../render/charts/svg-png.js';
import {
  renderTraceBreakdownHtml,
  renderTraceBreakdownSvg,
  renderTraceBreakdownText,
} from '../render/trace-breakdown.js';
import type { CommandModule } from './command.js';

const FORMATS = ['svg', 'png', 'html'] as const;
type Format = (typeof FORMATS)[number];

const EXAMPLES = `
Examples:
  goodput trace summary m3_layerwise_trace.json          # totals per category and per layer
  goodput trace summary trace.json.gz --json             # the same as JSON
  goodput trace viz m3_layerwise_trace.json              # → m3_layerwise_trace.svg
  goodput trace viz trace.json --out breakdown.png       # format from the extension
  goodput trace viz trace.json --format html --out b.html --name-prefix decode.

Categories are matched EXACTLY (case-insensitive) through an alias map, e.g. attn, self_attn and
flash_attn → attention; matmul and linear → gemm; rms_norm → norm. Anything else counts as
"other" and is listed by name. ferrum's visualiser matched substrings, so there attn was "other".`;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function load(path: string, cwd: string, prefixes: readonly string[]) {
  const trace = await readTraceFile(resolve(cwd, path));
  const breakdown = layerBreakdown(trace.events, prefixes.length > 0 ? { namePrefixes: prefixes } : {});
  if (breakdown.events === 0) {
    throw new GoodputError(
      'INPUT_SCHEMA',
      `${path}: no complete ("ph":"X") events with a duration${prefixes.length > 0 ? ` and a name starting with ${prefixes.join(' or ')}` : ''}`,
      {
        hint: 'the layer-wise breakdown needs complete events with name, cat, dur and tid',
      },
    );
  }
  return { trace, breakdown };
}

function formatOf(out: string | undefined, explicit: Format | undefined): Format {
  if (explicit !== undefined) return explicit;
  const ext = out === undefined ? '' : extname(out).slice(1).toLowerCase();
  if (ext === 'htm') return 'html';
  return (FORMATS as readonly string[]).includes(ext) ? (ext as Format) : 'svg';
}

function defaultOut(tracePath: string, format: Format): string {
  return `${tracePath.replace(/\.gz$/i, '').replace(/\.json$/i, '')}.${format}`;
}

function toJson(b: LayerBreakdown, source: string, truncated: boolean): string {
  return `${JSON.stringify({ source, truncated, ...b }, null, 2)}\n`;
}

export const traceCommand: CommandModule = {
  register(program, ctx) {
    const trace = program
      .command('trace')
      .description(
        'Layer-wise breakdown of a Chrome trace (JSON or gzip): totals by category and layer, as a table or a chart.',
      )
      .addHelpText('after', EXAMPLES);

    trace
      .command('summary')
      .description('Print the totals and shares by category and by layer (tid).')
      .argument('<trace>', 'Chrome trace: a JSON array or {"traceEvents":[…]}, plain or gzip')
      .option('--json', 'print the breakdown as JSON on stdout')
      .option(
        '--name-prefix <prefix>',
        'only events whose name starts with this (repeatable)',
        collect,
        [] as string[],
      )
      .action(async (path, opts) => {
        const { trace: t, breakdown } = await load(path, ctx.io.cwd, opts.namePrefix);
        ctx.io.stdout.write(
          opts.json === true
            ? toJson(breakdown, path, t.truncated)
            : renderTraceBreakdownText(breakdown, path, t.truncated),
        );
        ctx.exitCode = 0;
      });

    trace
      .command('viz')
      .description('Draw the stacked breakdown per layer as SVG, PNG or a self-contained HTML page.')
      .argument('<trace>', 'Chrome trace: a JSON array or {"traceEvents":[…]}, plain or gzip')
      .option('--out <file>', 'output file (default: the trace path with the format extension)')
      .addOption(
        new Option('--format <format>', 'svg, png or html (default: from --out, else svg)').choices(FORMATS),
      )
      .option('--title <text>', 'chart title', 'layer-wise breakdown')
      .option(
        '--name-prefix <prefix>',
        'only events whose name starts with this (repeatable)',
        collect,
        [] as string[],
      )
      .action(async (path, opts) => {
        const format = formatOf(opts.out, opts.format);
        const out = resolve(ctx.io.cwd, opts.out ?? defaultOut(path, format));
        const { trace: t, breakdown } = await load(path, ctx.io.cwd, opts.namePrefix);
        const svg = await renderTraceBreakdownSvg(breakdown, opts.title);
        const content =
          format === 'svg'
            ? svg
            : format === 'png'
              ? await svgToPng(svg)
              : renderTraceBreakdownHtml(breakdown, opts.title, svg, path, t.truncated);
        writeFileAtomic(out, content);
        ctx.io.stderr.write(renderTraceBreakdownText(breakdown, path, t.truncated, false));
        ctx.io.stderr.write(`→ wrote ${out}\n`);
        ctx.exitCode = 0;
      });
  },
};
