// What a bench-serve run is given: its cells and their loads, the client and dataset settings, the
// repeat and warmup counts, the report's fixed fields, and where repeats run (RepeatExecutor).

import type { Calibration } from '../core/client-health/calibration.js';
import type { PreparedDataset } from '../core/dataset/build-dataset.js';
import type { PromptMeasure } from '../core/dataset/prompt-measure.js';
import type { AggregationRules } from '../core/metrics/aggregation-rules.js';
import type { SuccessPolicy } from '../core/metrics/request-success.js';
import type { RateProfile } from '../core/schedule/build-schedule.js';
import type { Schedule } from '../core/schedule/schedule.js';
import type { Env, Scenario, Slo } from '../core/schema/bench-report.js';
import type { GoodputExtension } from '../core/schema/extension.js';
import type { RequestRecord } from '../core/schema/request-record.js';
import type { RepeatOutcome, RepeatPlan } from './repeat-runner.js';
import type { BodyOptions } from './request-body.js';
import type { GenerationClientOptions } from './request-executor.js';
import type { RunControl } from './run-control.js';
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
