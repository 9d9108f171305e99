// `goodput bench-serve`: the HTTP load generator (SPEC §3, ferrum-behaviour §8). Registers the
// flags (ferrum's names and aliases where they exist), validates them all before any request,
// runs the session, then applies the error policy: exit 0, 1 (policy failed or interrupted,
// after everything was written) or 2 (bad usage).

import { Option } from '@commander-js/extra-typings';
import { GoodputError } from '../core/errors.js';
import type { BenchReport } from '../core/schema/bench-report.js';
import { QUALITY_FLAGS } from '../core/schema/bench-report.js';
import { SIM_PRESET_NAMES } from '../core/sim/presets.js';
import { FERRUM_OUTPUT_FORMATS } from '../output/ferrum-output.js';
import {
  BENCH_SERVE_DEFAULTS,
  type BenchServeOptions,
  type RawBenchServeOptions,
  validateBenchServeOptions,
} from './bench-serve-options.js';
import { resolveReplay } from './bench-serve-replay.js';
import { runBenchServeSession, type SessionResult } from './bench-serve-session.js';
import { runShardSession } from './bench-serve-shard.js';
import type { CommandModule } from './command.js';
import { ledgerOptions } from './run-finalize.js';

const EXAMPLES = `
Examples:
  goodput bench-serve                                   # benchmark the built-in simulator (~20 s)
  goodput bench-serve --base-url http://127.0.0.1:8000 --model my-model --concurrency-sweep 1,4,16,64
  goodput bench-serve --base-url http://127.0.0.1:8000 --request-rate 8 --burstiness 0.5 --max-concurrency 64 \\
      --goodput 'ttft:500 tpot:50 e2el:30000' --duration 2m
  goodput bench-serve --base-url http://h:8000/v1 --endpoint completions --api-key-env OPENAI_API_KEY \\
      --rate-sweep 1,2,4,8 --goodput 'ttft:300 tpot:40 e2el:20000' --output json --out sweep.json

Cells: --concurrency K (closed loop, default 32), --concurrency-sweep 1,4,16 (one cell each, knee
marked), --request-rate R (open loop, seeded Poisson; --burstiness B for gamma arrivals),
--rate-sweep 1,2,4 (highest rate meeting the SLO), --schedule-in FILE (exact replay).
--dataset jsonl with "timestamp_ms" on its lines replays them: each line is sent once at its
timestamp (relative to the first), open loop — by default when no flag gives another load shape,
or with --replay-timestamps (which refuses --concurrency, --request-rate, sweeps, --schedule-in,
--duration); --num-prompts N replays the first N lines only; --max-concurrency caps in-flight.
--dataset shared-prefix --prefix-groups-sweep 1,2,4,8,16: one cell per working set (groups ×
--shared-prefix-len) at one load; the prefix-cache capacity cliff is located and reported.
Sharded: --shard i/N --start-at <epoch ms> --base-url URL --n-repeats 1 on each of N hosts (or
\`goodput k8s-job\`), then \`goodput merge DIR…\` computes the one report.
--max-concurrency K: with --request-rate it caps the requests in flight (later arrivals queue and
their queue time shows); without it, it is ferrum's alias of --concurrency.
Without --base-url the built-in simulator is started on a free loopback port (backend "sim").
Results go to --out-dir (default goodput-results/<timestamp>-<label>/) as the run goes:
requests.jsonl, cells.jsonl, report.json, report.md; Ctrl-C stops sending, waits up to 10 s for
the requests in flight, writes everything completed and exits 1.
The API key is read from the variable named by --api-key-env and never written anywhere.`;

const collect = (value: string, previous: string[]) => [...previous, value];

export const benchServeCommand: CommandModule = {
  register(program, ctx) {
    const ledger = ledgerOptions();
    program
      .command('bench-serve')
      .description(
        'Load-test an OpenAI-compatible server (or the built-in simulator): TTFT, TPOT, ITL, E2E, throughput, goodput.',
      )
      // target
      .option(
        '--base-url <url>',
        'the server root, e.g. http://127.0.0.1:8000 (a trailing / or /v1 is fine); default: the built-in simulator',
      )
      .option('--endpoint <chat|completions>', 'which streaming endpoint to call', 'chat')
      .option('--model <name>', 'model to request (default: the first id of /v1/models)')
      .option(
        '--api-key-env <NAME>',
        'read the API key from this environment variable (sent as a bearer token)',
      )
      .option('--header <K: V>', 'extra request header (repeatable)', collect, [] as string[])
      .option(
        '--extra-body <json>',
        'JSON object merged into every request body (top_p, seed, min_tokens, …)',
      )
      .option('--ignore-eos', 'send "ignore_eos": true')
      .option('--enable-thinking <true|false>', 'send chat_template_kwargs.enable_thinking')
      .option('--timeout <seconds>', 'per request, connect to end of body', BENCH_SERVE_DEFAULTS.timeoutS)
      .option(
        '--ready-timeout <seconds>',
        'how long to wait for /health or /v1/models before giving up',
        BENCH_SERVE_DEFAULTS.readyTimeoutS,
      )
      .option(
        '--allow-missing-done',
        'count streams that end without [DONE] as successful (servers that never send it)',
      )
      // workload
      .option('--dataset <name>', 'random, sharegpt, shared-prefix or jsonl', 'random')
      .option('--dataset-path <file>', 'the file of --dataset sharegpt (JSON array or JSONL) or jsonl')
      .addOption(new Option('--sharegpt-path <file>', 'ferrum’s name for --dataset-path').hideHelp())
      .option('--tokenizer <default|PATH|server>', 'tokenizer that builds and counts prompts', 'default')
      .option(
        '--random-input-len <tokens>',
        'prompt length of --dataset random (exact)',
        BENCH_SERVE_DEFAULTS.randomInputLen,
      )
      .option(
        '--random-output-len <tokens>',
        'max_tokens of every request',
        BENCH_SERVE_DEFAULTS.randomOutputLen,
      )
      .option('--random-range-ratio <r>', 'lengths uniform in len·[1−r, 1+r] (vLLM)', '0')
      .option('--length-tolerance <tokens>', 'tokens a prompt may miss its target by (with a warning)', '0')
      .option('--shared-prefix-len <tokens>', 'shared prefix of --dataset shared-prefix', '1024')
      .option('--shared-suffix-len <tokens>', 'unique suffix of --dataset shared-prefix', '64')
      .option('--prefix-groups <n>', 'distinct prefixes of --dataset shared-prefix', '1')
      .option('--warm-prefix', 'let the warmup send the measured prefixes (primes the cache)')
      .option(
        '--prefix-groups-sweep <list>',
        'one shared-prefix cell per group count, e.g. 1,2,4,8,16; locates the prefix-cache capacity cliff',
      )
      .option(
        '--replay-timestamps',
        'send each --dataset jsonl line at its timestamp_ms (the default for a timed file without a load flag)',
      )
      .option(
        '--sharegpt-output-len <fixed|reference>',
        'max_tokens: --random-output-len, or the reference reply length',
        'fixed',
      )
      .option(
        '--sampling <without-replacement|with-replacement>',
        'how sharegpt conversations are drawn',
        'without-replacement',
      )
      .option('--sharegpt-min-prompt-len <tokens>', 'sharegpt filter', '4')
      .option('--sharegpt-min-output-len <tokens>', 'sharegpt filter', '4')
      .option('--sharegpt-max-prompt-len <tokens>', 'sharegpt filter', '1024')
      .option('--sharegpt-max-total-len <tokens>', 'sharegpt filter (prompt + reply)', '2048')
      .option(
        '--num-prompts <n>',
        `measured requests per repeat (warmup is extra); default ${BENCH_SERVE_DEFAULTS.numPrompts}, or every line of a replayed jsonl file`,
      )
      // load
      .option('--concurrency <k>', `closed loop with K workers (default ${BENCH_SERVE_DEFAULTS.concurrency})`)
      .option(
        '--concurrency-sweep <list>',
        'one closed-loop cell per value, e.g. 1,4,16,64; the knee is marked',
      )
      .option('--request-rate <r>', 'open loop at R requests/s (seeded arrivals)')
      .option(
        '--rate-sweep <list>',
        'one open-loop cell per rate, e.g. 1,2,4,8; reports the highest rate meeting the SLO',
      )
      .option('--burstiness <b>', 'gamma arrivals: 1 = Poisson, < 1 burstier, inf = constant spacing')
      .option(
        '--max-concurrency <k>',
        'open loop: cap on requests in flight; closed loop: alias of --concurrency',
      )
      .option('--duration <time>', 'time-bounded instead of count-bounded, e.g. 60s, 2m')
      .option('--schedule-in <file>', 'replay the send offsets of a schedule file exactly (open loop)')
      .option('--schedule-out <file>', 'write the open-loop cell’s schedule (replay it with --schedule-in)')
      .option(
        '--n-repeats <n>',
        'repeats per cell (≥ 3 gives confidence intervals)',
        BENCH_SERVE_DEFAULTS.nRepeats,
      )
      .option(
        '--warmup-requests <n>',
        'unmeasured requests before each repeat, at the cell’s own load',
        BENCH_SERVE_DEFAULTS.warmupRequests,
      )
      .option('--warmup-seconds <s>', 'keep warming up at least this long')
      .option(
        '--warmup-errors <fail|warn>',
        'whether a failed warmup request fails the run (ferrum: fail)',
        'fail',
      )
      .option(
        '--interleave',
        'run the repeats of the cells round-robin (A B A B…) so drift hits every cell alike',
      )
      .option(
        '--goodput <slo>',
        "per-request SLO in ms, e.g. 'ttft:500 tpot:50 e2el:30000' (missing keys: unbounded)",
      )
      .option('--seed <n>', 'seed of prompts and arrivals (recorded)', BENCH_SERVE_DEFAULTS.seed)
      .option(
        '--shard <i/N>',
        'run shard i of N of the one seeded plan (requests i, i+N, …; closed loop: K/N streams) and write raw records for `goodput merge`',
      )
      .option(
        '--start-at <epoch-ms>',
        'with --shard: the wall-clock instant every shard starts its measured phase',
      )
      .option(
        '--workers <auto|n>',
        'worker threads that send the load, one shared schedule; auto: 1 unless the calibration says one thread cannot reach it',
        'auto',
      )
      .option(
        '--calibration <file>',
        'this machine’s client ceiling from `goodput calibrate --out` (default: the stored one)',
      )
      // policy
      .option('--fail-on-error', 'exit 1 if any measured request failed')
      .option('--max-error-rate <x>', 'exit 1 if the measured error rate is above x (0..1)')
      .option('--require-ci', 'require --n-repeats ≥ 3')
      // outputs
      .addOption(
        new Option('--output <format>', 'also write the cells ferrum-style: json, jsonl or md').choices(
          FERRUM_OUTPUT_FORMATS,
        ),
      )
      .option('--out <path>', 'where --output goes (json/md: overwrite, jsonl: append; stdout when absent)')
      .addOption(new Option('--result-file <path>', 'ferrum’s name for --out').hideHelp())
      .option('--out-dir <dir>', 'run directory (default goodput-results/<timestamp>-<label>/)')
      .option(
        '--trace-out <file.json>',
        'stream a Chrome/Perfetto trace: one track per connection, one span per request',
      )
      .addOption(ledger[0])
      .addOption(ledger[1])
      .addOption(ledger[2])
      .option('--tag <tag>', 'report model becomes <model>#<tag>')
      .option('--label <label>', 'a name for the run (directory name, reports)')
      .option('--hw-id <id>', 'env.hw_id instead of detecting it')
      .option('--commit-sha <sha>', 'env.commit_sha instead of asking git')
      .option(
        '--server-args <args>',
        "the server's command-line flags, recorded for comparability and parity",
      )
      .option(
        '--server-env <KEY=VAL>',
        'a server environment variable to record (repeatable)',
        collect,
        [] as string[],
      )
      .addOption(
        new Option(
          '--sim-preset <name>',
          'built-in simulator preset (without --base-url; default small-gpu)',
        ).choices(SIM_PRESET_NAMES),
      )
      .option('--sim-faults <spec>', "built-in simulator faults, e.g. 'http_500@3,7,reset:0.01'")
      .option(
        '--sim-set <key=value>',
        'built-in simulator profile field over its preset, e.g. prefixCacheBlocks=64 (repeatable)',
        collect,
        [] as string[],
      )
      .addHelpText('after', EXAMPLES)
      .action(async (opts) => {
        const options = await resolveReplay(
          validateBenchServeOptions(opts as RawBenchServeOptions, ctx.io.cwd, ctx.io.env),
        );
        if (options.shard !== undefined) {
          await runShardSession(options, ctx.io, ctx.argv);
          ctx.exitCode = 0;
          return;
        }
        const result = await runBenchServeSession(options, ctx.io, ctx.argv);
        applyErrorPolicy(options, result, (line) => ctx.io.stderr.write(`${line}\n`));
        ctx.exitCode = 0;
      });
  },
};

/**
 * ferrum §8.17, cell by cell, after everything was written: an interrupted run fails; warmup
 * errors fail the run unless --warmup-errors warn; --fail-on-error / --max-error-rate compare
 * Σerrored / (Σcompleted + Σerrored) with the maximum (0 for --fail-on-error).
 */
export function applyErrorPolicy(
  options: BenchServeOptions,
  result: SessionResult,
  warn: (line: string) => void,
): void {
  if (result.interrupted) {
    throw new GoodputError(
      'INTERRUPTED',
      `interrupted: ${result.reports.length} of ${options.cells.length} cell(s) completed and written to ${result.runDir}`,
    );
  }
  for (const report of result.reports) {
    const warmup = warmupOutcome(report);
    if (warmup.errored > 0 || warmup.flagged) {
      const message = `bench-serve warmup failed for ${report.model}: ${warmup.errored} errored request(s)`;
      if (options.warmupErrorsFail) {
        throw new GoodputError('RUN_FAILED', message, {
          hint: 'look at the warmup records in requests.jsonl; --warmup-errors warn only warns',
        });
      }
      warn(`[warn] ${message}`);
    }
    if (options.failOnError || options.maxErrorRate !== undefined) {
      const max = options.maxErrorRate ?? 0;
      const completed = report.completed_per_run.reduce((a, b) => a + b, 0);
      const failed = report.errored_per_run.reduce((a, b) => a + b, 0);
      const rate = completed + failed === 0 ? 1 : failed / (completed + failed);
      if (rate > max) {
        throw new GoodputError(
          'RUN_FAILED',
          `bench-serve error rate ${rate.toFixed(4)} exceeds max ${max.toFixed(4)} for ${report.model}`,
          { hint: 'the failed requests and their flags are in requests.jsonl' },
        );
      }
    }
  }
}

/** Failed warmup requests, and whether any warmup quality counter is set (ferrum fails on either). */
function warmupOutcome(report: BenchReport): { errored: number; flagged: boolean } {
  let errored = 0;
  let flagged = false;
  for (const row of report.repeat_metrics ?? []) {
    errored += row.warmup_errored;
    for (const f of QUALITY_FLAGS) if (row.warmup_quality_issues[f] > 0) flagged = true;
  }
  return { errored, flagged };
}
