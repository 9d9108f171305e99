// The HTTP/1.1 chunks one streaming response gathers during one turn of the event loop, sent in
// one socket write: each SSE event is its own chunk (hex size line, bytes, CRLF), as uvicorn sends
// each event a server yields, so clients parse the framing real servers produce. Pre-encoded event
// bytes are copied in once; when the socket took a write whole, its buffer is reused for the next.
// An unframed accumulator gathers events without size lines, to be sent later as ONE chunk (the
// coalesced and stall faults: several events in one chunk, which clients see as one read).
// Buffers come from, and go back to, the simulator's BufferPool.

import { BufferPool } from './buffer-pool.js';

const CR = 0x0d;
const LF = 0x0a;
const HEX = Buffer.from('0123456789abcdef', 'latin1');
const EMPTY = new Uint8Array(0);
/** the most a chunk's framing adds: 8 hex digits (< 4 GiB), two CRLFs */
const FRAMING_BYTES = 12;

export class ChunkAccumulator {
  private buf: Buffer | undefined;
  /** the buffer of the last write taken, which may be reused once the socket no longer holds it */
  private lent: Buffer | undefined;
  private end = 0;
  /** capacity asked for when the next buffer is acquired: the last write's size */
  private sizeHint = 0;

  constructor(
    private readonly pool: BufferPool = new BufferPool(),
    /** false: events are gathered without framing, for drainIntoOneChunk() */
    private readonly framed = true,
  ) {}

  /** framed bytes gathered so far */
  get byteLength(): number {
    return this.end;
  }

  /** Appends `bytes` as one chunk. */
  appendChunk(bytes: Uint8Array): void {
    const buf = this.reserve(bytes.length + FRAMING_BYTES);
    this.sizeLine(buf, bytes.length);
    buf.set(bytes, this.end);
    this.end += bytes.length;
    this.chunkEnd(buf);
  }

  /** Appends `a`, `b` and `c` joined as one chunk (an event spliced from pre-encoded parts). */
  appendChunkOf3(a: Uint8Array, b: Uint8Array, c: Uint8Array): void {
    const size = a.length + b.length + c.length;
    const buf = this.reserve(size + FRAMING_BYTES);
    this.sizeLine(buf, size);
    buf.set(a, this.end);
    buf.set(b, this.end + a.length);
    buf.set(c, this.end + a.length + b.length);
    this.end += size;
    this.chunkEnd(buf);
  }

  /**
   * Appends `head` and `tail` joined as one chunk, where `tail` already ends in the chunk's
   * closing CRLF (a pre-built word + suffix + CRLF): one copy fewer per event than appendChunkOf3.
   */
  appendChunkOf2Closed(head: Uint8Array, tail: Uint8Array): void {
    if (!this.framed) {
      // unframed: no CRLF between events (the rare coalesced and stall faults)
      this.appendChunkOf3(head, tail.subarray(0, tail.length - 2), EMPTY);
      return;
    }
    const size = head.length + tail.length - 2;
    const buf = this.reserve(size + FRAMING_BYTES);
    this.sizeLine(buf, size);
    buf.set(head, this.end);
    buf.set(tail, this.end + head.length);
    this.end += size + 2;
  }

  /** Appends text, as UTF-8, as one chunk (for the rare events that are not pre-encoded). */
  appendTextChunk(text: string): void {
    this.appendChunk(Buffer.from(text, 'utf8'));
  }

  /** Moves the events gathered (unframed) into `target` as one chunk, and empties this one. */
  drainIntoOneChunk(target: ChunkAccumulator): void {
    if (this.buf === undefined || this.end === 0) return;
    target.appendChunk(this.buf.subarray(0, this.end));
    this.end = 0;
  }

  /**
   * The chunks gathered, for one socket write, or undefined when there are none. The returned
   * Buffer belongs to the caller (a socket may hold it until the kernel takes it) until reclaim():
   * meanwhile this accumulator gathers into a fresh buffer.
   */
  take(): Buffer | undefined {
    const buf = this.buf;
    if (buf === undefined || this.end === 0) return undefined;
    const out = buf.subarray(0, this.end);
    this.sizeHint = this.end;
    this.lent = buf;
    this.buf = undefined;
    this.end = 0;
    return out;
  }

  /** The last write taken is no longer referenced (the socket wrote it whole): back to the pool. */
  reclaim(): void {
    if (this.lent !== undefined) this.pool.release(this.lent);
    this.lent = undefined;
  }

  /** Drops what is gathered and gives the buffer back (the response is over). */
  dispose(): void {
    if (this.buf !== undefined) this.pool.release(this.buf);
    this.buf = undefined;
    this.end = 0;
  }

  /** The buffer, with room for `bytes` more after `end`. */
  private reserve(bytes: number): Buffer {
    const need = this.end + bytes;
    const buf = this.buf;
    if (buf !== undefined && need <= buf.length) return buf;
    // contents are stale: every byte sent is written first
    const next = this.pool.acquire(Math.max(need, this.sizeHint + FRAMING_BYTES, buf ? buf.length * 2 : 0));
    if (buf !== undefined) {
      buf.copy(next, 0, 0, this.end);
      this.pool.release(buf);
    }
    this.buf = next;
    return next;
  }

  /** Writes `size` in hex and CRLF at `end` (the caller reserved the room). */
  private sizeLine(buf: Buffer, size: number): void {
    if (!this.framed) return;
    let digits = 1;
    for (let v = size >>> 4; v > 0; v >>>= 4) digits++;
    let at = this.end + digits - 1;
    for (let v = size; at >= this.end; at--, v >>>= 4) buf[at] = HEX[v & 15] as number;
    this.end += digits;
    buf[this.end++] = CR;
    buf[this.end++] = LF;
  }

  private chunkEnd(buf: Buffer): void {
    if (!this.framed) return;
    buf[this.end++] = CR;
    buf[this.end++] = LF;
  }
}
