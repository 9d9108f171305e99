// Prefix-cache keys: the prompt's token ids cut into full blocks, each block hashed together with
// the hash of the block before it (as vLLM does), so a block's key identifies the whole prefix up
// to its end. Two 32-bit lanes give a 53-bit key: collisions are negligible at simulator scale.

/** murmur3's 32-bit mixing of `h` with one more 32-bit word, then its finaliser. */
function mix(h0: number, word: number): number {
  let k = Math.imul(word | 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  let h = h0 ^ Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Hashes of the full blocks of `tokenIds` (a trailing partial block has no key). */
export function promptBlockHashes(tokenIds: readonly number[], blockSize: number): number[] {
  const fullBlocks = Math.floor(tokenIds.length / blockSize);
  const hashes = new Array<number>(fullBlocks);
  let laneA = 0x2545f491;
  let laneB = 0x6a09e667;
  for (let block = 0; block < fullBlocks; block++) {
    const start = block * blockSize;
    for (let i = start; i < start + blockSize; i++) {
      const id = tokenIds[i]!;
      laneA = mix(laneA, id);
      laneB = mix(laneB, id ^ 0x5bd1e995);
    }
    // laneA is 32 bits, the top 21 bits of laneB fill the rest of a safe integer
    hashes[block] = laneA * 2097152 + (laneB >>> 11);
  }
  return hashes;
}
