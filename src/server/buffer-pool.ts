// Write buffers the simulator's responses share: a buffer one response handed to its socket, and
// the kernel took whole, serves the next response instead of becoming garbage. Buffers come in
// power-of-two sizes from 4 KiB to 1 MiB, each size keeping free buffers up to `maxBytesPerSize`
// bytes (16 MiB: 4096 buffers of 4 KiB, 16 of 1 MiB); a request outside that range is allocated
// and never kept. Without the pool, a response that writes once per turn allocates a fresh buffer
// per write, and the allocation, its first-touch page faults and the garbage collection cost more
// than the copy into it.

const MIN_SHIFT = 12;
const MAX_SHIFT = 20;

export class BufferPool {
  private readonly free: Buffer[][] = [];

  constructor(private readonly maxBytesPerSize = 16 * 1024 * 1024) {
    for (let shift = MIN_SHIFT; shift <= MAX_SHIFT; shift++) this.free.push([]);
  }

  /** A buffer of at least `bytes` (its contents are whatever was there before). */
  acquire(bytes: number): Buffer {
    const shift = sizeShift(bytes);
    if (shift > MAX_SHIFT) return Buffer.allocUnsafeSlow(bytes);
    // allocUnsafeSlow: its own memory, not a slice of Node's shared pool, so it can be kept
    return this.free[shift - MIN_SHIFT]?.pop() ?? Buffer.allocUnsafeSlow(1 << shift);
  }

  /** Gives back a buffer nothing references any more (the socket wrote it whole). */
  release(buf: Buffer): void {
    const shift = sizeShift(buf.length);
    if (shift > MAX_SHIFT || 1 << shift !== buf.length || buf.byteOffset !== 0) return;
    const list = this.free[shift - MIN_SHIFT] as Buffer[];
    if ((list.length + 1) * buf.length <= this.maxBytesPerSize) list.push(buf);
  }

  /** free buffers kept, over all sizes */
  get size(): number {
    let n = 0;
    for (const list of this.free) n += list.length;
    return n;
  }
}

/** log2 of the smallest power of two ≥ bytes, at least MIN_SHIFT (above MAX_SHIFT: not pooled) */
function sizeShift(bytes: number): number {
  return Math.max(MIN_SHIFT, 32 - Math.clz32(Math.max(1, bytes) - 1));
}
