// xoshiro128** 1.1 (Blackman & Vigna 2018): goodput's generator. 128-bit state, period 2^128 − 1,
// 32-bit arithmetic only (Math.imul and shifts), so every machine and Node version produces the
// same sequence for the same state. Seeded through SplitMix64 (streams.ts), never with zeros.

import type { RandomSource } from './random-source.js';

const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;

export class Xoshiro128StarStar implements RandomSource {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** The four 32-bit state words; they must not all be zero. */
  constructor(s0: number, s1: number, s2: number, s3: number) {
    if ((s0 | s1 | s2 | s3) === 0) throw new RangeError('xoshiro128** state must not be all zero');
    // int32 in the fields (the same bits), the kind of number the xor/shift updates below store,
    // so the fields do not start as uint32 doubles and change kind on the first update
    this.s0 = s0 | 0;
    this.s1 = s1 | 0;
    this.s2 = s2 | 0;
    this.s3 = s3 | 0;
  }

  nextUint32(): number {
    const s1 = this.s1;
    const x = Math.imul(s1, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** 53 bits from two outputs: (a >>> 5) · 2^26 + (b >>> 6), over 2^53 (the usual double mapping). */
  nextFloat(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * TWO_POW_26 + b) / TWO_POW_53;
  }

  /** The current state words (for tests and for recording a stream position). */
  state(): [number, number, number, number] {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0];
  }
}
