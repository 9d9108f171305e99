// bench-serve as a library call: runs every (cell, repeat) in turn, or round-robin with interleave,
// on a fresh client or the executor, streams each record to the caller and hands back each cell's
// report when its last repeat ends; after a stop (Ctrl-C) only cells whose every repeat finished count.

import type { Schedule } from '../core/schedule/schedule.js';
import type { BenchReport } from '../core/schema/bench-report.js';
import type { RequestRecord } from '../core/schema/request-record.js';
import { CellRecorder } from './cell-recorder.js';
import { ClientHealthMonitor } from './client-health.js';
import type { RepeatOutcome } from './repeat-runner.js';
import { runRepeat } from './repeat-runner.js';
import { GenerationClient, type GenerationClientOptions } from './request-executor.js';
import type { RunControl } from './run-control.js';
import type { CellLoad, RepeatExecutor, ServeBenchmarkConfig, ServeCell } from './serve-benchmark-config.js';
import { cellReport } from './serve-cell-report.js';
import { repeatPlan, scheduleOf } from './serve-repeat-plan.js';
import { scrapeServerMetrics } from './server-metrics.js';
import { SharedPrefixObserver } from './shared-prefix-observer.js';
import type { WorkerLoad } from './worker-pool-protocol.js';

export type {
  CellLoad,
  RepeatExecutor,
  ServeBenchmarkConfig,
  ServeCell,
} from './serve-benchmark-config.js';
export { repeatPlan, scheduleOf } from './serve-repeat-plan.js';

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
      const report = cellReport(config, cell, {
        recorder,
        monitor,
        prefix,
        schedule,
        startedAt: startedAt[cell.index] as string,
        datasetWarnings: [...(warnings[cell.index] ?? [])],
        streamOptionsRejected,
      });
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
