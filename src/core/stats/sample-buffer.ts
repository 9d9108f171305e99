// A growable column of doubles kept in Float64Array chunks: how metrics/ collects tens of millions
// of latency samples without boxing each number and without ever copying a whole column to grow
// it (SPEC §10: 1 M records × 5 repeats in ≤ 3 s, ≤ 1 GB peak RSS).

// The first chunk starts at the expected size (at most CHUNK_LENGTH) and doubles up to
// CHUNK_LENGTH, so a small column stays small; past that, full chunks stay where they are and a
// new one is appended. Growing copies at most one chunk and never needs twice the column's memory
// (a contiguous array growing from 32 M to 48 M samples briefly holds both: 640 MB).

/** Samples per full chunk (8 MB). */
export const CHUNK_LENGTH = 1 << 20;

const EMPTY = new Float64Array(0);

export class SampleBuffer {
  /** every chunk; the last one is `current` */
  private readonly chunks: Float64Array[] = [];
  private current: Float64Array = EMPTY;
  /** values in `current` */
  private used = 0;
  /** values in the chunks before `current` */
  private before = 0;

  /** @param expectedLength the length the caller expects (a hint that sizes the first chunk) */
  constructor(private readonly expectedLength = 1024) {}

  get length(): number {
    return this.before + this.used;
  }

  push(value: number): void {
    if (this.used === this.current.length) this.grow();
    this.current[this.used++] = value;
  }

  /** Pushes values[0..count) in order (one request's ITL samples: a tight loop instead of a
   * push per value). */
  pushMany(values: ArrayLike<number>, count: number): void {
    let i = 0;
    while (i < count) {
      if (this.used === this.current.length) this.grow();
      const current = this.current;
      const n = Math.min(count - i, current.length - this.used);
      let at = this.used;
      for (const end = i + n; i < end; i++) current[at++] = values[i] as number;
      this.used = at;
    }
  }

  private grow(): void {
    const old = this.current;
    if (old.length === CHUNK_LENGTH) {
      this.before += CHUNK_LENGTH;
      this.current = new Float64Array(CHUNK_LENGTH);
      this.chunks.push(this.current);
      this.used = 0;
      return;
    }
    // the first chunk, not yet full size: double it in place of the old one
    const next = new Float64Array(
      old.length === 0
        ? Math.min(CHUNK_LENGTH, Math.max(16, this.expectedLength))
        : Math.min(CHUNK_LENGTH, old.length * 2),
    );
    next.set(old);
    this.current = next;
    if (this.chunks.length === 0) this.chunks.push(next);
    else this.chunks[this.chunks.length - 1] = next;
  }

  /** Views (no copy) of the samples [start, end), in order, one per chunk they touch. */
  parts(start = 0, end = this.length): Float64Array[] {
    const out: Float64Array[] = [];
    let offset = 0;
    for (const chunk of this.chunks) {
      const filled = chunk === this.current ? this.used : chunk.length;
      const lo = Math.max(start, offset);
      const hi = Math.min(end, offset + filled);
      if (lo < hi) out.push(chunk.subarray(lo - offset, hi - offset));
      offset += filled;
      if (offset >= end) break;
    }
    return out;
  }
}
