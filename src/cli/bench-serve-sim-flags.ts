// bench-serve's flags for the built-in simulator it starts without --base-url: --sim-preset,
// --sim-faults and --sim-set, each refused next to --base-url.

import type { ServerAddress } from '../client/target.js';
import { parseFaultSpec } from '../core/sim/fault-plan.js';
import { SIM_PRESET_NAMES, type SimPresetName, simPreset } from '../core/sim/presets.js';
import { parseProfileAssignments, resolveProfile, type SimProfileOverrides } from '../core/sim/profile.js';
import type { FlagValidation } from './bench-serve-flag-validation.js';
import type { RawBenchServeOptions } from './bench-serve-raw-options.js';

/** The built-in simulator's preset when bench-serve starts it: an 8B-on-one-GPU-like model, so the
 * default run looks like a real engine (tiny's ~1 ms steps are faster than a 2-core client can
 * time cleanly at c = 32, and a demo of coalesced reads is not what a first run should show). */
export const BENCH_SERVE_SIM_PRESET: SimPresetName = 'small-gpu';

export interface SimFlags {
  /** set only when bench-serve starts the simulator (no --base-url) */
  readonly simPreset?: string;
  readonly simFaults?: string;
  /** --sim-set: profile fields of the built-in simulator over its preset */
  readonly simProfile?: SimProfileOverrides;
}

/** The simulator flags; `address` is --base-url's server, if any. Problems go to `v`. */
export function simFlags(
  raw: RawBenchServeOptions,
  address: ServerAddress | undefined,
  v: FlagValidation,
): SimFlags {
  if (address !== undefined && (raw.simPreset !== undefined || raw.simFaults !== undefined)) {
    v.push('--sim-preset and --sim-faults configure the built-in simulator: drop them or drop --base-url');
  }
  if (raw.simPreset !== undefined && !(SIM_PRESET_NAMES as readonly string[]).includes(raw.simPreset)) {
    v.push(`--sim-preset ${JSON.stringify(raw.simPreset)}: choose one of ${SIM_PRESET_NAMES.join(', ')}`);
  }
  if (raw.simFaults !== undefined) {
    try {
      parseFaultSpec(raw.simFaults);
    } catch (e) {
      v.push((e as Error).message.replace(/^--faults/, '--sim-faults'));
    }
  }
  let simProfile: SimProfileOverrides | undefined;
  if (raw.simSet !== undefined && raw.simSet.length > 0) {
    if (address !== undefined)
      v.push('--sim-set configures the built-in simulator: drop it or drop --base-url');
    try {
      simProfile = parseProfileAssignments(raw.simSet);
      const preset = (SIM_PRESET_NAMES as readonly string[]).includes(raw.simPreset ?? '')
        ? (raw.simPreset as string)
        : BENCH_SERVE_SIM_PRESET;
      resolveProfile(simPreset(preset), simProfile, '--sim-set', 'USAGE');
    } catch (e) {
      v.push((e as Error).message.replace(/^--set/, '--sim-set'));
    }
  }
  return {
    ...(address === undefined ? { simPreset: raw.simPreset ?? BENCH_SERVE_SIM_PRESET } : {}),
    ...(raw.simFaults === undefined ? {} : { simFaults: raw.simFaults }),
    ...(simProfile === undefined ? {} : { simProfile }),
  };
}
