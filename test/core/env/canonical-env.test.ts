import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { canonicalEnvJson, envHash, verifyEnvHash } from '../../../src/core/env/canonical-env.js';
import { runtimeConfigFromEnv } from '../../../src/core/env/runtime-config.js';
import type { BenchReport, Env } from '../../../src/core/schema/bench-report.js';
import { parseReports } from '../../../src/core/schema/report-reader.js';

const REPORTS_DIR = fileURLToPath(new URL('../../../../shared/fixtures/ferrum/reports', import.meta.url));
const fixtureFiles = readdirSync(REPORTS_DIR).flatMap((d) =>
  readdirSync(join(REPORTS_DIR, d)).map((f) => join(REPORTS_DIR, d, f)),
);

const defaultEnv = (): Env => ({
  commit_sha: '',
  hw_id: '',
  rust: '',
  ferrum_features: [],
  ferrum_env: {},
  runtime_config: { entries: [] },
});
const unitTestEnv = (): Env => ({
  // deliberately built in a scrambled key order: the writer, not the object, decides the order
  ferrum_env: { FERRUM_PREFIX_CACHE: '0', FERRUM_KV_MAX_BLOCKS: '2048' },
  runtime_config: { entries: [] },
  gpu_auto_boost: false,
  gpu_persistence_mode: true,
  gpu_power_limit_w: 350,
  gpu_clock_lock_mhz: 2520,
  ferrum_features: ['cuda', 'vllm-moe-marlin'],
  rust: '1.78.0',
  cuda: '12.4',
  driver: '555.42.06',
  hw_id: 'rtx-4090',
  commit_sha: 'b769bbd',
});

describe('env hash: Appendix A.1 golden vectors', () => {
  it('1: Env::default()', () => {
    const env = defaultEnv();
    expect(canonicalEnvJson(env)).toBe(
      '{"commit_sha":"","hw_id":"","rust":"","ferrum_features":[],"ferrum_env":{},"runtime_config":{"entries":[]}}',
    );
    expect(envHash(env)).toBe('sha256:b5883a1670118db0335d99aa8879920e336a39cd9bb18f2b3a658f903e9e504d');
  });

  it('2: the unit-test fixture with an empty runtime_config', () => {
    const env = unitTestEnv();
    expect(canonicalEnvJson(env)).toBe(
      '{"commit_sha":"b769bbd","hw_id":"rtx-4090","driver":"555.42.06","cuda":"12.4","rust":"1.78.0","ferrum_features":["cuda","vllm-moe-marlin"],"gpu_clock_lock_mhz":2520,"gpu_power_limit_w":350,"gpu_persistence_mode":true,"gpu_auto_boost":false,"ferrum_env":{"FERRUM_KV_MAX_BLOCKS":"2048","FERRUM_PREFIX_CACHE":"0"},"runtime_config":{"entries":[]}}',
    );
    expect(envHash(env)).toBe('sha256:9413cc099389e926ef0e2d87c444b81ce32b5ec593ad32a7928f8f163860973c');
  });

  it('3: the same with runtime_config captured from its two variables', () => {
    const env = {
      ...unitTestEnv(),
      runtime_config: runtimeConfigFromEnv({
        FERRUM_PREFIX_CACHE: '0',
        FERRUM_KV_MAX_BLOCKS: '2048',
        PATH: '/bin',
      }),
    };
    expect(canonicalEnvJson(env)).toContain(
      '"runtime_config":{"entries":[{"key":"FERRUM_KV_MAX_BLOCKS","effective_value":"2048","source":"env","affects":["memory"]},{"key":"FERRUM_PREFIX_CACHE","effective_value":"0","source":"env","affects":["correctness"]}]}}',
    );
    expect(envHash(env)).toBe('sha256:7f60bfc8169febf1c4c8c6526cc956dce92e07aefedcf73724dfb342bc2187a6');
  });

  it('does not sort ferrum_features (ferrum hash() keeps the caller order)', () => {
    const env = { ...unitTestEnv(), ferrum_features: ['vllm-moe-marlin', 'cuda'] };
    expect(envHash(env)).not.toBe('sha256:9413cc099389e926ef0e2d87c444b81ce32b5ec593ad32a7928f8f163860973c');
  });
});

describe('verifyEnvHash', () => {
  it.each(fixtureFiles.map((f) => [f.slice(REPORTS_DIR.length + 1), f]))(
    'reproduces the stored hash of %s',
    (_n, file) => {
      const report = parseReports(readFileSync(file, 'utf8'), file)[0] as BenchReport;
      const check = verifyEnvHash(report);
      expect(check.computed).toBe(report.env_hash);
      expect(check.ok).toBe(true);
    },
  );

  it('hashes older reports without runtime_config, newer ones with it', () => {
    const older = parseReports(
      readFileSync(join(REPORTS_DIR, 'graph-ab', 'graph_on_c1.json'), 'utf8'),
      'x',
    )[0] as BenchReport;
    expect(canonicalEnvJson(older.env)).not.toContain('runtime_config');
    const newer = parseReports(
      readFileSync(join(REPORTS_DIR, 'release-gate', 'baseline_c1_n3.json'), 'utf8'),
      'x',
    )[0] as BenchReport;
    expect(canonicalEnvJson(newer.env).endsWith(',"runtime_config":{"entries":[]}}')).toBe(true);
  });

  it('detects an edited env block', () => {
    const report = parseReports(
      readFileSync(join(REPORTS_DIR, 'release-gate', 'baseline_c1_n3.json'), 'utf8'),
      'x',
    )[0] as BenchReport;
    const edited = { ...report, env: { ...report.env, gpu_clock_lock_mhz: 2790 } };
    const check = verifyEnvHash(edited);
    expect(check.ok).toBe(false);
    expect(check.stored).toBe(report.env_hash);
    // candidate_c16 really was captured at 2790 MHz: same env otherwise, so the same hash
    expect(check.computed).toBe('sha256:b69f68c8c106c6fc3abe26b8658e4b5f1de04e76ecf1a48e8398e143ad1d80a8');
  });
});
