// Independent, reproducible random streams, one per (seed, purpose, cell, repeat): the same
// tuple gives the same sequence on every machine, commit and engine; any other tuple another one.

import { SplitMix64, splitmix64Mix } from './splitmix64.js';
import { mul64, type U64, u64FromHex, u64FromSafeInteger, xor64 } from './uint64.js';
import { Xoshiro128StarStar } from './xoshiro128.js';

// Derivation (recorded here because reports store only the seed; a change is a breaking change):
//   k0 = mix(seed ⊕ 0x676f6f6470757421)          seed: non-negative safe integer as u64;
//                                                the constant is "goodput!" in ASCII
//   k1 = mix(k0 ⊕ fnv1a64(utf8(purpose)))        purpose: e.g. "arrivals", "prompts", "bootstrap"
//   k2 = mix(k1 ⊕ fnv1a64(utf8(cell)))           cell: the cell key ("" when not cell-specific)
//   k3 = mix(k2 ⊕ repeat)                         repeat: 1-based, 0 when not repeat-specific
//   state = two outputs (a, b) of SplitMix64 seeded with k3 → xoshiro128** words (a.hi, a.lo, b.hi, b.lo)
// where mix is SplitMix64's finaliser and fnv1a64 is FNV-1a 64-bit (offset 0xcbf29ce484222325,
// prime 0x100000001b3).

/** Purposes used by goodput; any other string is allowed and gives its own stream. */
export const STREAM_PURPOSES = {
  arrivals: 'arrivals',
  prompts: 'prompts',
  bootstrap: 'bootstrap',
} as const;

const DOMAIN = u64FromHex('676f6f6470757421');
const FNV_OFFSET = u64FromHex('cbf29ce484222325');
const FNV_PRIME = u64FromHex('00000100000001b3');
const utf8 = new TextEncoder();

/** hashes of recent purposes and cells: a stream is derived per simulated request, from a few strings */
const FNV_MEMO = new Map<string, U64>();
const FNV_MEMO_MAX = 256;

/** FNV-1a 64-bit hash of the UTF-8 bytes of `text`. */
export function fnv1a64(text: string): U64 {
  const known = FNV_MEMO.get(text);
  if (known !== undefined) return known;
  const h = fnv1a64Uncached(text);
  if (FNV_MEMO.size >= FNV_MEMO_MAX) FNV_MEMO.clear();
  FNV_MEMO.set(text, h);
  return h;
}

function fnv1a64Uncached(text: string): U64 {
  let h = FNV_OFFSET;
  for (const byte of utf8.encode(text)) {
    h = mul64({ hi: h.hi, lo: (h.lo ^ byte) >>> 0 }, FNV_PRIME);
  }
  return h;
}

export interface StreamId {
  /** the run's seed: a non-negative safe integer */
  seed: number;
  purpose: string;
  /** the cell key, or "" */
  cell?: string;
  /** 1-based repeat, or 0 */
  repeat?: number;
}

/** The 64-bit key of a stream (k3 above). */
export function streamKey(id: StreamId): U64 {
  const repeat = id.repeat ?? 0;
  let k = splitmix64Mix(xor64(u64FromSafeInteger(id.seed), DOMAIN));
  k = splitmix64Mix(xor64(k, fnv1a64(id.purpose)));
  k = splitmix64Mix(xor64(k, fnv1a64(id.cell ?? '')));
  return splitmix64Mix(xor64(k, u64FromSafeInteger(repeat)));
}

/** A fresh generator for the stream `id`; every call returns the same sequence. */
export function deriveStream(id: StreamId): Xoshiro128StarStar {
  const sm = new SplitMix64(streamKey(id));
  const a = sm.next();
  const b = sm.next();
  if ((a.hi | a.lo | b.hi | b.lo) === 0) return new Xoshiro128StarStar(1, 0, 0, 0);
  return new Xoshiro128StarStar(a.hi, a.lo, b.hi, b.lo);
}
