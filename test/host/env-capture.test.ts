import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envHash } from '../../src/core/env/canonical-env.js';
import { captureEnv } from '../../src/host/env-capture.js';

// Real processes, not mocks: fake `nvidia-smi` / `nvcc` scripts on a PATH we control, a real git
// repository in a temp dir, a cpuinfo file. The machine's own tools are kept off that PATH.
let root: string;
let gpuBin: string;
let failingBin: string;
let emptyBin: string;
let repo: string;
let cpuinfo: string;
const gitPath = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();

function script(dir: string, name: string, body: string): void {
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'goodput-env-'));
  gpuBin = join(root, 'gpu-bin');
  failingBin = join(root, 'failing-bin');
  emptyBin = join(root, 'empty-bin');
  for (const d of [gpuBin, failingBin, emptyBin]) mkdirSync(d);
  script(
    gpuBin,
    'nvidia-smi',
    `case "$1" in
  --query-gpu=name) printf 'NVIDIA GeForce RTX 4090\\nNVIDIA GeForce RTX 4090\\n' ;;
  --query-gpu=driver_version) echo 555.42.06 ;;
  --query-gpu=cuda_version) echo 12.6 ;;
  --query-gpu=clocks.gr) echo 2520 ;;
  --query-gpu=power.limit) echo 350.00 ;;
  --query-gpu=persistence_mode) echo Enabled ;;
  *) exit 9 ;;
esac`,
  );
  script(gpuBin, 'nvcc', "echo 'Cuda compilation tools, release 12.4, V12.4.131'");
  script(gpuBin, 'git', `exec ${gitPath} "$@"`);
  script(
    failingBin,
    'nvidia-smi',
    'case "$1" in --query-gpu=name) echo "[Not Supported]" ;; *) exit 9 ;; esac',
  );
  script(failingBin, 'git', `exec ${gitPath} "$@"`);
  repo = join(root, 'repo');
  mkdirSync(repo);
  const git = (...args: string[]) =>
    execFileSync(gitPath, args, { cwd: repo, env: { PATH: process.env.PATH, HOME: root } });
  git('init', '-q');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '--allow-empty', '-m', 'x');
  cpuinfo = join(root, 'cpuinfo');
  writeFileSync(cpuinfo, 'processor\t: 0\nmodel name\t: AMD EPYC 7B13 64-Core Processor\n');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('captureEnv', () => {
  it('reads a GPU host: nvidia-smi fields, nvcc release, git commit, FERRUM_* variables', async () => {
    const env = await captureEnv({
      cwd: repo,
      env: { PATH: gpuBin, HOME: root, FERRUM_PREFIX_CACHE: '0', FERRUM_KV_MAX_BLOCKS: '2048', OTHER: 'x' },
      cpuinfoPath: cpuinfo,
    });
    const head = execFileSync(gitPath, ['rev-parse', '--short', 'HEAD'], {
      cwd: repo,
      encoding: 'utf8',
    }).trim();
    expect(env).toEqual({
      commit_sha: head,
      hw_id: 'rtx-4090',
      driver: '555.42.06',
      cuda: '12.4',
      rust: `node-${process.versions.node}`,
      ferrum_features: [],
      gpu_clock_lock_mhz: 2520,
      gpu_power_limit_w: 350,
      gpu_persistence_mode: true,
      ferrum_env: { FERRUM_KV_MAX_BLOCKS: '2048', FERRUM_PREFIX_CACHE: '0' },
      runtime_config: {
        entries: [
          { key: 'FERRUM_KV_MAX_BLOCKS', effective_value: '2048', source: 'env', affects: ['memory'] },
          { key: 'FERRUM_PREFIX_CACHE', effective_value: '0', source: 'env', affects: ['correctness'] },
        ],
      },
    });
    // with ferrum's unit-test identity it hashes to Appendix A.1 vector 3
    const asFerrum = {
      ...env,
      commit_sha: 'b769bbd',
      rust: '1.78.0',
      ferrum_features: ['cuda', 'vllm-moe-marlin'],
      gpu_auto_boost: false,
    };
    expect(envHash(asFerrum)).toBe('sha256:7f60bfc8169febf1c4c8c6526cc956dce92e07aefedcf73724dfb342bc2187a6');
  });

  it('--commit-sha and --hw-id override detection', async () => {
    const env = await captureEnv({
      commitSha: 'deadbee',
      hwId: 'my-box',
      cwd: repo,
      env: { PATH: gpuBin },
      cpuinfoPath: cpuinfo,
    });
    expect(env.commit_sha).toBe('deadbee');
    expect(env.hw_id).toBe('my-box');
  });

  it('a host without a GPU: hw_id from cpuinfo, GPU fields absent (not invented)', async () => {
    const env = await captureEnv({ cwd: repo, env: { PATH: emptyBin }, cpuinfoPath: cpuinfo });
    expect(env.hw_id).toBe('amd-epyc-7b13-64-core-processor');
    for (const key of [
      'driver',
      'cuda',
      'gpu_clock_lock_mhz',
      'gpu_power_limit_w',
      'gpu_persistence_mode',
      'gpu_auto_boost',
      'vllm_args',
    ]) {
      expect(key in env).toBe(false);
    }
    // git cannot be started at all: "unknown", as ferrum
    expect(env.commit_sha).toBe('unknown');
    expect(env.ferrum_env).toEqual({});
    expect(env.runtime_config).toEqual({ entries: [] });
  });

  it('a failing nvidia-smi counts as absent; outside a repository the commit is empty', async () => {
    const outside = join(root, 'empty-bin');
    const env = await captureEnv({
      cwd: outside,
      env: { PATH: failingBin, GIT_CEILING_DIRECTORIES: root },
      cpuinfoPath: cpuinfo,
    });
    expect(env.hw_id).toBe('amd-epyc-7b13-64-core-processor');
    expect('driver' in env).toBe(false);
    expect(env.commit_sha).toBe('');
  });

  it('without any CPU description either, hw_id is "unknown"', async () => {
    const env = await captureEnv({
      cwd: repo,
      env: { PATH: emptyBin },
      cpuinfoPath: join(root, 'no-such-file'),
    });
    expect(env.hw_id).toBe('unknown');
  });
});
