// The simulator's prefix cache: an LRU set of block hashes with a capacity in blocks. A lookup
// counts the LEADING run of cached blocks of a prompt (a prefix hit stops at the first miss),
// touching them; blocks are inserted once their prefill has been computed. When the working set
// of distinct prefixes exceeds the capacity, LRU evicts blocks before they are reused: the hit
// rate falls off a cliff, as on a real engine. Kept apart from KV-block accounting (a
// simplification of vLLM, where cached blocks live in the free part of the KV pool).

export class PrefixCache {
  /** insertion order of a Map is the LRU order: first key = least recently used */
  private readonly blocks = new Map<number, true>();

  constructor(readonly capacityBlocks: number) {}

  get sizeBlocks(): number {
    return this.blocks.size;
  }

  /**
   * Number of leading blocks of `hashes` present in the cache, looking at most at `maxBlocks`
   * of them; the hits become most recently used.
   */
  lookup(hashes: readonly number[], maxBlocks: number): number {
    const limit = Math.min(maxBlocks, hashes.length);
    let hits = 0;
    while (hits < limit) {
      const hash = hashes[hits]!;
      if (!this.blocks.has(hash)) break;
      this.blocks.delete(hash);
      this.blocks.set(hash, true);
      hits++;
    }
    return hits;
  }

  /** Inserts (or refreshes) every block, evicting the least recently used beyond capacity. */
  insert(hashes: readonly number[]): void {
    if (this.capacityBlocks === 0) return;
    for (const hash of hashes) {
      this.blocks.delete(hash);
      this.blocks.set(hash, true);
    }
    while (this.blocks.size > this.capacityBlocks) {
      const oldest = this.blocks.keys().next().value as number;
      this.blocks.delete(oldest);
    }
  }
}
