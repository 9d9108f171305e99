import { describe, expect, it } from 'vitest';
import {
  ferrumEnvFrom,
  runtimeConfigAffects,
  runtimeConfigFromEnv,
} from '../../../src/core/env/runtime-config.js';

describe('runtimeConfigAffects (ferrum-behaviour §4.2 substring rules)', () => {
  it.each<[string, string[]]>([
    ['FERRUM_KV_MAX_BLOCKS', ['memory']],
    ['FERRUM_PREFIX_CACHE', ['correctness']],
    ['FERRUM_TRACE_OUT', ['diagnostics']],
    ['FERRUM_PROFILE_JSONL', ['diagnostics']],
    ['FERRUM_MODEL_LEN', ['correctness', 'memory']],
    ['FERRUM_KV_DTYPE', ['correctness', 'memory']],
    ['FERRUM_GRAPH', ['performance']],
    ['FERRUM_PAGED_MAX_SEQS', ['performance', 'memory']],
    ['FERRUM_USE_VLLM_PAGED_ATTN', ['performance']],
    ['FERRUM_FA2_NATIVE_ARTIFACT', ['correctness', 'performance']],
    ['FERRUM_MOE_GRAPH', ['performance']],
    ['FERRUM_DEBUG_MOE', ['performance', 'diagnostics']],
    ['FERRUM_SOMETHING', ['performance']], // nothing matched → performance
    ['FERRUM_DEFAULT_X', ['performance']], // "FA" inside DEFAULT
    ['FERRUM_FIT_POLICY', ['performance']], // a later ferrum rule, not in the 1330a73a rules goodput hashes with
  ])('%s → %j', (key, affects) => {
    expect(runtimeConfigAffects(key)).toEqual(affects);
  });
});

describe('capture from an environment map', () => {
  const vars = {
    PATH: '/bin',
    FERRUM_Z: '1',
    FERRUM_A: '',
    FERRUM_GRAPH: '0',
    FERRUMX: 'no',
    HOME: undefined,
  };

  it('ferrum_env keeps every FERRUM_* variable (empty values too), sorted by key', () => {
    const env = ferrumEnvFrom(vars);
    expect(Object.keys(env)).toEqual(['FERRUM_A', 'FERRUM_GRAPH', 'FERRUM_Z']);
    expect(env.FERRUM_A).toBe('');
  });

  it('runtime_config has one `env` entry per variable, in key order', () => {
    expect(runtimeConfigFromEnv(vars)).toEqual({
      entries: [
        { key: 'FERRUM_A', effective_value: '', source: 'env', affects: ['performance'] },
        { key: 'FERRUM_GRAPH', effective_value: '0', source: 'env', affects: ['performance'] },
        { key: 'FERRUM_Z', effective_value: '1', source: 'env', affects: ['performance'] },
      ],
    });
    expect(runtimeConfigFromEnv({})).toEqual({ entries: [] });
  });
});
