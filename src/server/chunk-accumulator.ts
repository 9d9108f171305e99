// The body bytes one streaming response gathers during one turn of the event loop, taken out as
// ONE HTTP/1.1 chunk (hex size line, bytes, CRLF) in a single Buffer: event bytes are copied in
// once, and the size line is written into headroom kept in front, so a turn costs one socket write.
// When the socket took the chunk whole (nothing left queued), the buffer is reclaimed for the next.

/** room in front for the size line: up to 8 hex digits (< 4 GiB) and CRLF */
const HEADROOM = 10;
const CR = 0x0d;
const LF = 0x0a;

export class ChunkAccumulator {
  private buf: Buffer | undefined;
  /** the last chunk taken: its buffer, which may be reused once the socket no longer holds it */
  private lent: Buffer | undefined;
  private end = HEADROOM;
  /** capacity asked for when the next buffer is allocated: the last chunk's size */
  private sizeHint: number;

  constructor(initialBytes = 512) {
    this.sizeHint = initialBytes;
  }

  /** bytes gathered so far */
  get byteLength(): number {
    return this.end - HEADROOM;
  }

  append(bytes: Uint8Array): void {
    const need = this.end + bytes.length + 2;
    if (this.buf === undefined || need > this.buf.length) this.grow(need);
    (this.buf as Buffer).set(bytes, this.end);
    this.end += bytes.length;
  }

  /** Appends text as UTF-8 (for the rare events that are not pre-encoded). */
  appendText(text: string): void {
    this.append(Buffer.from(text, 'utf8'));
  }

  /** Moves everything gathered into `target` and empties this one. */
  drainInto(target: ChunkAccumulator): void {
    if (this.buf === undefined || this.byteLength === 0) return;
    target.append(this.buf.subarray(HEADROOM, this.end));
    this.end = HEADROOM;
  }

  /**
   * The gathered bytes framed as one HTTP/1.1 chunk, or undefined when there are none. The
   * returned Buffer belongs to the caller (a socket may hold it until the kernel takes it) until
   * reclaim(): meanwhile this accumulator gathers into a fresh buffer.
   */
  takeChunk(): Buffer | undefined {
    const buf = this.buf;
    const size = this.end - HEADROOM;
    if (buf === undefined || size === 0) return undefined;
    const hex = size.toString(16);
    const start = HEADROOM - 2 - hex.length;
    buf.write(hex, start, 'latin1');
    buf[HEADROOM - 2] = CR;
    buf[HEADROOM - 1] = LF;
    buf[this.end] = CR;
    buf[this.end + 1] = LF;
    const chunk = buf.subarray(start, this.end + 2);
    this.sizeHint = size;
    this.lent = buf;
    this.buf = undefined;
    this.end = HEADROOM;
    return chunk;
  }

  /** The last chunk taken is no longer referenced (the socket wrote it whole): reuse its buffer. */
  reclaim(): void {
    if (this.lent !== undefined && this.buf === undefined) this.buf = this.lent;
    this.lent = undefined;
  }

  private grow(need: number): void {
    const capacity = Math.max(need, HEADROOM + this.sizeHint + 2, this.buf ? this.buf.length * 2 : 0);
    // allocUnsafe: small buffers come from Node's shared pool; every byte read is written first
    const next = Buffer.allocUnsafe(capacity);
    if (this.buf !== undefined) this.buf.copy(next, HEADROOM, HEADROOM, this.end);
    this.buf = next;
  }
}
