// Named simulator profiles that look like real engines (numbers are order-of-magnitude, not a
// claim about any product): `tiny` a small fast model, `small-gpu` an 8B model on one GPU,
// `large-slow` a 70B-class model, `instant` zero delay for benchmarking clients.

import { GoodputError } from '../errors.js';
import type { SimProfile } from './profile.js';

export const SIM_PRESETS = {
  /** batch 1: TTFT ≈ 0.8 + 0.02 + 0.002·P ms (≈ 2.8 ms at 1k tokens), ≈ 0.82 ms per token */
  tiny: {
    maxModelLen: 8192,
    blockSize: 16,
    kvCacheBlocks: 8192,
    prefixCacheBlocks: 4096,
    maxRunningSeqs: 64,
    maxBatchedTokens: 2048,
    stepBaseMs: 0.8,
    decodePerSeqMs: 0.02,
    saturationBatch: 32,
    saturationPerSeqMs: 0.05,
    prefillPerTokenMs: 0.002,
    jitterFraction: 0.03,
    eosProbabilityPerToken: 0.002,
    burstSteps: 1,
  },
  /** an 8B model on one GPU: ≈ 57 ms TTFT per 1k prompt tokens at batch 1, ≈ 7 ms per token */
  'small-gpu': {
    maxModelLen: 32768,
    blockSize: 16,
    kvCacheBlocks: 16384,
    prefixCacheBlocks: 8192,
    maxRunningSeqs: 256,
    maxBatchedTokens: 8192,
    stepBaseMs: 7,
    decodePerSeqMs: 0.06,
    saturationBatch: 64,
    saturationPerSeqMs: 0.2,
    prefillPerTokenMs: 0.05,
    jitterFraction: 0.03,
    eosProbabilityPerToken: 0.002,
    burstSteps: 1,
  },
  /** a 70B-class model: ≈ 80 ms TTFT per 1k prompt tokens, 30 ms per token at batch 1, ≈ 48 at 64, ≈ 91 at 128 */
  'large-slow': {
    maxModelLen: 16384,
    blockSize: 16,
    kvCacheBlocks: 4096,
    prefixCacheBlocks: 2048,
    maxRunningSeqs: 128,
    maxBatchedTokens: 4096,
    stepBaseMs: 30,
    decodePerSeqMs: 0.28,
    saturationBatch: 64,
    saturationPerSeqMs: 0.4,
    prefillPerTokenMs: 0.05,
    jitterFraction: 0.03,
    eosProbabilityPerToken: 0.002,
    burstSteps: 1,
  },
  /** zero delay: emits as fast as the process can write; output length = max_tokens exactly */
  instant: {
    maxModelLen: 131072,
    blockSize: 16,
    kvCacheBlocks: 1 << 20,
    prefixCacheBlocks: 65536,
    maxRunningSeqs: 4096,
    maxBatchedTokens: 1 << 20,
    stepBaseMs: 0,
    decodePerSeqMs: 0,
    saturationBatch: 0,
    saturationPerSeqMs: 0,
    prefillPerTokenMs: 0,
    jitterFraction: 0,
    eosProbabilityPerToken: 0,
    burstSteps: 16,
  },
} as const satisfies Record<string, SimProfile>;

export type SimPresetName = keyof typeof SIM_PRESETS;
export const SIM_PRESET_NAMES = Object.keys(SIM_PRESETS) as SimPresetName[];
export const DEFAULT_SIM_PRESET: SimPresetName = 'tiny';

export function simPreset(name: string): SimProfile {
  if (!Object.hasOwn(SIM_PRESETS, name)) {
    throw new GoodputError('USAGE', `--preset ${name}: unknown simulator preset`, {
      hint: `choose one of: ${SIM_PRESET_NAMES.join(', ')}`,
    });
  }
  return { ...SIM_PRESETS[name as SimPresetName] };
}
