// Options of the simulated server (library and CLI share them) and their resolution into one
// validated configuration: preset + profile overrides, fault plan, seed, model name, bind address.

import { GoodputError } from '../core/errors.js';
import { type FaultPlan, parseFaultSpec } from '../core/sim/fault-plan.js';
import { DEFAULT_SIM_PRESET, simPreset } from '../core/sim/presets.js';
import { resolveProfile, type SimProfile, type SimProfileOverrides } from '../core/sim/profile.js';

export interface SimulatorOptions {
  /** bind address; default 127.0.0.1. Anything not loopback also needs allowRemote */
  host?: string;
  /** TCP port; default 0 = a free port chosen by the OS */
  port?: number;
  /** a preset name (tiny, small-gpu, large-slow, instant); default tiny */
  preset?: string;
  /** overrides of single profile fields on top of the preset */
  profile?: SimProfileOverrides;
  /** seed of every random choice (jitter, EOS points, words, rate faults); default 0 */
  seed?: number;
  /** fault spec (`http_500:0.05,stall@3`) or an already parsed plan */
  faults?: string | FaultPlan;
  /** the served model name; default "goodput-sim" */
  model?: string;
  /** stream the ground truth of every request to this JSONL file */
  truthLogPath?: string;
  /** keep the ground truth in memory too (handle.truth) */
  recordTruth?: boolean;
  /** required to bind an address that is not loopback */
  allowRemote?: boolean;
}

export interface SimulatorConfig {
  host: string;
  port: number;
  preset: string;
  profile: SimProfile;
  seed: number;
  faults: FaultPlan;
  model: string;
  truthLogPath: string | undefined;
  recordTruth: boolean;
}

export const DEFAULT_SIM_MODEL = 'goodput-sim';
export const DEFAULT_SIM_HOST = '127.0.0.1';

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export function resolveSimulatorConfig(options: SimulatorOptions): SimulatorConfig {
  const host = options.host ?? DEFAULT_SIM_HOST;
  if (!isLoopbackHost(host) && options.allowRemote !== true) {
    throw new GoodputError('USAGE', `--host ${host}: not a loopback address`, {
      hint: 'the simulator binds 127.0.0.1 by default; add --allow-remote to expose it on another address',
    });
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new GoodputError('USAGE', `--port ${port}: expected an integer from 0 to 65535`, {
      hint: 'use --port 0 to let the OS pick a free port',
    });
  }
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new GoodputError('USAGE', `--seed ${seed}: expected a non-negative integer`, {
      hint: 'for example --seed 42',
    });
  }
  const model = options.model ?? DEFAULT_SIM_MODEL;
  if (model.trim() === '')
    throw new GoodputError('USAGE', '--model: the model name is empty', { hint: '--model my-model' });
  const preset = options.preset ?? DEFAULT_SIM_PRESET;
  const profile = resolveProfile(simPreset(preset), options.profile ?? {}, 'profile');
  const faults =
    typeof options.faults === 'string' || options.faults === undefined
      ? parseFaultSpec(options.faults)
      : options.faults;
  return {
    host,
    port,
    preset,
    profile,
    seed,
    faults,
    model,
    truthLogPath: options.truthLogPath,
    recordTruth: options.recordTruth === true,
  };
}
