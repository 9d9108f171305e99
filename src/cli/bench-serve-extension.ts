// The run-level goodput extension every cell of one bench-serve run carries: who ran what (tool,
// run id, label, redacted command line), the dataset identity, the warmup policy and the server's
// identity as probed (with the built-in simulator's preset and faults when it was the target).

import type { ServerProbe } from '../client/readiness.js';
import type { ServerAddress } from '../client/target.js';
import type { PreparedDataset } from '../core/dataset/build-dataset.js';
import { datasetIdentity } from '../core/dataset/dataset-identity.js';
import type { GoodputExtension } from '../core/schema/extension.js';
import type { BenchServeOptions } from './bench-serve-options.js';
import { redactServerArgs, redactServerEnv } from './bench-serve-redaction.js';
import { TOOL_VERSION } from './version.js';

export interface RunIdentity {
  readonly runId: string;
  readonly label: string;
  /** already redacted (redactArgv) */
  readonly commandLine: string[];
  readonly dataset: PreparedDataset;
  readonly tokenizerName: string;
  readonly address: ServerAddress;
  readonly probe: ServerProbe;
  /** true when the target is the built-in simulator bench-serve started */
  readonly builtInSimulator: boolean;
}

/** The extension fields shared by every cell of the run (the per-cell ones are the client's). */
export function serveExtension(options: BenchServeOptions, run: RunIdentity): Partial<GoodputExtension> {
  const { probe } = run;
  return {
    tool_version: TOOL_VERSION,
    run_id: run.runId,
    label: run.label,
    command_line: run.commandLine,
    dataset: { ...datasetIdentity(run.dataset, { seed: options.seed, tokenizerName: run.tokenizerName }) },
    warmup_policy: {
      mode: options.warmupMs === undefined ? 'requests' : 'requests_and_seconds',
      requests: options.warmupRequests,
      ...(options.warmupMs === undefined ? {} : { seconds: options.warmupMs / 1000 }),
      shape: 'the cell’s own load (same concurrency or arrival process)',
      on_error: options.warmupErrorsFail ? 'fail' : 'warn',
      excluded_from_metrics: true,
    },
    server: {
      base_url: run.address.display,
      models: probe.models,
      ...(probe.version === undefined ? {} : { version: probe.version }),
      ...(probe.serverHeader === undefined ? {} : { server_header: probe.serverHeader }),
      ...(options.serverArgs === undefined ? {} : { server_args: redactServerArgs(options.serverArgs) }),
      ...(Object.keys(options.serverEnv).length === 0
        ? {}
        : { server_env: redactServerEnv(options.serverEnv) }),
      ...(run.builtInSimulator
        ? {
            simulator: {
              preset: options.simPreset,
              faults: options.simFaults ?? '',
              ...(options.simProfile === undefined ? {} : { profile_overrides: options.simProfile }),
            },
          }
        : {}),
    },
  };
}
