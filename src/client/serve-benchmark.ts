// bench-serve as a library call: for every cell and repeat (cell by cell, or round-robin with
// interleave), build the seeded prompts and arrival schedule, run the repeat on a fresh pool,
// stream every record to the caller, and hand back each cell's BenchReport the moment its last
// repeat finishes. A stop (Ctrl-C) ends the run after the in-flight grace period; only cells whose
// every repeat finished are reported.

import type { Calibration } from '../core/client-health/calibration.js';
import { buildDataset, type PreparedDataset } from '../core/dataset/build-dataset.js';
import type { PromptMeasure } from '../core/dataset/prompt-measure.js';
import { envHash } from '../core/env/canonical-env.js';
import type { AggregationRules } from '../core/metrics/aggregation-rules.js';
import type { SuccessPolicy } from '../core/metrics/request-success.js';
import { buildSchedule, type RateProfile } from '../core/schedule/build-schedule.js';
import type { Schedule } from '../core/schedule/schedule.js';
import type { BenchReport, Env, Scenario, Slo } from '../core/schema/bench-report.js';
import type { GoodputExtension } from '../core/schema/extension.js';
import type { RequestRecord } from '../core/schema/request-record.js';
import { CellRecorder } from './cell-recorder.js';
import { ClientHealthMonitor } from './client-health.js';
import type { RepeatOutcome, RepeatPlan } from './repeat-runner.js';
import { runRepeat } from './repeat-runner.js';
import type { BodyOptions } from './request-body.js';
import { GenerationClient, type GenerationClientOptions } from './request-executor.js';
import type { RunControl } from './run-control.js';
import { scrapeServerMetrics } from './server-metrics.js';
import { SharedPrefixObserver } from './shared-prefix-observer.js';
import type { WorkerLoad } from './worker-pool-protocol.js';

export type CellLoad =
  | { readonly kind: 'closed'; readonly concurrency: number }
  | {
      readonly kind: 'open';
      /** the report's request_rate (for a replayed schedule: its mean rate) */
      readonly rateRps: number;
      /** the arrival process; absent when `replay` gives the offsets */
      readonly profile?: RateProfile;
      /** --schedule-in: these exact offsets for every repeat */
      readonly replay?: Schedule;
      readonly maxConcurrency?: number;
    };

export interface ServeCell {
  /** 0-based position in the run */
  readonly index: number;
  /** the stream key prompts and schedules derive from, e.g. "closed:c=4", "open:rate=2.5" */
  readonly key: string;
  readonly scenario: Scenario;
  readonly load: CellLoad;
  /** this cell's own dataset (a prefix-groups sweep varies it per cell); default the run's */
  readonly dataset?: PreparedDataset;
}

/**
 * Runs repeats somewhere else than on this thread (bench-serve --workers: worker-pool.ts). It gets
 * the client options and the plan a thread would use and hands back the same outcome.
 */
export interface RepeatExecutor {
  runRepeat(
    client: GenerationClientOptions,
    plan: RepeatPlan,
    sink: (record: RequestRecord) => void,
    control: RunControl,
  ): Promise<
    RepeatOutcome & {
      readonly includeUsage: boolean;
      readonly streamOptionsRejected: boolean;
      /** each sending thread's own load over the measured window */
      readonly threads?: readonly WorkerLoad[];
    }
  >;
  readonly inFlightCount: number;
}

export interface ServeBenchmarkConfig {
  readonly origin: string;
  readonly path: string;
  /** flat request headers (may carry the API key) */
  readonly headers: readonly string[];
  readonly body: BodyOptions;
  readonly timeoutMs: number;
  /** the cheap route (from the readiness probe) that pre-opens connections */
  readonly preconnectPath: string;
  /** the server root (origin + path prefix) and the headers of its other routes (/metrics) */
  readonly serverRoot: string;
  readonly rootHeaders: Readonly<Record<string, string>>;
  readonly dataset: PreparedDataset;
  readonly measure: PromptMeasure;
  readonly cells: readonly ServeCell[];
  /** measured requests per repeat (prompts cycled by duration-bounded runs) */
  readonly numPrompts: number;
  readonly durationMs?: number;
  readonly nRepeats: number;
  readonly warmupRequests: number;
  /** keep warming up until this long has passed */
  readonly warmupMs?: number;
  readonly interleave: boolean;
  readonly seed: number;
  /** in-flight requests get this long after a stop before they are aborted */
  readonly graceMs: number;
  /** run each repeat on worker threads instead of this thread */
  readonly executor?: RepeatExecutor;
  /** this machine's client ceiling (goodput calibrate): reports say when a cell came near it */
  readonly calibration?: Calibration;
  readonly report: {
    readonly model: string;
    readonly backend: string;
    readonly slo: Slo;
    readonly env: Env;
    readonly successPolicy: SuccessPolicy;
    readonly rules?: AggregationRules;
    /** requested prompt length; undefined: the rounded mean of the prompts sent (file datasets) */
    readonly nPrompt?: number;
    readonly nGen: number;
    /** run-level extension fields (run id, command line, server identity, …) */
    readonly extension: Partial<GoodputExtension>;
  };
}

export interface RepeatStartInfo {
  readonly cell: ServeCell;
  readonly repeat: number;
  readonly measured: number | undefined;
  readonly warmup: number;
  /** live in-flight count of the repeat's client */
  inFlight(): number;
}

export interface RepeatEndInfo {
  readonly cell: ServeCell;
  readonly repeat: number;
  readonly outcome: RepeatOutcome;
  readonly seconds: number;
}

export interface ServeBenchmarkHooks {
  /** every record, warmup and measured, the moment it is final */
  onRecord(record: RequestRecord, success: boolean): void;
  /** a cell whose every repeat finished */
  onCell(report: BenchReport, cell: ServeCell): void;
  onRepeatStart?(info: RepeatStartInfo): void;
  onRepeatEnd?(info: RepeatEndInfo): void;
  /** dataset notes (lengths within tolerance, sampling with replacement, …) */
  onWarning?(text: string): void;
}

export interface ServeBenchmarkResult {
  /** finished cells in cell order */
  readonly reports: BenchReport[];
  readonly interrupted: boolean;
  /** the server rejected stream_options and the run counted tokens from the stream */
  readonly streamOptionsRejected: boolean;
  /** per cell: the schedule its measured requests followed (open loop) */
  readonly schedules: ReadonlyMap<number, Schedule>;
}

/** Runs the benchmark. Never throws for a failed request (those are records). */
export async function runServeBenchmark(
  config: ServeBenchmarkConfig,
  hooks: ServeBenchmarkHooks,
  control: RunControl,
): Promise<ServeBenchmarkResult> {
  const recorders = config.cells.map(
    () =>
      new CellRecorder(
        { slo: config.report.slo, rules: config.report.rules ?? 'seed' },
        config.report.successPolicy,
      ),
  );
  const warnings = config.cells.map(() => new Set<string>());
  const health = config.cells.map(
    (cell) =>
      new ClientHealthMonitor({
        open: cell.load.kind === 'open',
        capped: cell.load.kind === 'open' && cell.load.maxConcurrency !== undefined,
      }),
  );
  const spec = config.dataset.spec;
  const prefixes = config.cells.map((): SharedPrefixObserver | undefined =>
    spec.kind === 'shared-prefix'
      ? new SharedPrefixObserver(spec.prefixLen, config.report.successPolicy, () =>
          scrapeServerMetrics(config.serverRoot, { headers: { ...config.rootHeaders }, timeoutMs: 5_000 }),
        )
      : undefined,
  );
  const schedules = new Map<number, Schedule>();
  const finished: Array<BenchReport | undefined> = config.cells.map(() => undefined);
  const startedAt = config.cells.map(() => '');
  let includeUsage = true;
  let streamOptionsRejected = false;

  for (const [cell, repeat] of runOrder(config)) {
    if (control.stopped) break;
    if (repeat === 1) startedAt[cell.index] = new Date().toISOString();
    const schedule = cell.load.kind === 'open' ? scheduleOf(config, cell, schedules) : undefined;
    const monitor = health[cell.index] as ClientHealthMonitor;
    const prefix = prefixes[cell.index];
    const plan = {
      ...(await repeatPlan(config, cell, repeat, schedule, (w) => {
        if (!warnings[cell.index]?.has(w)) hooks.onWarning?.(w);
        warnings[cell.index]?.add(w);
      })),
      measuredWindow: {
        start: async () => {
          await prefix?.windowStart();
          monitor.windowStart();
        },
        end: async () => {
          monitor.windowEnd();
          await prefix?.windowEnd();
        },
      },
    };
    const prompts = plan.measured as ReadonlyArray<{ readonly isPrefixFirst?: boolean }>;
    const clientOptions: GenerationClientOptions = {
      origin: config.origin,
      path: config.path,
      headers: config.headers,
      body: config.body,
      timeoutMs: config.timeoutMs,
      connections: connectionsOf(cell.load),
      includeUsage,
    };
    const executor = config.executor;
    const client = executor === undefined ? new GenerationClient(clientOptions) : undefined;
    const recorder = recorders[cell.index] as CellRecorder;
    const measuredCount = plan.load.kind === 'closed' ? plan.load.count : plan.load.offsetsMs.length;
    recorder.beginRepeat(repeat, measuredCount);
    hooks.onRepeatStart?.({
      cell,
      repeat,
      measured: measuredCount,
      warmup: plan.load.kind === 'open' ? plan.load.warmupOffsetsMs.length : plan.warmup.length,
      inFlight: () => client?.inFlightCount ?? executor?.inFlightCount ?? 0,
    });
    const t0 = performance.now();
    const sink = (record: RequestRecord) => {
      if (!record.warmup) {
        monitor.count(record);
        prefix?.add(record, prompts[record.index % prompts.length]?.isPrefixFirst === true);
      }
      hooks.onRecord(record, recorder.add(record));
    };
    let outcome: RepeatOutcome;
    let threads: readonly WorkerLoad[] | undefined;
    if (client !== undefined) {
      try {
        outcome = await runRepeat(client, plan, sink, control);
      } finally {
        includeUsage = client.includeUsage;
        streamOptionsRejected ||= client.streamOptionsRejected;
        await client.close();
      }
    } else {
      const pooled = await (executor as RepeatExecutor).runRepeat(clientOptions, plan, sink, control);
      includeUsage = pooled.includeUsage;
      streamOptionsRejected ||= pooled.streamOptionsRejected;
      outcome = pooled;
      threads = pooled.threads;
    }
    if (control.stopped) break;
    recorder.endRepeat(outcome.window);
    monitor.endRepeat(outcome.window, threads);
    hooks.onRepeatEnd?.({ cell, repeat, outcome, seconds: (performance.now() - t0) / 1000 });
    if (recorder.repeatsDone === config.nRepeats) {
      const report = cellReport(config, cell, recorder, schedule, startedAt[cell.index] as string, [
        ...(warnings[cell.index] ?? []),
      ]);
      if (streamOptionsRejected) markStreamOptionsRejected(report);
      addClientHealth(report, monitor, config.calibration);
      const cellSpec = cell.dataset?.spec ?? spec;
      if (prefix !== undefined && cellSpec.kind === 'shared-prefix' && report.goodput !== undefined) {
        report.goodput.shared_prefix = prefix.summary({
          prefix_tokens: cellSpec.prefixLen,
          suffix_tokens: cellSpec.suffixLen,
          groups: cellSpec.groups,
          warm_prefix: cellSpec.warmPrefix,
        });
      }
      finished[cell.index] = report;
      hooks.onCell(report, cell);
    }
  }
  return {
    reports: finished.filter((r): r is BenchReport => r !== undefined),
    interrupted: control.stopped,
    streamOptionsRejected,
    schedules,
  };
}

/** (cell, repeat) pairs: all repeats of a cell in turn, or round-robin (A B A B…) with interleave. */
function* runOrder(config: ServeBenchmarkConfig): Generator<[ServeCell, number]> {
  if (config.interleave) {
    for (let r = 1; r <= config.nRepeats; r++) for (const cell of config.cells) yield [cell, r];
  } else {
    for (const cell of config.cells) for (let r = 1; r <= config.nRepeats; r++) yield [cell, r];
  }
}

function connectionsOf(load: CellLoad): number | null {
  if (load.kind === 'closed') return load.concurrency;
  return load.maxConcurrency ?? null;
}

/** One schedule per open cell, shared by its repeats (so --schedule-out / --schedule-in replay a whole run). */
export function scheduleOf(
  config: ServeBenchmarkConfig,
  cell: ServeCell,
  cache: Map<number, Schedule>,
): Schedule {
  const cached = cache.get(cell.index);
  if (cached !== undefined) return cached;
  const load = cell.load as Extract<CellLoad, { kind: 'open' }>;
  const bound =
    config.durationMs === undefined ? { count: config.numPrompts } : { durationMs: config.durationMs };
  const schedule =
    load.replay ?? buildSchedule(load.profile as RateProfile, { seed: config.seed, cell: cell.key }, bound);
  cache.set(cell.index, schedule);
  return schedule;
}

/** The plan of one (cell, repeat): its seeded prompts, warmup and measured load, preconnect (also a shard's input). */
export async function repeatPlan(
  config: ServeBenchmarkConfig,
  cell: ServeCell,
  repeat: number,
  schedule: Schedule | undefined,
  warn: (text: string) => void,
): Promise<RepeatPlan> {
  const load = cell.load;
  let warmupOffsets: number[] = [];
  if (load.kind === 'open') {
    // warmup at the cell's own arrival process, from its own stream
    const profile: RateProfile = load.profile ?? { kind: 'constant', rateRps: load.rateRps };
    const at = { seed: config.seed, cell: `${cell.key}/warmup`, repeat };
    if (config.warmupMs !== undefined)
      warmupOffsets = buildSchedule(profile, at, { durationMs: config.warmupMs }).offsets_ms;
    if (warmupOffsets.length < config.warmupRequests) {
      warmupOffsets =
        config.warmupRequests === 0
          ? []
          : buildSchedule(profile, at, { count: config.warmupRequests }).offsets_ms;
    }
  }
  const measuredCount =
    schedule !== undefined
      ? schedule.offsets_ms.length
      : config.durationMs === undefined
        ? config.numPrompts
        : undefined;
  const built = await buildDataset(cell.dataset ?? config.dataset, {
    ...config.measure,
    seed: config.seed,
    cellKey: cell.key,
    repeat,
    // duration-bounded and long schedules cycle through at most --num-prompts prompts
    numPrompts: Math.max(1, Math.min(measuredCount ?? config.numPrompts, config.numPrompts)),
    warmupPrompts:
      load.kind === 'open'
        ? Math.min(warmupOffsets.length, Math.max(config.warmupRequests, 1))
        : config.warmupRequests,
  });
  for (const w of built.warnings) warn(w);
  const common = {
    cellIndex: cell.index,
    cellKey: cell.key,
    repeat,
    measured: built.measured,
    warmup: built.warmup,
    graceMs: config.graceMs,
  };
  if (load.kind === 'closed') {
    return {
      ...common,
      load: {
        kind: 'closed',
        concurrency: load.concurrency,
        ...(config.durationMs === undefined
          ? { count: config.numPrompts }
          : { durationMs: config.durationMs }),
      },
      ...(config.warmupMs === undefined ? {} : { warmupMinMs: config.warmupMs }),
      preconnect: { count: load.concurrency, path: config.preconnectPath },
    };
  }
  return {
    ...common,
    load: {
      kind: 'open',
      offsetsMs: (schedule as Schedule).offsets_ms,
      warmupOffsetsMs: warmupOffsets,
      ...(load.maxConcurrency === undefined ? {} : { maxConcurrency: load.maxConcurrency }),
    },
    // an open loop without a cap cannot know its peak; warm what one second of arrivals needs
    preconnect: {
      count: load.maxConcurrency ?? Math.max(1, Math.min(64, Math.ceil(load.rateRps))),
      path: config.preconnectPath,
    },
  };
}

function cellReport(
  config: ServeBenchmarkConfig,
  cell: ServeCell,
  recorder: CellRecorder,
  schedule: Schedule | undefined,
  startedAt: string,
  datasetWarnings: string[],
): BenchReport {
  const r = config.report;
  const load = cell.load;
  const loadExt: Record<string, unknown> =
    load.kind === 'closed'
      ? { kind: 'closed', concurrency: load.concurrency }
      : {
          kind: 'open',
          rate_rps: load.rateRps,
          arrivals: schedule?.profile.kind ?? 'poisson',
          ...(load.profile?.kind === 'gamma' ? { burstiness: load.profile.burstiness } : {}),
          ...(load.maxConcurrency === undefined ? {} : { max_concurrency: load.maxConcurrency }),
          ...(schedule?.seed === undefined ? {} : { schedule_seed: schedule.seed }),
          requests: schedule?.offsets_ms.length,
        };
  if (config.durationMs !== undefined) loadExt.duration_s = config.durationMs / 1000;
  const base = r.extension;
  const extension: Partial<GoodputExtension> = {
    ...base,
    cell_key: cell.key,
    started_at: startedAt,
    finished_at: new Date().toISOString(),
    seed: config.seed,
    load: loadExt as GoodputExtension['load'],
    warnings: [...(base.warnings ?? []), ...datasetWarnings],
  };
  return recorder.report({
    model: r.model,
    backend: r.backend,
    scenario: cell.scenario,
    ...(load.kind === 'closed' ? { concurrency: load.concurrency } : { requestRate: load.rateRps }),
    ...(r.nPrompt === undefined ? {} : { nPrompt: r.nPrompt }),
    nGen: r.nGen,
    warmupRequests: config.warmupRequests,
    slo: r.slo,
    env: r.env,
    envHash,
    ...(r.rules === undefined ? {} : { rules: r.rules }),
    extension,
  });
}

/** The `client` block: the monitor's samples, metrics' client queue time (the open-loop dispatch lag) and the calibration. */
function addClientHealth(report: BenchReport, monitor: ClientHealthMonitor, calibration?: Calibration): void {
  const ext = report.goodput;
  if (ext === undefined) return;
  const queue = (
    ext.phases as
      | Record<string, { p50?: number; p99?: number; max?: number; n?: number } | undefined>
      | undefined
  )?.client_queue_ms;
  ext.client = monitor.health(queue, calibration);
}

function markStreamOptionsRejected(report: BenchReport): void {
  const ext = report.goodput;
  if (ext === undefined) return;
  ext.tokens = { output_sources: {}, mismatched_requests: 0, ...ext.tokens, stream_options_rejected: true };
}
