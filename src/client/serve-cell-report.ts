// The BenchReport of one finished bench-serve cell: the recorder's report with the cell's load,
// seed and times in the extension, plus the client-health block, the stream_options note and the
// shared-prefix summary gathered while its repeats ran.

import type { Calibration } from '../core/client-health/calibration.js';
import { envHash } from '../core/env/canonical-env.js';
import type { Schedule } from '../core/schedule/schedule.js';
import type { BenchReport } from '../core/schema/bench-report.js';
import type { GoodputExtension } from '../core/schema/extension.js';
import type { CellRecorder } from './cell-recorder.js';
import type { ClientHealthMonitor } from './client-health.js';
import type { ServeBenchmarkConfig, ServeCell } from './serve-benchmark-config.js';
import type { SharedPrefixObserver } from './shared-prefix-observer.js';

/** What a cell gathered over its repeats. */
export interface CellRun {
  readonly recorder: CellRecorder;
  readonly monitor: ClientHealthMonitor;
  /** shared-prefix datasets only */
  readonly prefix: SharedPrefixObserver | undefined;
  /** open loop: the schedule every repeat followed */
  readonly schedule: Schedule | undefined;
  /** ISO time the cell's first repeat started */
  readonly startedAt: string;
  /** the dataset's notes, each once */
  readonly datasetWarnings: string[];
  /** the server rejected stream_options in this run so far */
  readonly streamOptionsRejected: boolean;
}

/** The report of a cell whose every repeat finished; its finished_at is now. */
export function cellReport(config: ServeBenchmarkConfig, cell: ServeCell, run: CellRun): BenchReport {
  const report = recorderReport(config, cell, run);
  if (run.streamOptionsRejected) markStreamOptionsRejected(report);
  addClientHealth(report, run.monitor, config.calibration);
  const spec = cell.dataset?.spec ?? config.dataset.spec;
  if (run.prefix !== undefined && spec.kind === 'shared-prefix' && report.goodput !== undefined) {
    report.goodput.shared_prefix = run.prefix.summary({
      prefix_tokens: spec.prefixLen,
      suffix_tokens: spec.suffixLen,
      groups: spec.groups,
      warm_prefix: spec.warmPrefix,
    });
  }
  return report;
}

function recorderReport(config: ServeBenchmarkConfig, cell: ServeCell, run: CellRun): BenchReport {
  const r = config.report;
  const load = cell.load;
  const schedule = run.schedule;
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
    started_at: run.startedAt,
    finished_at: new Date().toISOString(),
    seed: config.seed,
    load: loadExt as GoodputExtension['load'],
    warnings: [...(base.warnings ?? []), ...run.datasetWarnings],
  };
  return run.recorder.report({
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
