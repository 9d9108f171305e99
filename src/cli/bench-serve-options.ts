// bench-serve's command line → one validated options object. Every flag is checked before any
// request is sent, group by group (bench-serve-*-flags.ts); every problem is reported together,
// each naming its flag; files named by flags are read here.

import type { Endpoint } from '../client/target.js';
import type { DatasetSpec } from '../core/dataset/dataset-spec.js';
import type { Slo } from '../core/schema/bench-report.js';
import { datasetFlags } from './bench-serve-dataset-flags.js';
import { FlagValidation } from './bench-serve-flag-validation.js';
import { parseIntFlag } from './bench-serve-flag-values.js';
import { type IdentityFlags, identityFlags } from './bench-serve-identity-flags.js';
import { type LoadFlags, loadFlags } from './bench-serve-load-flags.js';
import { type OutputFlags, outputFlags } from './bench-serve-output-flags.js';
import { type ErrorPolicyFlags, errorPolicyFlags, sloFlag } from './bench-serve-policy-flags.js';
import type { RawBenchServeOptions } from './bench-serve-raw-options.js';
import { type RunFlags, runFlags } from './bench-serve-run-flags.js';
import { type SimFlags, simFlags } from './bench-serve-sim-flags.js';
import { type TargetFlags, targetFlags } from './bench-serve-target-flags.js';

export { splitArgs } from './bench-serve-identity-flags.js';
export type { CellFlag } from './bench-serve-load-flags.js';
export { BENCH_SERVE_DEFAULTS, type RawBenchServeOptions } from './bench-serve-raw-options.js';
export { BENCH_SERVE_SIM_PRESET } from './bench-serve-sim-flags.js';

export interface BenchServeOptions
  extends Omit<TargetFlags, 'endpoint'>,
    SimFlags,
    LoadFlags,
    RunFlags,
    ErrorPolicyFlags,
    OutputFlags,
    IdentityFlags {
  readonly endpoint: Endpoint;
  readonly dataset: DatasetSpec;
  /** default, server, or the resolved path of a tokenizer.json or its directory */
  readonly tokenizer: string;
  readonly slo: Slo;
  readonly seed: number;
}

/**
 * Validates every flag. `cwd` resolves paths; `env` holds the API key variable. Throws one USAGE
 * GoodputError listing every problem.
 */
export function validateBenchServeOptions(
  raw: RawBenchServeOptions,
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): BenchServeOptions {
  const v = new FlagValidation(cwd);
  // the order of the groups is the order their problems are listed in
  const { endpoint, ...target } = targetFlags(raw, env, v);
  const sim = simFlags(raw, target.address, v);
  const data = datasetFlags(raw, target.address, v);
  const load = loadFlags(raw, data, v);
  const run = runFlags(raw, load.cells, v);
  const slo = sloFlag(raw, v);
  const seed = v.take(parseIntFlag('--seed', raw.seed, 0, Number.MAX_SAFE_INTEGER), 0);
  const errorPolicy = errorPolicyFlags(raw, v);
  const output = outputFlags(raw, load.cells, v);
  const identity = identityFlags(raw, v);
  v.throwIfAny();
  return {
    ...target,
    endpoint: endpoint as Endpoint,
    dataset: data.dataset as DatasetSpec,
    tokenizer: data.tokenizer,
    ...load,
    ...run,
    slo,
    seed,
    ...errorPolicy,
    ...output,
    ...identity,
    ...sim,
  };
}
