// `goodput bench`: the in-process `cli` scenario (SPEC §8.1, ferrum-behaviour §9) over an engine
// adapter — the simulator's engine model, node-llama-cpp on a GGUF, or a user module. Runs the
// repeats (src/engine/bench-runner.ts) into a run directory like bench-serve's, builds the
// BenchReport with computeMetrics, prints the summary on stderr, writes --output/--out,
// --trace-out and --profile-out, and records the run in the ledger unless --no-db.

import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Option } from '@commander-js/extra-typings';
import { envHash } from '../core/env/canonical-env.js';
import { GoodputError } from '../core/errors.js';
import { computeMetrics } from '../core/metrics/compute-metrics.js';
import { deriveRequest } from '../core/metrics/derive-request.js';
import type { RequestRecord } from '../core/schema/request-record.js';
import { createRunEnvelope } from '../core/schema/run-envelope.js';
import { DEFAULT_SIM_PRESET, SIM_PRESET_NAMES, simPreset } from '../core/sim/presets.js';
import { runEngineBench } from '../engine/bench-runner.js';
import type { EngineAdapter } from '../engine/engine-adapter.js';
import { createLlamaEngine } from '../engine/llama-engine.js';
import { loadModuleEngine } from '../engine/module-engine.js';
import { createSimEngine } from '../engine/sim-engine.js';
import { captureEnv } from '../host/env-capture.js';
import { appendJsonl, FERRUM_OUTPUT_FORMATS, ferrumJson, writeDocument } from '../output/ferrum-output.js';
import { openProfileWriter, type ProfileWriter } from '../output/profile-writer.js';
import { defaultRunDir, timestampName } from '../output/run-dir-name.js';
import { RunDirectory } from '../output/run-directory.js';
import { openTraceWriter, type TraceWriter } from '../output/trace-writer.js';
import { renderSingle } from '../render/markdown.js';
import { renderTerminalSummary } from '../render/terminal.js';
import { type BenchOptions, parseBenchOptions } from './bench-options.js';
import type { CommandModule } from './command.js';
import { finalizeRun, ledgerOptions, stampComparability } from './run-finalize.js';
import { TOOL_VERSION } from './version.js';

/** ferrum bench's default prompt (ferrum-behaviour §9.1). */
const DEFAULT_PROMPT = 'Explain the theory of relativity in detail.';

const EXAMPLES = `
Examples:
  goodput bench                                           # the simulator's engine, 5 rounds × 3 repeats
  goodput make-tiny-gguf tiny.gguf && \\
  goodput bench --engine llama --model-path tiny.gguf --threads 1 --max-tokens 32
  goodput bench --engine ./my-engine.js --concurrency 4 --goodput 'ttft:500 tpot:50'
  goodput bench --output json --out bench.json --trace-out bench.trace.json
  goodput bench --out-dir runs/sim --db runs.db && goodput report latest --db runs.db

Engines: sim (built in), llama (node-llama-cpp, CPU, --model-path FILE.gguf), or a path to a
module whose default export is an engine adapter (docs/engine-adapter.md).
Requests per repeat: --rounds × --concurrency (ferrum's count), or --num-prompts.
The clock starts before the engine is handed a request; nothing sleeps inside the timed window.
With --concurrency K > 1 the K workers run a true closed loop (scenario closed_loop).
Every run writes a run directory (report.json, cells.jsonl, requests.jsonl, report.md,
report.html) and is recorded in the ledger (--db, default goodput.db) unless --no-db.`;

/** One `bench_request` profile event per successful measured request: its stages in µs. */
function profileRequest(writer: ProfileWriter, record: RequestRecord): void {
  const d = deriveRequest(record);
  if (!d.success) return;
  const us = (ms: number) => Math.round(ms * 1000);
  writer.push(
    'bench_request',
    {
      repeat: record.repeat,
      index: record.index,
      worker: record.conn ?? 0,
      input_tokens: d.inputTokens,
      output_tokens: d.outputTokens,
    },
    { ttft: us(d.ttftMs), decode: us(d.e2eMs - d.ttftMs), e2e: us(d.e2eMs) },
    false,
  );
}

/** The engine of --engine: the simulator's model, llama.cpp on --model-path, or a user module. */
async function createEngine(options: BenchOptions): Promise<EngineAdapter> {
  if (options.engineKind === 'sim') {
    const presetName = options.simPreset ?? DEFAULT_SIM_PRESET;
    return createSimEngine({ profile: simPreset(presetName), profileName: presetName, seed: options.seed });
  }
  if (options.engineKind === 'llama') {
    return createLlamaEngine({
      modelPath: options.modelPath as string,
      ...(options.threads === undefined ? {} : { threads: options.threads }),
    });
  }
  return loadModuleEngine(options.enginePath);
}

export const benchCommand: CommandModule = {
  register(program, ctx) {
    const [db, noDb, dbRequests] = ledgerOptions();
    program
      .command('bench')
      .description(
        'In-process benchmark of an engine (no HTTP): the cli scenario, or a true closed loop with --concurrency.',
      )
      .option('--engine <sim|llama|path>', 'the engine: sim, llama, or an engine module file', 'sim')
      .option('--model-path <file.gguf>', 'GGUF model for --engine llama')
      .option('--threads <n>', 'CPU threads of --engine llama (default: all cores)')
      .addOption(
        new Option('--sim-preset <name>', 'performance preset of --engine sim').choices(SIM_PRESET_NAMES),
      )
      .option('--prompt <text>', 'the prompt of every request', DEFAULT_PROMPT)
      .option('--max-tokens <n>', 'tokens to generate per request (n_gen)', '128')
      .option('--rounds <n>', 'rounds per repeat; each round is one request per worker', '5')
      .option('--num-prompts <n>', 'measured requests per repeat (instead of --rounds × --concurrency)')
      .option('--concurrency <k>', 'workers in the closed loop (1 = batch-1 single user)', '1')
      .option('--n-repeats <n>', 'repeats of the whole measurement (≥ 3 gives confidence intervals)', '3')
      .option('--warmup-requests <n>', 'unmeasured requests before each repeat, same shape', '1')
      .option('--goodput <slo>', "per-request SLO in ms, e.g. 'ttft:500 tpot:50 e2el:30000'")
      .option(
        '--seed <n>',
        'seed of the engine: sampling (llama with --temperature > 0), simulator jitter and lengths',
        '0',
      )
      .option('--temperature <t>', 'sampling temperature; 0 = greedy (ferrum)', '0')
      .addOption(
        new Option('--output <format>', 'write the report as json, jsonl or md').choices(
          FERRUM_OUTPUT_FORMATS,
        ),
      )
      .option('--out <path>', 'where --output goes (stdout when absent; required for jsonl)')
      .option('--show-output', "print the text of each repeat's first measured request on stderr")
      .option(
        '--trace-out <file.json>',
        'stream a Chrome/Perfetto trace: one track per worker, one span per request',
      )
      .option(
        '--profile-out <file.jsonl>',
        'append one ferrum ProfileEvent (bench_request: ttft/decode/e2e µs) per successful measured request',
      )
      .option('--out-dir <dir>', 'run directory (default goodput-results/<timestamp>-<engine>/)')
      .addOption(db)
      .addOption(noDb)
      .addOption(dbRequests)
      .option('--commit-sha <sha>', 'env.commit_sha instead of asking git')
      .option('--hw-id <id>', 'env.hw_id instead of detecting it')
      .addHelpText('after', EXAMPLES)
      .action(async (flags) => {
        const io = ctx.io;
        const options = parseBenchOptions(flags, io.cwd);
        const { maxTokens, concurrency, repeats, requestsPerRepeat, warmupRequests, seed } = options;
        const engine = await createEngine(options);

        const mode = concurrency > 1 ? `closed-loop(${concurrency})` : 'sequential';
        io.stderr.write(
          `Config: ${engine.name} · ${requestsPerRepeat} requests × ${repeats} repeats, ${maxTokens} max_tokens, mode=${mode}, prompt_len=~${options.prompt.length}chars\n`,
        );
        if (repeats < 3) io.stderr.write('[warn] n_repeats < 3: mean only, no stddev/CI95\n');

        const env = await captureEnv({
          cwd: io.cwd,
          env: io.env,
          ...(options.commitSha === undefined ? {} : { commitSha: options.commitSha }),
          ...(options.hwId === undefined ? {} : { hwId: options.hwId }),
        });
        const started = new Date();
        const startedAt = started.toISOString();
        const label = engine.name;
        const runId = `${timestampName(started)}-${randomBytes(3).toString('hex')}`;
        const dir = RunDirectory.create(options.outDir ?? defaultRunDir(io.cwd, label, started));
        const abort = new AbortController();
        const removeInterrupt = io.onInterrupt(() => abort.abort());
        let trace: TraceWriter | undefined;
        let profile: ProfileWriter | undefined;
        const scenario = concurrency > 1 ? 'closed_loop' : 'cli';
        const cell = `${engine.model ?? engine.name}|${scenario}|c=${concurrency}`;
        try {
          let result: Awaited<ReturnType<typeof runEngineBench>>;
          try {
            if (options.traceOut !== undefined) {
              trace = openTraceWriter(options.traceOut, {
                originMs: performance.now(),
                processName: `goodput bench · ${engine.name}`,
                trackLabel: 'worker',
              });
            }
            if (options.profileOut !== undefined) {
              profile = openProfileWriter(options.profileOut, {
                commit_sha: env.commit_sha.trim() === '' ? null : env.commit_sha,
                env_hash: envHash(env),
                model: engine.model ?? engine.name,
                concurrency,
                runtime_flags: {
                  engine: engine.name,
                  backend: engine.backend ?? 'custom',
                  max_tokens: maxTokens,
                  temperature: options.temperature,
                  seed,
                },
              });
            }
            const tw = trace;
            const pw = profile;
            const onRecord = (r: RequestRecord) => {
              dir.appendRequest(r);
              tw?.requestSpan(r);
              if (pw && !r.warmup) profileRequest(pw, r);
            };
            result = await runEngineBench(
              engine,
              {
                cell,
                prompt: options.prompt,
                maxTokens,
                requestsPerRepeat,
                repeats,
                concurrency,
                warmupRequests,
                seed,
                temperature: options.temperature,
                captureSample: options.showOutput,
              },
              {
                now: () => performance.now(),
                signal: abort.signal,
                onRecord,
                onRepeat: (r) => {
                  io.stderr.write(
                    `  repeat ${r.window.repeat}/${repeats}: ${requestsPerRepeat} requests in ${((r.window.end_ms - r.window.start_ms) / 1000).toFixed(2)}s\n`,
                  );
                  if (r.sampleText !== undefined)
                    io.stderr.write(`  output of request 0: ${JSON.stringify(r.sampleText)}\n`);
                },
              },
            );
          } finally {
            removeInterrupt();
            trace?.close();
            profile?.close();
          }
          if (trace) io.stderr.write(`→ wrote trace ${options.traceOut}\n`);
          if (profile) io.stderr.write(`→ appended profile events to ${options.profileOut}\n`);
          if (result.repeats.length === 0) {
            throw new GoodputError(
              'INTERRUPTED',
              'interrupted before the first repeat finished: nothing to report',
            );
          }

          const finishedAt = new Date().toISOString();
          const report = computeMetrics({
            model: engine.model ?? engine.name,
            backend: engine.backend ?? 'custom',
            scenario,
            ...(scenario === 'closed_loop' ? { concurrency } : {}),
            nPrompt: Buffer.byteLength(options.prompt, 'utf8'),
            nGen: maxTokens,
            warmupRequests,
            slo: options.slo,
            env,
            envHash,
            repeats: result.repeats.map((r) => ({ window: r.window, records: r.records })),
            extension: {
              tool_version: TOOL_VERSION,
              run_id: runId,
              cell_key: cell,
              label,
              started_at: startedAt,
              finished_at: finishedAt,
              command_line: [...ctx.argv],
              seed,
              load: { kind: 'closed_loop', concurrency },
              warmup_policy: { mode: 'per_repeat', requests: warmupRequests },
              ...(result.interrupted
                ? { warnings: [`interrupted: ${result.repeats.length} of ${repeats} repeats completed`] }
                : {}),
            },
          });
          stampComparability(report);
          dir.appendCell(report);
          dir.writeReport(
            createRunEnvelope(
              {
                tool_version: TOOL_VERSION,
                run_id: runId,
                started_at: startedAt,
                finished_at: finishedAt,
                command_line: [...ctx.argv],
                ...(result.interrupted ? { interrupted: true } : {}),
              },
              [report],
            ),
          );

          io.stderr.write(renderTerminalSummary(report, { color: io.color }));
          if (options.output !== undefined) {
            const written =
              options.output === 'jsonl'
                ? appendJsonl(options.out as string, [report])
                : writeDocument(
                    options.output === 'md' ? renderSingle(report) : ferrumJson([report]),
                    options.out,
                  );
            if (written.stdout !== undefined) io.stdout.write(written.stdout);
            if (written.note !== undefined) io.stderr.write(`${written.note}\n`);
          }
          await finalizeRun(
            {
              dir,
              reports: [report],
              source: 'bench',
              label,
              db: options.db,
              dbRequests: options.dbRequests,
            },
            (line) => io.stderr.write(`${line}\n`),
          );
          io.stderr.write(`→ results in ${dir.dir}\n`);
          if (result.interrupted) {
            throw new GoodputError(
              'INTERRUPTED',
              `interrupted: reported the ${result.repeats.length} completed repeat(s) of ${repeats}`,
            );
          }
          const errored = report.errored_per_run.reduce((a, b) => a + b, 0);
          if (errored > 0) {
            throw new GoodputError('RUN_FAILED', `benchmark measured requests failed: ${errored}`, {
              hint: 'the report above lists the failures by flag; the engine returned errors or no tokens',
            });
          }
        } finally {
          dir.close();
        }
        ctx.exitCode = 0;
      });
  },
};
