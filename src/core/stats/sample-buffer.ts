// A growable Float64Array: how metrics/ collects millions of latency samples without boxing each
// number or building per-request arrays (SPEC §10: 1 M records × 5 repeats in ≤ 3 s, ≤ 1 GB).

// Storage is allocated on the first push, at the expected size when the caller knows it, so a
// column that stays empty costs nothing and a full one is not copied while it grows.

export class SampleBuffer {
  private data: Float64Array | null = null;
  private size = 0;

  /** @param expectedLength the length the caller expects (a hint: the buffer still grows past it) */
  constructor(private readonly expectedLength = 1024) {}

  get length(): number {
    return this.size;
  }

  push(value: number): void {
    let data = this.data;
    if (data === null || this.size === data.length) data = this.grow();
    data[this.size++] = value;
  }

  private grow(): Float64Array {
    const old = this.data;
    // grow by half: a column of tens of millions of samples should not briefly need 3× its size
    const next = new Float64Array(
      old === null ? Math.max(16, this.expectedLength) : Math.ceil(old.length * 1.5),
    );
    if (old !== null) next.set(old);
    this.data = next;
    return next;
  }

  /** A live view of [start, end) (no copy); sorting it sorts the buffer in place. */
  view(start = 0, end = this.size): Float64Array {
    return this.data === null ? new Float64Array(0) : this.data.subarray(start, end);
  }
}
