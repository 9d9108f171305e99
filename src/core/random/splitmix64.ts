// SplitMix64 (Steele, Lea & Flood 2014; the seeding generator recommended by xoshiro's authors):
// turns one 64-bit seed into a stream of well-mixed 64-bit words. goodput uses it only to seed
// xoshiro128** and to mix stream identifiers (see streams.ts).

import { add64, mul64, shr64, type U64, u64FromHex, xor64 } from './uint64.js';

const GOLDEN_GAMMA = u64FromHex('9e3779b97f4a7c15');
const MIX_1 = u64FromHex('bf58476d1ce4e5b9');
const MIX_2 = u64FromHex('94d049bb133111eb');

/** SplitMix64's output function (a bijective 64-bit finaliser). */
export function splitmix64Mix(x: U64): U64 {
  let z = mul64(xor64(x, shr64(x, 30)), MIX_1);
  z = mul64(xor64(z, shr64(z, 27)), MIX_2);
  return xor64(z, shr64(z, 31));
}

/** The SplitMix64 generator: state += golden gamma, output = mix(state). */
export class SplitMix64 {
  private state: U64;

  constructor(seed: U64) {
    this.state = seed;
  }

  next(): U64 {
    this.state = add64(this.state, GOLDEN_GAMMA);
    return splitmix64Mix(this.state);
  }
}
