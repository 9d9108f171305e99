// bench-serve --shard i/N --start-at T (SPEC §9): runs this shard's stripe of the one seeded plan
// against --base-url and writes, into its --out-dir, the raw request records (requests.jsonl) and
// the shard manifest (shard.json: plan and its hash, start, clock anchor, window). It makes no
// claim about the whole run: `goodput merge` computes the one report from every shard.

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { probeServer } from '../client/readiness.js';
import { RunControl } from '../client/run-control.js';
import { runServeBenchmark } from '../client/serve-benchmark.js';
import { ShardExecutor } from '../client/shard-executor.js';
import { endpointPath, requestHeaders } from '../client/target.js';
import { prepareDataset } from '../core/dataset/build-dataset.js';
import { datasetIdentity } from '../core/dataset/dataset-identity.js';
import { GoodputError } from '../core/errors.js';
import type { BenchReport } from '../core/schema/bench-report.js';
import type { RepeatWindow } from '../core/schema/request-record.js';
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
import { INTERRUPT_GRACE_MS, readDatasetFile, redactArgv, serveCells } from './bench-serve-session.js';
import type { CliIo } from './io.js';
import { TOOL_VERSION } from './version.js';

/** The run-level extension fields a shard hands to merge (the computed ones are merge's). */
const RUN_FIELDS = [
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
    const headers: Record<string, string> = { ...options.headers };
    if (options.apiKey !== undefined) headers.authorization = `Bearer ${options.apiKey}`;
    const probe = await probeServer(address, { timeoutMs: options.readyTimeoutMs, headers });
    const model = options.model ?? probe.models[0];
    if (model === undefined)
      throw new GoodputError('SERVER_INCOMPATIBLE', `${address.display} lists no model at /v1/models`, {
        hint: 'pass --model NAME',
      });
    const reportModel = options.tag === undefined ? model : `${model}#${options.tag}`;
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
    let window: RepeatWindow | undefined;
    let report: BenchReport | undefined;
    const cells = serveCells(options);
    const result = await runServeBenchmark(
      {
        origin: address.origin,
        path: endpointPath(address, options.endpoint),
        headers: requestHeaders(options.headers, options.apiKey),
        body: {
          endpoint: options.endpoint,
          model,
          ...(options.enableThinking === undefined ? {} : { enableThinking: options.enableThinking }),
          ignoreEos: options.ignoreEos,
          ...(options.extraBody === undefined ? {} : { extraBody: options.extraBody }),
        },
        timeoutMs: options.timeoutMs,
        preconnectPath: probe.readyPath,
        serverRoot: `${address.origin}${address.prefix}`,
        rootHeaders: headers,
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
        executor,
        report: {
          model: reportModel,
          backend: 'http',
          slo: options.slo,
          env,
          successPolicy: { requireDone: options.requireDone },
          ...(options.dataset.kind === 'random' ? { nPrompt: options.dataset.inputLen } : {}),
          ...(options.dataset.kind === 'shared-prefix'
            ? { nPrompt: options.dataset.prefixLen + options.dataset.suffixLen }
            : {}),
          nGen: options.dataset.outputLen,
          extension: {
            tool_version: TOOL_VERSION,
            run_id: `shard-${randomBytes(3).toString('hex')}`,
            label: options.label ?? model,
            command_line: commandLine,
            dataset: { ...datasetIdentity(dataset, { seed: options.seed, tokenizerName: tokenizer.name }) },
            warmup_policy: {
              mode: options.warmupMs === undefined ? 'requests' : 'requests_and_seconds',
              requests: options.warmupRequests,
              shape: 'the cell’s own load, dealt over the shards like the measured requests',
              excluded_from_metrics: true,
            },
            server: { base_url: address.display, models: probe.models },
          },
        },
      },
      {
        onRecord: (record) => requests.append(JSON.stringify(record)),
        onRepeatEnd: (info) => {
          window = info.outcome.window;
        },
        onCell: (r) => {
          report = r;
        },
        onWarning: (text) => say(`[warn] ${text}`),
      },
      control,
    );
    requests.sync();
    const cell = cells[0];
    const clock = executor.clock;
    if (
      result.interrupted ||
      window === undefined ||
      report === undefined ||
      cell === undefined ||
      clock === undefined
    ) {
      throw new GoodputError(
        'INTERRUPTED',
        `shard ${shard.index}/${shard.count} was interrupted; ${dir} holds its partial records`,
      );
    }
    const ext = (report as BenchReport).goodput as Record<string, unknown>;
    const extension = Object.fromEntries(
      RUN_FIELDS.filter((k) => ext[k] !== undefined).map((k) => [k, ext[k]]),
    );
    const load = ext.load as ShardPlan['load'];
    const plan: ShardPlan = {
      seed: options.seed,
      shards: shard.count,
      cell_key: cell.key,
      scenario: cell.scenario,
      load,
      requests: cell.load.kind === 'closed' ? options.numPrompts : Number(load.requests),
      warmup_requests: options.warmupRequests,
      dataset: ext.dataset as ShardPlan['dataset'],
      base_url: address.display,
      model: reportModel,
      endpoint: options.endpoint,
      slo: options.slo,
    };
    const r = report as BenchReport;
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
        ...(r.concurrency === undefined ? {} : { concurrency: r.concurrency }),
        ...(r.request_rate === undefined ? {} : { request_rate: r.request_rate }),
        ...(options.dataset.kind === 'random' || options.dataset.kind === 'shared-prefix'
          ? { n_prompt: r.n_prompt }
          : {}),
        n_gen: r.n_gen,
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
