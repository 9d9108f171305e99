// bench-serve --shard i/N --start-at T (SPEC §9): runs this shard's stripe of the one seeded plan
// against --base-url and writes, into its --out-dir, the raw request records (requests.jsonl) and
// the shard manifest (shard.json: plan and its hash, start, clock anchor, window). It makes no
// claim about the whole run: `goodput merge` computes the one report from every shard.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { probeServer } from '../client/readiness.js';
import { RunControl } from '../client/run-control.js';
import { repeatPlan, type ServeBenchmarkConfig, scheduleOf } from '../client/serve-benchmark.js';
import { ShardExecutor } from '../client/shard-executor.js';
import { prepareDataset } from '../core/dataset/build-dataset.js';
import { datasetIdentity } from '../core/dataset/dataset-identity.js';
import { GoodputError } from '../core/errors.js';
import {
  SHARD_MANIFEST_FILE,
  SHARD_MANIFEST_VERSION,
  type ShardManifest,
  type ShardPlan,
  shardPlanHash,
} from '../core/shard/shard-manifest.js';
import { captureEnv } from '../host/env-capture.js';
import { writeFileAtomic } from '../output/atomic-write.js';
import { JsonlAppender } from '../output/jsonl-appender.js';
import { loadTokenizer } from '../tokenizer/load-tokenizer.js';
import type { BenchServeOptions } from './bench-serve-options.js';
import {
  INTERRUPT_GRACE_MS,
  readDatasetFile,
  redactArgv,
  resolveModel,
  rootHeaders,
  serveCells,
  targetConfig,
} from './bench-serve-session.js';
import type { CliIo } from './io.js';
import { TOOL_VERSION } from './version.js';

/** The run-level extension fields a shard hands to merge (the computed ones are merge's). */
const _RUN_FIELDS = [
  'tool_version',
  'label',
  'command_line',
  'seed',
  'cell_key',
  'dataset',
  'load',
  'warmup_policy',
  'server',
];

export interface ShardResult {
  readonly dir: string;
  readonly interrupted: boolean;
}

export async function runShardSession(
  options: BenchServeOptions,
  io: CliIo,
  argv: readonly string[],
): Promise<ShardResult> {
  const shard = options.shard;
  const address = options.address;
  if (shard === undefined || address === undefined)
    throw new GoodputError('INTERNAL', 'runShardSession needs --shard and --base-url');
  const say = (line: string) => io.stderr.write(`${line}\n`);
  const control = new RunControl();
  const removeInterrupt = io.onInterrupt(() => control.stop('interrupted (SIGINT)'));
  const dir = options.outDir ?? join(io.cwd, 'goodput-results', `shard-${shard.index}-of-${shard.count}`);
  if (existsSync(join(dir, SHARD_MANIFEST_FILE)) || existsSync(join(dir, 'requests.jsonl'))) {
    throw new GoodputError('USAGE', `--out-dir ${dir} already holds a shard's output`, {
      hint: 'give each shard run a fresh --out-dir',
    });
  }
  const requests = new JsonlAppender(join(dir, 'requests.jsonl'));
  try {
    const headers = rootHeaders(options);
    const probe = await probeServer(address, { timeoutMs: options.readyTimeoutMs, headers });
    const { model, reportModel } = resolveModel(options, address, probe);
    const tokenizer = await loadTokenizer(options.tokenizer, {
      baseUrl: `${address.origin}${address.prefix}`,
      model,
      headers,
    });
    const dataset = prepareDataset(options.dataset, await readDatasetFile(options));
    const env = await captureEnv({
      cwd: io.cwd,
      env: io.env,
      ...(options.commitSha === undefined ? {} : { commitSha: options.commitSha }),
      ...(options.hwId === undefined ? {} : { hwId: options.hwId }),
    });
    const startedAt = new Date();
    const commandLine = redactArgv(argv);
    const executor = new ShardExecutor(shard.index, shard.count, shard.startAtMs);
    const waitS = (shard.startAtMs - Date.now()) / 1000;
    say(
      `goodput bench-serve shard ${shard.index}/${shard.count} → ${dir}; measured phase starts at ${new Date(shard.startAtMs).toISOString()} (${waitS >= 0 ? `in ${waitS.toFixed(1)} s` : `${(-waitS).toFixed(1)} s ago: starting late`})`,
    );
    const cells = serveCells(options);
    const cell = cells[0];
    if (cell === undefined) throw new GoodputError('INTERNAL', 'a shard runs one cell');
    const config: ServeBenchmarkConfig = {
      ...targetConfig(options, address, model, probe, headers),
      dataset,
      measure: tokenizer,
      cells,
      numPrompts: options.numPrompts,
      nRepeats: 1,
      warmupRequests: options.warmupRequests,
      ...(options.warmupMs === undefined ? {} : { warmupMs: options.warmupMs }),
      interleave: false,
      seed: options.seed,
      graceMs: INTERRUPT_GRACE_MS,
      report: {
        model: reportModel,
        backend: 'http',
        slo: options.slo,
        env,
        successPolicy: { requireDone: options.requireDone },
        nGen: options.dataset.outputLen,
        extension: {},
      },
    };
    // the whole run's schedule and prompts, exactly as one process would build them; the executor
    // keeps this shard's stripe
    const schedule = cell.load.kind === 'open' ? scheduleOf(config, cell, new Map()) : undefined;
    const repeat = await repeatPlan(config, cell, 1, schedule, (w) => say(`[warn] ${w}`));
    const outcome = await executor.runRepeat(
      {
        origin: config.origin,
        path: config.path,
        headers: config.headers,
        body: config.body,
        timeoutMs: config.timeoutMs,
        connections: cell.load.kind === 'closed' ? cell.load.concurrency : (cell.load.maxConcurrency ?? null),
        includeUsage: true,
      },
      repeat,
      (record) => requests.append(JSON.stringify(record)),
      control,
    );
    requests.sync();
    const window = outcome.window;
    const clock = executor.clock;
    if (control.stopped || clock === undefined) {
      throw new GoodputError(
        'INTERRUPTED',
        `shard ${shard.index}/${shard.count} was interrupted; ${dir} holds its partial records`,
      );
    }
    const load: ShardPlan['load'] =
      cell.load.kind === 'closed'
        ? { kind: 'closed', concurrency: cell.load.concurrency }
        : {
            kind: 'open',
            rate_rps: cell.load.rateRps,
            arrivals: schedule?.profile.kind ?? 'poisson',
            ...(cell.load.profile?.kind === 'gamma' ? { burstiness: cell.load.profile.burstiness } : {}),
            ...(cell.load.maxConcurrency === undefined ? {} : { max_concurrency: cell.load.maxConcurrency }),
            ...(schedule?.seed === undefined ? {} : { schedule_seed: schedule.seed }),
            requests: schedule?.offsets_ms.length,
          };
    const identity = { ...datasetIdentity(dataset, { seed: options.seed, tokenizerName: tokenizer.name }) };
    const extension: Record<string, unknown> = {
      tool_version: TOOL_VERSION,
      label: options.label ?? model,
      command_line: commandLine,
      seed: options.seed,
      cell_key: cell.key,
      dataset: identity,
      load,
      warmup_policy: {
        mode: options.warmupMs === undefined ? 'requests' : 'requests_and_seconds',
        requests: options.warmupRequests,
        shape: 'the cell’s own load, dealt over the shards like the measured requests',
        excluded_from_metrics: true,
      },
      server: { base_url: address.display, models: probe.models },
    };
    const plan: ShardPlan = {
      seed: options.seed,
      shards: shard.count,
      cell_key: cell.key,
      scenario: cell.scenario,
      load,
      requests: schedule === undefined ? options.numPrompts : schedule.offsets_ms.length,
      warmup_requests: options.warmupRequests,
      dataset: identity,
      base_url: address.display,
      model: reportModel,
      endpoint: options.endpoint,
      slo: options.slo,
    };
    const manifest: ShardManifest = {
      kind: 'goodput-shard',
      version: SHARD_MANIFEST_VERSION,
      shard: shard.index,
      shards: shard.count,
      plan_hash: shardPlanHash(plan),
      plan,
      start_at_ms: shard.startAtMs,
      clock,
      started_late_ms: executor.startedLateMs,
      window,
      cell: {
        model: reportModel,
        backend: 'http',
        ...(cell.load.kind === 'closed'
          ? { concurrency: cell.load.concurrency }
          : { request_rate: cell.load.rateRps }),
        ...(options.dataset.kind === 'random' ? { n_prompt: options.dataset.inputLen } : {}),
        ...(options.dataset.kind === 'shared-prefix'
          ? { n_prompt: options.dataset.prefixLen + options.dataset.suffixLen }
          : {}),
        n_gen: options.dataset.outputLen,
        env,
        require_done: options.requireDone,
      },
      extension,
      tool_version: TOOL_VERSION,
      command_line: commandLine,
      started_at: startedAt.toISOString(),
      finished_at: new Date().toISOString(),
    };
    writeFileAtomic(join(dir, SHARD_MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    say(
      `shard ${shard.index}/${shard.count}: ${window.expected_requests} of ${plan.requests} requests, started ${executor.startedLateMs.toFixed(2)} ms after --start-at → ${dir} (merge with \`goodput merge\`)`,
    );
    return { dir, interrupted: false };
  } finally {
    removeInterrupt();
    requests.close();
  }
}
