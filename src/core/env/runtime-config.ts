// ferrum's runtime-config capture (ferrum-behaviour §4.2, ferrum-types runtime_config.rs): every
// FERRUM_* variable becomes an entry sorted by key, source `env`, with the `affects` classes that
// substring rules on the key give. The rules are reproduced exactly: the env hash depends on them.

import type { RuntimeConfigEntry, RuntimeConfigSnapshot } from '../schema/bench-report.js';
import { compareByteOrder } from '../schema/byte-order.js';

export type RuntimeConfigEffect = RuntimeConfigEntry['affects'][number];

const DIAGNOSTICS = ['DIAG', 'PROF', 'TRACE', 'DUMP', 'LOG_CONFIG', 'CAPTURE', 'DEBUG'];
const MEMORY = ['KV', 'BATCHED_TOKENS', 'PAGED_MAX_SEQS', 'MODEL_LEN', 'STATE_MAX_SLOTS', 'MEMORY'];
const CORRECTNESS = [
  'PREFIX_CACHE',
  'MODEL_PATH',
  'MODEL_LEN',
  'NATIVE',
  'ARTIFACT',
  'SPEC_',
  'REF_',
  'DTYPE',
];
const PERFORMANCE = [
  'MOE',
  'VLLM',
  'MARLIN',
  'PAGED',
  'GRAPH',
  'SCHED',
  'BATCH',
  'ATTN',
  'FLASH',
  'CUDA',
  'TRITON',
  'GREEDY',
  'FA',
];

/**
 * The effect classes of one key, in enum order (correctness, performance, memory, diagnostics).
 * Performance applies when nothing else matched, or on its own substrings (note `FA` matches
 * any key containing those two letters, as in ferrum).
 */
export function runtimeConfigAffects(key: string): RuntimeConfigEffect[] {
  const has = (parts: readonly string[]) => parts.some((p) => key.includes(p));
  const diagnostics = has(DIAGNOSTICS);
  const memory = has(MEMORY);
  const correctness = has(CORRECTNESS);
  const performance = !(diagnostics || memory || correctness) || has(PERFORMANCE);
  const out: RuntimeConfigEffect[] = [];
  if (correctness) out.push('correctness');
  if (performance) out.push('performance');
  if (memory) out.push('memory');
  if (diagnostics) out.push('diagnostics');
  return out;
}

/** Every FERRUM_* variable of an environment map, keys sorted by byte order (ferrum's `ferrum_env`). */
export function ferrumEnvFrom(vars: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(vars)
    .filter((k) => k.startsWith('FERRUM_'))
    .sort(compareByteOrder)) {
    const value = vars[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** RuntimeConfigSnapshot::from_env_vars: the FERRUM_* variables as entries sorted by key. */
export function runtimeConfigFromEnv(
  vars: Readonly<Record<string, string | undefined>>,
): RuntimeConfigSnapshot {
  const ferrumEnv = ferrumEnvFrom(vars);
  return {
    entries: Object.entries(ferrumEnv).map(([key, value]) => ({
      key,
      effective_value: value,
      source: 'env' as const,
      affects: runtimeConfigAffects(key),
    })),
  };
}
