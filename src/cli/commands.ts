// Every subcommand, in the order `goodput --help` lists them: its name, the one-line summary the
// top-level help shows, and its module, imported only when that command runs (or its help is
// asked for). `goodput --help` and every command thus start without loading the other commands'
// dependencies (vega, SQLite, llama.cpp, undici…; SPEC §10: start-up ≤ 300 ms). One entry each.

import type { Command } from '@commander-js/extra-typings';
import type { CommandContext, CommandModule } from './command.js';

export interface CommandEntry {
  readonly name: string;
  /** the module's own .description(), repeated here for the top-level help (a test keeps them equal) */
  readonly summary: string;
  load(): Promise<CommandModule>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'bench-serve',
    summary:
      'Load-test an OpenAI-compatible server (or the built-in simulator): TTFT, TPOT, ITL, E2E, throughput, goodput.',
    load: async () => (await import('./bench-serve.js')).benchServeCommand,
  },
  {
    name: 'sim',
    summary:
      'Run the simulated OpenAI-compatible server: real HTTP and SSE, a continuous-batching model, fault injection.',
    load: async () => (await import('./sim.js')).simCommand,
  },
  {
    name: 'report',
    summary:
      'Render stored runs, result directories or ferrum report files; --history: the ledger runs over time.',
    load: async () => (await import('./report.js')).reportCommand,
  },
  {
    name: 'env-hash',
    summary:
      "Print the env hash of each report cell; --verify recomputes it from the env block (ferrum's algorithm).",
    load: async () => (await import('./env-hash.js')).envHashCommand,
  },
  {
    name: 'compare',
    summary:
      'Compare two sets of cells: per metric A and B ± CI, ratio B/A, Welch p-value and a verdict; optional CI gate.',
    load: async () => (await import('./compare.js')).compareCommand,
  },
  {
    name: 'compare-commits',
    summary:
      'Build, serve and benchmark two revisions of a git repo with the same client and seed, interleaved, then compare.',
    load: async () => (await import('./compare-commits.js')).compareCommitsCommand,
  },
  {
    name: 'parity',
    summary:
      'Configuration-parity table of two runs: KV fraction, max seqs, batched tokens, prefill, caching, dtypes, TP, graphs, sampling.',
    load: async () => (await import('./parity.js')).parityCommand,
  },
  {
    name: 'db',
    summary: 'The results ledger (SQLite): list, show, export, import and prune stored runs.',
    load: async () => (await import('./db.js')).dbCommand,
  },
  {
    name: 'merge',
    summary: 'Merge the raw outputs of the shards of one sharded bench-serve run into one report.',
    load: async () => (await import('./merge.js')).mergeCommand,
  },
  {
    name: 'k8s-job',
    summary: 'Print the Kubernetes Indexed Job manifest of a sharded bench-serve run (one pod per shard).',
    load: async () => (await import('./k8s-job.js')).k8sJobCommand,
  },
  {
    name: 'bench',
    summary:
      'In-process benchmark of an engine (no HTTP): the cli scenario, or a true closed loop with --concurrency.',
    load: async () => (await import('./bench.js')).benchCommand,
  },
  {
    name: 'make-tiny-gguf',
    summary:
      'Write a tiny random-weight llama GGUF model (for goodput bench --engine llama without downloads).',
    load: async () => (await import('./make-tiny-gguf.js')).makeTinyGgufCommand,
  },
  {
    name: 'trace',
    summary:
      'Layer-wise breakdown of a Chrome trace (JSON or gzip): totals by category and layer, as a table or a chart.',
    load: async () => (await import('./trace.js')).traceCommand,
  },
  {
    name: 'profile',
    summary: "Validate and summarise ferrum's profile-event JSONL.",
    load: async () => (await import('./profile.js')).profileCommand,
  },
  {
    name: 'calibrate',
    summary: "Measure this machine's client ceiling (events/s and requests/s timed accurately) and store it.",
    load: async () => (await import('./calibrate.js')).calibrateCommand,
  },
];

/** The command a command line runs: its first word, or the word after `help`; undefined for none. */
export function invokedCommand(args: readonly string[]): CommandEntry | undefined {
  const words = args.filter((a) => !a.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  return COMMANDS.find((c) => c.name === name);
}

/**
 * Registers, in help order, the module of the command `args` invoke and, for every other
 * command, its name and summary only: those are listed by `goodput --help` and never run here.
 */
export async function registerCommands(
  program: Command,
  ctx: CommandContext,
  args: readonly string[],
): Promise<void> {
  const invoked = invokedCommand(args);
  const loaded = invoked === undefined ? undefined : await invoked.load();
  for (const entry of COMMANDS) {
    if (entry === invoked) loaded?.register(program, ctx);
    else program.command(entry.name).description(entry.summary);
  }
}
