// The random draws datasets make: the per-(cell, repeat) prompt streams, unbiased integers, and
// order-preserving shuffles. Streams come from core/random, so the same seed gives the same
// prompts on every machine, commit and engine.
//
// Stream derivation (core/random/streams.ts documents the hashing):
//   measured prompts of (cell, repeat): deriveStream({ seed, purpose: 'prompts',        cell, repeat })
//   warmup prompts of (cell, repeat):   deriveStream({ seed, purpose: 'prompts:warmup', cell, repeat })
// `cell` is the cell key the caller chose (e.g. "closed:c=4"), `repeat` is 1-based. Measured and
// warmup streams are separate so that changing --warmup-requests never changes measured prompts;
// file datasets draw both from the measured stream (measured first) so warmup never re-sends a
// measured prompt while the file has others.

import type { RandomSource } from '../random/random-source.js';
import { deriveStream } from '../random/streams.js';

export const PROMPT_STREAM_PURPOSES = { measured: 'prompts', warmup: 'prompts:warmup' } as const;

/** The prompt stream of one (cell, repeat), measured or warmup. */
export function promptStream(
  seed: number,
  cellKey: string,
  repeat: number,
  kind: keyof typeof PROMPT_STREAM_PURPOSES,
): RandomSource {
  return deriveStream({ seed, purpose: PROMPT_STREAM_PURPOSES[kind], cell: cellKey, repeat });
}

const TWO_POW_32 = 4294967296;

/** A uniform integer in [0, n), n ≤ 2^32, by rejection (no modulo bias). */
export function uniformBelow(rng: RandomSource, n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32)
    throw new RangeError(`uniformBelow: n must be in [1, 2^32], got ${n}`);
  if (n === 1) return 0;
  const limit = TWO_POW_32 - (TWO_POW_32 % n);
  for (;;) {
    const x = rng.nextUint32();
    if (x < limit) return x % n;
  }
}

/** A uniform integer in [lo, hi] (inclusive); no draw when lo === hi. */
export function uniformInclusive(rng: RandomSource, lo: number, hi: number): number {
  if (lo === hi) return lo;
  return lo + uniformBelow(rng, hi - lo + 1);
}

/**
 * A lazily shuffled order of 0..n−1 (Fisher–Yates, one swap per element taken), so sampling k of
 * n items without replacement costs O(k) draws, not O(n).
 */
export class LazyShuffle {
  private readonly order: Map<number, number> = new Map();
  private taken = 0;

  constructor(
    private readonly rng: RandomSource,
    readonly size: number,
  ) {}

  /** The next index, or undefined once every index was taken. */
  next(): number | undefined {
    if (this.taken >= this.size) return undefined;
    const i = this.taken;
    const j = i + uniformBelow(this.rng, this.size - i);
    const atI = this.order.get(i) ?? i;
    const atJ = this.order.get(j) ?? j;
    this.order.set(j, atI);
    this.order.delete(i);
    this.taken++;
    return atJ;
  }
}
