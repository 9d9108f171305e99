// Captures the Env block of a report on this host, with ferrum's sources and rules (ferrum-behaviour
// §4.1, §4.3): git for the commit, nvidia-smi / nvcc for the GPU, /proc/cpuinfo or sysctl for the
// CPU, FERRUM_* variables. What cannot be detected is omitted, never invented.

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import {
  cudaFromNvcc,
  hwIdFromCpuBrand,
  hwIdFromCpuinfo,
  hwIdFromGpuName,
  nvidiaSmiValue,
  parseU32,
  powerLimitW,
} from '../core/env/hw-id.js';
import { ferrumEnvFrom, runtimeConfigFromEnv } from '../core/env/runtime-config.js';
import type { Env } from '../core/schema/bench-report.js';

export interface CaptureEnvOptions {
  /** `--commit-sha`: used as is instead of asking git */
  readonly commitSha?: string;
  /** `--hw-id`: used as is instead of the detection heuristic */
  readonly hwId?: string;
  /** where `git rev-parse` runs (ferrum: the current directory at bench time) */
  readonly cwd: string;
  /** the environment: FERRUM_* variables are recorded, PATH finds git / nvidia-smi / nvcc */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** the CPU description read on Linux; defaults to /proc/cpuinfo */
  readonly cpuinfoPath?: string;
}

/** Each external command gets this long; a hung nvidia-smi must not hang the benchmark. */
const COMMAND_TIMEOUT_MS = 10_000;

interface CommandResult {
  /** false when the program could not be started at all (not installed) */
  readonly started: boolean;
  readonly exitCode: number;
  readonly stdout: string;
}

function run(program: string, args: readonly string[], opts: CaptureEnvOptions): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      program,
      [...args],
      {
        cwd: opts.cwd,
        env: { ...opts.env },
        timeout: COMMAND_TIMEOUT_MS,
        encoding: 'utf8',
        windowsHide: true,
      },
      (error, stdout) => {
        if (error === null) return resolve({ started: true, exitCode: 0, stdout });
        const code = (error as NodeJS.ErrnoException).code;
        if (typeof code === 'string') return resolve({ started: false, exitCode: -1, stdout: '' });
        resolve({ started: true, exitCode: typeof code === 'number' ? code : 1, stdout: stdout ?? '' });
      },
    );
  });
}

/** nvidia-smi's first-GPU answer for one field; undefined when absent, failing or unsupported. */
async function nvidiaSmi(field: string, opts: CaptureEnvOptions): Promise<string | undefined> {
  const result = await run('nvidia-smi', [`--query-gpu=${field}`, '--format=csv,noheader,nounits'], opts);
  if (!result.started || result.exitCode !== 0) return undefined;
  return nvidiaSmiValue(result.stdout);
}

/**
 * `git rev-parse --short HEAD` in cwd, as ferrum: its trimmed stdout even when git fails (so outside
 * a repository the commit is ""), and "unknown" only when git cannot be started.
 */
async function gitCommit(opts: CaptureEnvOptions): Promise<string> {
  const result = await run('git', ['rev-parse', '--short', 'HEAD'], opts);
  return result.started ? result.stdout.trim() : 'unknown';
}

async function detectHwId(gpuName: string | undefined, opts: CaptureEnvOptions): Promise<string> {
  const fromGpu = gpuName === undefined ? undefined : hwIdFromGpuName(gpuName);
  if (fromGpu !== undefined) return fromGpu;
  if (process.platform === 'darwin') {
    const brand = await run('sysctl', ['-n', 'machdep.cpu.brand_string'], opts);
    if (brand.started) return hwIdFromCpuBrand(brand.stdout);
  }
  try {
    const fromCpu = hwIdFromCpuinfo(await readFile(opts.cpuinfoPath ?? '/proc/cpuinfo', 'utf8'));
    if (fromCpu !== undefined) return fromCpu;
  } catch {
    // no /proc/cpuinfo (not Linux): fall through to "unknown", as ferrum
  }
  return 'unknown';
}

async function detectCuda(opts: CaptureEnvOptions): Promise<string | undefined> {
  const nvcc = await run('nvcc', ['--version'], opts);
  return (nvcc.started ? cudaFromNvcc(nvcc.stdout) : undefined) ?? (await nvidiaSmi('cuda_version', opts));
}

/**
 * The Env of this host. `rust` names the JavaScript runtime (`node-<version>`); `ferrum_features`
 * is empty (goodput has no build features); `ferrum_env` and `runtime_config` come from the
 * FERRUM_* variables of `opts.env`; GPU fields only when nvidia-smi answers.
 */
export async function captureEnv(opts: CaptureEnvOptions): Promise<Env> {
  const [commit, gpuName, driver, cuda, clock, power, persistence] = await Promise.all([
    opts.commitSha === undefined ? gitCommit(opts) : Promise.resolve(opts.commitSha),
    opts.hwId === undefined ? nvidiaSmi('name', opts) : Promise.resolve(undefined),
    nvidiaSmi('driver_version', opts),
    detectCuda(opts),
    nvidiaSmi('clocks.gr', opts),
    nvidiaSmi('power.limit', opts),
    nvidiaSmi('persistence_mode', opts),
  ]);
  const env: Env = {
    commit_sha: commit,
    hw_id: opts.hwId ?? (await detectHwId(gpuName, opts)),
    rust: `node-${process.versions.node}`,
    ferrum_features: [],
    ferrum_env: ferrumEnvFrom(opts.env),
    runtime_config: runtimeConfigFromEnv(opts.env),
  };
  // declared order is applied by the writer; here only presence matters
  if (driver !== undefined) env.driver = driver;
  if (cuda !== undefined) env.cuda = cuda;
  const clockMhz = parseU32(clock);
  if (clockMhz !== undefined) env.gpu_clock_lock_mhz = clockMhz;
  const powerW = powerLimitW(power);
  if (powerW !== undefined) env.gpu_power_limit_w = powerW;
  if (persistence !== undefined) env.gpu_persistence_mode = persistence === 'Enabled';
  return env;
}
