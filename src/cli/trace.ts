// `goodput trace viz|summary TRACE`: the layer-wise breakdown of a Chrome trace (SPEC §8.3,
// ferrum's visualize_layerwise.py made exact): bare array or {traceEvents}, plain or gzip, a
// truncated streamed file too; per iteration (--per-iteration) and against a second trace
// (--compare). viz writes SVG, PNG or a self-contained HTML page; summary prints tables or JSON.

import { basename, dirname, extname, join, resolve } from 'node:path';
import { Option } from '@commander-js/extra-typings';
import { GoodputError, isGoodputError } from '../core/errors.js';
import { analyseTrace, comparisonSide, type TraceAnalysis } from '../core/trace/trace-analysis.js';
import { compareTraces, type TraceComparison } from '../core/trace/trace-comparison.js';
import { writeFileAtomic } from '../output/atomic-write.js';
import { readTraceFile } from '../output/trace-reader.js';
import type { Chart } from '../render/charts/chart.js';
import { svgToPng } from '../render/charts/svg-png.js';
import {
  renderTraceBreakdownHtml,
  renderTraceBreakdownText,
  renderTraceChartSvg,
  traceBreakdownChart,
} from '../render/trace-breakdown.js';
import {
  renderTraceComparisonHtml,
  renderTraceComparisonNote,
  renderTraceComparisonText,
  traceComparisonChart,
} from '../render/trace-comparison.js';
import {
  ITERATION_BARS_MAX,
  iterationsChart,
  renderIterationsHtml,
  renderIterationsNote,
  renderIterationsText,
} from '../render/trace-iterations.js';
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
  goodput trace summary m3.json --per-iteration          # prefill vs decode, then every iteration
  goodput trace summary m3.json --iteration-marker moe   # iterations start at each "moe" instead
  goodput trace summary base.json --compare new.json.gz --per-iteration --label-a main --label-b pr
  goodput trace viz base.json --compare new.json --out cmp.html

Categories are matched EXACTLY (case-insensitive) through an alias map, e.g. attn, self_attn and
flash_attn → attention; matmul and linear → gemm; rms_norm → norm. Anything else counts as
"other" and is listed by name. ferrum's visualiser matched substrings, so there attn was "other".

Iterations (--per-iteration): an iteration is one forward pass through the layers. It starts at
each span of the lowest layer (tid) whose name is the first span name seen on that layer (the
earliest ts; on ferrum's layer-wise trace, each "attn" on tid 0); --iteration-marker NAME takes
spans named NAME instead (on the lowest tid that has one). Every span with ts in [one start, the
next start) belongs to that iteration; spans before the first start are the pre-roll "-". The
summary shows the first iteration (the prefill) vs the rest (decode): count, mean, p50, p95 of the
per-iteration totals by category, then one row per iteration. viz draws one stacked bar per
iteration up to ${ITERATION_BARS_MAX} iterations; beyond, the bars would be a few pixels wide and
a prefill tens of times taller than a decode step would flatten them, so it draws the first
iteration and the per-category mean of the rest side by side, each with its own y scale.

Comparison (--compare B): per category A, B, delta, B/A and the two shares; the layers (tids)
that changed most. With --per-iteration each trace is divided by its OWN iteration count (time
inside iterations / iterations), so a 100-step trace compares fairly with a 200-step one;
without it, whole-trace totals are compared. viz draws A and B side by side per layer, or per
category (with a note) when the traces do not have the same layers. Labels default to the file
names (--label-a, --label-b override them).`;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

interface AnalysisFlags {
  readonly namePrefix: string[];
  readonly perIteration?: true;
  readonly iterationMarker?: string;
  readonly compare?: string;
  readonly labelA?: string;
  readonly labelB?: string;
}

interface LoadedTrace {
  readonly path: string;
  readonly truncated: boolean;
  readonly analysis: TraceAnalysis;
}

/** Reads and analyses one trace; errors about the --compare trace name that flag. */
async function load(path: string, cwd: string, flags: AnalysisFlags, flag?: string): Promise<LoadedTrace> {
  try {
    const trace = await readTraceFile(resolve(cwd, path));
    const analysis = analyseTrace(trace.events, {
      source: path,
      namePrefixes: flags.namePrefix,
      perIteration: flags.perIteration === true,
      ...(flags.iterationMarker === undefined ? {} : { marker: flags.iterationMarker }),
    });
    return { path, truncated: trace.truncated, analysis };
  } catch (e) {
    if (flag === undefined || !isGoodputError(e)) throw e;
    throw new GoodputError(e.code, `${flag} ${path}: ${e.message}`, {
      ...(e.hint === undefined ? {} : { hint: e.hint }),
      cause: e,
    });
  }
}

function stem(path: string): string {
  return basename(path)
    .replace(/\.gz$/i, '')
    .replace(/\.json$/i, '');
}

function labels(a: string, b: string, flags: AnalysisFlags): [string, string] {
  const la = flags.labelA ?? stem(a);
  const lb = flags.labelB ?? stem(b);
  if (la !== lb) return [la, lb];
  if (flags.labelA !== undefined && flags.labelB !== undefined) {
    throw new GoodputError('USAGE', `--label-a and --label-b are both ${JSON.stringify(la)}`, {
      hint: 'give the two traces different labels',
    });
  }
  return [`${la} (A)`, `${lb} (B)`];
}

function checkFlags(flags: AnalysisFlags): void {
  if (flags.compare === undefined) {
    const stray =
      flags.labelA !== undefined ? '--label-a' : flags.labelB !== undefined ? '--label-b' : undefined;
    if (stray !== undefined) {
      throw new GoodputError('USAGE', `${stray} labels a compared trace and needs --compare`, {
        hint: 'goodput trace summary A.json --compare B.json --label-a base --label-b new',
      });
    }
  }
}

/** The trace to analyse and, with --compare, the comparison of it (A) with the other (B). */
async function loadAll(
  path: string,
  cwd: string,
  flags: AnalysisFlags,
): Promise<{ a: LoadedTrace; b?: LoadedTrace; comparison?: TraceComparison }> {
  checkFlags(flags);
  const a = await load(path, cwd, flags);
  if (flags.compare === undefined) return { a };
  const b = await load(flags.compare, cwd, flags, '--compare');
  const [la, lb] = labels(a.path, b.path, flags);
  return { a, b, comparison: compareTraces(comparisonSide(a.analysis, la), comparisonSide(b.analysis, lb)) };
}

function formatOf(out: string | undefined, explicit: Format | undefined): Format {
  if (explicit !== undefined) return explicit;
  const ext = out === undefined ? '' : extname(out).slice(1).toLowerCase();
  if (ext === 'htm') return 'html';
  return (FORMATS as readonly string[]).includes(ext) ? (ext as Format) : 'svg';
}

function defaultOut(tracePath: string, format: Format, flags: AnalysisFlags): string {
  const base = join(dirname(tracePath), stem(tracePath));
  if (flags.compare !== undefined) return `${base}-vs-${stem(flags.compare)}.${format}`;
  if (flags.perIteration === true || flags.iterationMarker !== undefined)
    return `${base}.iterations.${format}`;
  return `${base}.${format}`;
}

function summaryJson(loaded: Awaited<ReturnType<typeof loadAll>>): string {
  const { a, b, comparison } = loaded;
  if (comparison !== undefined && b !== undefined) {
    return JSON.stringify(
      { sources: { a: a.path, b: b.path }, truncated: { a: a.truncated, b: b.truncated }, ...comparison },
      null,
      2,
    );
  }
  const it = a.analysis.iterations;
  if (it !== undefined) {
    const { split, phases } = it;
    return JSON.stringify(
      {
        source: a.path,
        truncated: a.truncated,
        marker: split.marker,
        iterationCount: split.iterations.length,
        categories: split.categories,
        preRoll: split.preRoll ?? null,
        withoutTs: split.withoutTs,
        phases,
        iterations: split.iterations,
      },
      null,
      2,
    );
  }
  return JSON.stringify({ source: a.path, truncated: a.truncated, ...a.analysis.breakdown }, null, 2);
}

function summaryText(loaded: Awaited<ReturnType<typeof loadAll>>): string {
  const { a, b, comparison } = loaded;
  if (comparison !== undefined && b !== undefined) {
    return renderTraceComparisonText(comparison, { a: a.path, b: b.path });
  }
  const it = a.analysis.iterations;
  if (it !== undefined) return renderIterationsText(it.split, it.phases, a.path, a.truncated);
  return renderTraceBreakdownText(a.analysis.breakdown, a.path, a.truncated);
}

/** The chart, the stderr note and the HTML page of one viz invocation. */
function vizParts(loaded: Awaited<ReturnType<typeof loadAll>>, title: string | undefined) {
  const { a, b, comparison } = loaded;
  if (comparison !== undefined && b !== undefined) {
    const sources = { a: a.path, b: b.path };
    const chart = traceComparisonChart(comparison, title ?? `${comparison.labelA} vs ${comparison.labelB}`);
    return {
      chart,
      note: renderTraceComparisonNote(comparison, sources),
      html: (svg: string) => renderTraceComparisonHtml(comparison, chart, svg, sources),
    };
  }
  const it = a.analysis.iterations;
  if (it !== undefined) {
    const chart = iterationsChart(it.split, it.phases, title ?? 'per-iteration breakdown');
    return {
      chart,
      note: renderIterationsNote(it.split, it.phases, a.path),
      html: (svg: string) => renderIterationsHtml(it.split, it.phases, chart, svg, a.path, a.truncated),
    };
  }
  const b0 = a.analysis.breakdown;
  const chart: Chart = traceBreakdownChart(b0, title ?? 'layer-wise breakdown');
  return {
    chart,
    note: renderTraceBreakdownText(b0, a.path, a.truncated, false),
    html: (svg: string) => renderTraceBreakdownHtml(b0, chart.title, svg, a.path, a.truncated),
  };
}

const TRACE_ARG = 'Chrome trace: a JSON array or {"traceEvents":[…]}, plain or gzip';

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
      .description(
        'Print the totals and shares by category and by layer (tid), per iteration, or compared with a second trace.',
      )
      .argument('<trace>', TRACE_ARG)
      .option('--json', 'print the result as JSON on stdout')
      .option(
        '--name-prefix <prefix>',
        'only events whose name starts with this (repeatable)',
        collect,
        [] as string[],
      )
      .option(
        '--per-iteration',
        'split into iterations (see the rule below): phase summary and one row per iteration',
      )
      .option('--iteration-marker <name>', 'the span name that starts an iteration (implies --per-iteration)')
      .option('--compare <trace>', 'compare with this second trace (B); plain or gzip')
      .option('--label-a <text>', 'label of the first trace with --compare (default: its file name)')
      .option('--label-b <text>', 'label of the --compare trace (default: its file name)')
      .addHelpText('after', '\nRun `goodput trace --help` for the iteration rule and the comparison.')
      .action(async (path, opts) => {
        const loaded = await loadAll(path, ctx.io.cwd, opts);
        ctx.io.stdout.write(opts.json === true ? `${summaryJson(loaded)}\n` : summaryText(loaded));
        ctx.exitCode = 0;
      });

    trace
      .command('viz')
      .description(
        'Draw the stacked breakdown per layer, per iteration, or A vs B, as SVG, PNG or a self-contained HTML page.',
      )
      .argument('<trace>', TRACE_ARG)
      .option('--out <file>', 'output file (default: beside the trace, with the format extension)')
      .addOption(
        new Option('--format <format>', 'svg, png or html (default: from --out, else svg)').choices(FORMATS),
      )
      .option('--title <text>', 'chart title (default: names what is drawn)')
      .option(
        '--name-prefix <prefix>',
        'only events whose name starts with this (repeatable)',
        collect,
        [] as string[],
      )
      .option(
        '--per-iteration',
        `one stacked bar per iteration (above ${ITERATION_BARS_MAX}: the first iteration vs the mean of the rest)`,
      )
      .option('--iteration-marker <name>', 'the span name that starts an iteration (implies --per-iteration)')
      .option('--compare <trace>', 'draw this second trace (B) beside the first (A)')
      .option('--label-a <text>', 'label of the first trace with --compare (default: its file name)')
      .option('--label-b <text>', 'label of the --compare trace (default: its file name)')
      .addHelpText('after', '\nRun `goodput trace --help` for the iteration rule and the comparison.')
      .action(async (path, opts) => {
        const format = formatOf(opts.out, opts.format);
        const out = resolve(ctx.io.cwd, opts.out ?? defaultOut(path, format, opts));
        const parts = vizParts(await loadAll(path, ctx.io.cwd, opts), opts.title);
        const svg = await renderTraceChartSvg(parts.chart);
        const content = format === 'svg' ? svg : format === 'png' ? await svgToPng(svg) : parts.html(svg);
        writeFileAtomic(out, content);
        ctx.io.stderr.write(parts.note);
        ctx.io.stderr.write(`→ wrote ${out}\n`);
        ctx.exitCode = 0;
      });
  },
};
