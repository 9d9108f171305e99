import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  comparabilityHash,
  comparabilityKey,
  diffComparability,
  modelWithoutTag,
  provenanceOf,
} from '../../../src/core/env/comparability.js';
import type { BenchReport } from '../../../src/core/schema/bench-report.js';
import { parseReports } from '../../../src/core/schema/report-reader.js';
import { appendixA3Report, sampleExtension } from '../../fixtures/appendix-a-reports.js';

const REPORTS_DIR = fileURLToPath(new URL('../../../../shared/fixtures/ferrum/reports', import.meta.url));
const load = (path: string) =>
  parseReports(readFileSync(join(REPORTS_DIR, path), 'utf8'), path)[0] as BenchReport;

describe('comparability key vs provenance', () => {
  it('release gate c16: baseline and candidate differ in env_hash (GPU clock 2805 vs 2790) but are comparable', () => {
    const a = load('release-gate/baseline_c16_n3.json');
    const b = load('release-gate/candidate_c16_n3.json');
    expect(a.env_hash).not.toBe(b.env_hash);
    expect(diffComparability(a, b)).toEqual([]);
    expect(comparabilityHash(a)).toBe(comparabilityHash(b));
    expect(provenanceOf(a).gpu_clock_mhz).toBe(2805);
    expect(provenanceOf(b).gpu_clock_mhz).toBe(2790);
  });

  it('graph on vs off: the differing engine variable is named, field by field', () => {
    const on = load('graph-ab/graph_on_c4.json');
    const off = load('graph-ab/graph_off_c4.json');
    expect(diffComparability(on, off)).toEqual([
      { field: 'engine_env.FERRUM_VLLM_MOE', a: '1', b: undefined },
    ]);
    expect(comparabilityHash(on)).not.toBe(comparabilityHash(off));
  });

  it('different workloads and hardware are named too', () => {
    const a = load('release-gate/baseline_c16_n3.json');
    const b = load('graph-ab/graph_on_c4.json');
    const fields = diffComparability(a, b).map((d) => d.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'concurrency',
        'driver',
        'cuda',
        'gpu_power_limit_w',
        'engine_features',
        'engine_env.FERRUM_GRAPH',
      ]),
    );
    expect(fields).not.toContain('commit_sha');
    expect(fields).not.toContain('gpu_clock_lock_mhz');
  });

  it('the model tag, commit, runtime and diagnostic variables are provenance, not key', () => {
    const base = appendixA3Report();
    const other: BenchReport = {
      ...base,
      model: 'm#other-tag',
      env: {
        ...base.env,
        commit_sha: 'abc1234',
        rust: 'node-22.1.0',
        ferrum_env: { FERRUM_TRACE_OUT: '/tmp/t.json' },
      },
      env_hash: 'sha256:0',
    };
    expect(modelWithoutTag('m#tag')).toBe('m');
    expect(diffComparability(base, other)).toEqual([]);
    expect(provenanceOf(other)).toMatchObject({
      commit_sha: 'abc1234',
      runtime: 'node-22.1.0',
      tag: 'other-tag',
      diagnostics_env: { FERRUM_TRACE_OUT: '/tmp/t.json' },
    });
  });

  it('uses the extension: dataset, seed, load and server identity are key; URL, run and paths are provenance', () => {
    const base = { ...appendixA3Report(), goodput: sampleExtension() };
    const key = comparabilityKey(base);
    expect(key).toMatchObject({
      model: 'm',
      dataset: 'random',
      seed: 7,
      load: { kind: 'closed', concurrency: 4 },
      server_version: '0.20.2',
    });
    const sameWorkloadOtherRun = {
      ...base,
      goodput: sampleExtension({
        run_id: 'run-2',
        started_at: '2026-06-02T00:00:00.000Z',
        server: { ...sampleExtension().server, base_url: 'http://127.0.0.1:50000' },
        load: { kind: 'closed', concurrency: 4, schedule_path: '/tmp/other.json' },
        provenance: { hostname: 'bench-02' },
      }),
    };
    expect(diffComparability(base, sameWorkloadOtherRun)).toEqual([]);
    expect(provenanceOf(sameWorkloadOtherRun)).toMatchObject({
      run_id: 'run-2',
      base_url: 'http://127.0.0.1:50000',
      hostname: 'bench-02',
    });
    const otherSeed = { ...base, goodput: sampleExtension({ seed: 8, server: { version: '0.21.0' } }) };
    expect(diffComparability(base, otherSeed)).toEqual([
      { field: 'seed', a: 7, b: 8 },
      { field: 'server_models', a: ['m'], b: null },
      { field: 'server_version', a: '0.20.2', b: '0.21.0' },
      { field: 'server_args', a: ['--max-num-seqs', '64'], b: null },
    ]);
  });
});
