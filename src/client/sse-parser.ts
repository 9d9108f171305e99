// The incremental text/event-stream parser (WHATWG HTML "event stream interpretation") working on
// raw bytes as they arrive: line ends are found on bytes (LF, CRLF, CR, including a CR ending one
// read and its LF starting the next), and only field values are decoded, so a UTF-8 character split
// across reads is never cut. One string per dispatched payload; no per-event objects.

import { isUtf8 } from 'node:buffer';

const LF = 10;
const CR = 13;
const COLON = 58;
const SPACE = 32;
/** the empty pending buffer every parser starts with (never written: growing it allocates) */
const NO_BYTES = Buffer.alloc(0);

/** Receives one dispatched event: the data lines joined with "\n", its type ("message" unless an `event:` field said otherwise) and the last event id. */
export type SseEventSink = (data: string, type: string, lastEventId: string) => void;

/**
 * Optional fast path for the common event of one `data:` line and no `event:` field: gets the
 * value's bytes undecoded and returns true when it consumed them; false sends the event down the
 * normal (decoded) path.
 */
export type SseRawDataSink = (bytes: Buffer, start: number, end: number) => boolean;

/**
 * Optional fast path over whole events, offered at each event boundary inside a read (a line
 * start with no event in progress and no partial line). It may take a run of complete events,
 * each exactly `data: VALUE` and then LF LF or CRLF CRLF, with VALUE free of CR and LF (so that
 * each dispatches VALUE as a "message"), doing for each what an SseRawDataSink returning true
 * does; it returns the position after the last event it took (`pos` when none) and sets
 * `eventsTaken`. It saves finding every line end and every blank line one by one.
 */
export interface SseEventRun {
  takeEvents(bytes: Buffer, pos: number): number;
  readonly eventsTaken: number;
}

/**
 * Parses one event stream. Feed every read to `push` and call `end` once at end of stream.
 * Exact to the WHATWG rules with one deliberate extension: at end of stream, an event that was not
 * terminated by a blank line is still dispatched (real servers and captures end with `data: [DONE]\n`).
 */
export class SseParser {
  /** the last `id:` value seen (WHATWG "last event ID buffer", kept across events) */
  lastEventId = '';
  /** the last valid `retry:` value in ms, if any */
  retryMs: number | undefined = undefined;
  /** lines whose bytes were not valid UTF-8 (decoded with U+FFFD, as WHATWG requires) */
  invalidUtf8Lines = 0;
  /** comment lines (`:` first), e.g. keep-alive pings */
  comments = 0;

  private readonly sink: SseEventSink;
  private readonly rawSink: SseRawDataSink | undefined;
  private readonly run: SseEventRun | undefined;
  /** the event's only data line, not decoded yet (in a read's own buffer, or in `pending` until that is reused) */
  private rawBytes: Buffer | undefined = undefined;
  private rawStart = 0;
  private rawEnd = 0;
  /** bytes of a line that started in an earlier read and has not ended yet */
  private pending: Buffer = NO_BYTES;
  private pendingLength = 0;
  /** the previous read ended with CR: an LF starting the next read belongs to that line end */
  private skipLeadingLf = false;
  private firstLine = true;
  private data = '';
  private hasData = false;
  private eventType = '';
  private dispatched = 0;

  constructor(sink: SseEventSink, rawSink?: SseRawDataSink, run?: SseEventRun) {
    this.sink = sink;
    this.rawSink = rawSink;
    this.run = run;
  }

  /**
   * Parses one read; returns the number of events it dispatched. The parser may keep a reference
   * to `chunk` until the event holding its data is dispatched: do not reuse its memory.
   */
  push(chunk: Uint8Array): number {
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const n = bytes.length;
    this.dispatched = 0;
    let pos = 0;
    if (this.skipLeadingLf && n > 0) {
      if (bytes[0] === LF) pos = 1;
      this.skipLeadingLf = false;
    }
    // the next LF / CR at or after pos; -1 means none left in this read (never rescanned). Found
    // lazily (-2: not looked for yet): a read the event run takes whole is never searched.
    let nextLf = -2;
    let nextCr = -2;
    const run = this.run;
    while (pos < n) {
      if (
        run !== undefined &&
        !this.hasData &&
        this.pendingLength === 0 &&
        this.eventType === '' &&
        !this.firstLine
      ) {
        const after = run.takeEvents(bytes, pos);
        if (after !== pos) {
          this.dispatched += run.eventsTaken;
          pos = after;
          continue;
        }
      }
      if (nextLf !== -1 && nextLf < pos) nextLf = bytes.indexOf(LF, pos);
      if (nextCr !== -1 && nextCr < pos) nextCr = bytes.indexOf(CR, pos);
      let eol: number;
      if (nextLf === -1) {
        if (nextCr === -1) break;
        eol = nextCr;
      } else eol = nextCr === -1 || nextLf < nextCr ? nextLf : nextCr;
      if (this.pendingLength > 0) {
        this.appendPending(bytes, pos, eol);
        // a line that spanned reads may take the raw path too (appendPending protects it)
        this.processLine(this.pending, 0, this.pendingLength, this.rawSink !== undefined);
        this.pendingLength = 0;
      } else this.processLine(bytes, pos, eol, this.rawSink !== undefined);
      if (bytes[eol] === CR) {
        if (eol + 1 < n) pos = bytes[eol + 1] === LF ? eol + 2 : eol + 1;
        else {
          this.skipLeadingLf = true;
          pos = n;
        }
      } else pos = eol + 1;
    }
    if (pos < n) this.appendPending(bytes, pos, n);
    return this.dispatched;
  }

  /** End of stream: an unterminated last line is processed and a pending event dispatched. Returns the number of events dispatched. */
  end(): number {
    this.dispatched = 0;
    if (this.pendingLength > 0) {
      this.processLine(this.pending, 0, this.pendingLength, false);
      this.pendingLength = 0;
    }
    this.dispatch();
    this.skipLeadingLf = false;
    return this.dispatched;
  }

  private appendPending(bytes: Buffer, start: number, end: number): void {
    // the pending buffer is about to be reused: a data line kept raw in it is decoded first
    if (this.rawBytes === this.pending) this.decodeRaw();
    const length = end - start;
    const needed = this.pendingLength + length;
    if (needed > this.pending.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.pending.length * 2, 256));
      this.pending.copy(grown, 0, 0, this.pendingLength);
      this.pending = grown;
    }
    bytes.copy(this.pending, this.pendingLength, start, end);
    this.pendingLength = needed;
  }

  private processLine(bytes: Buffer, lineStart: number, end: number, keepRaw: boolean): void {
    let start = lineStart;
    if (this.firstLine) {
      this.firstLine = false;
      // a UTF-8 byte order mark at the very start of the stream is not part of the first line
      if (end - start >= 3 && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf)
        start += 3;
    }
    if (start === end) {
      this.dispatch();
      return;
    }
    if (bytes[start] === COLON) {
      this.comments++;
      return;
    }
    // the field name runs to the first colon (or the whole line); names are short, so scan by hand
    let colon = start;
    while (colon < end && bytes[colon] !== COLON) colon++;
    const nameLength = colon - start;
    let valueStart = colon < end ? colon + 1 : end;
    if (valueStart < end && bytes[valueStart] === SPACE) valueStart++;
    const b0 = bytes[start];
    if (
      nameLength === 4 &&
      b0 === 100 &&
      bytes[start + 1] === 97 &&
      bytes[start + 2] === 116 &&
      bytes[start + 3] === 97
    ) {
      // data
      if (!this.hasData && keepRaw) {
        this.rawBytes = bytes;
        this.rawStart = valueStart;
        this.rawEnd = end;
        this.hasData = true;
        return;
      }
      this.decodeRaw();
      const value = this.decode(bytes, valueStart, end);
      if (this.hasData) this.data = `${this.data}\n${value}`;
      else {
        this.data = value;
        this.hasData = true;
      }
    } else if (nameLength === 5 && b0 === 101 && matches(bytes, start, 'event')) {
      this.eventType = this.decode(bytes, valueStart, end);
    } else if (nameLength === 2 && b0 === 105 && bytes[start + 1] === 100) {
      // id: a value containing U+0000 is ignored
      const nul = bytes.indexOf(0, valueStart);
      if (nul === -1 || nul >= end) this.lastEventId = this.decode(bytes, valueStart, end);
    } else if (nameLength === 5 && b0 === 114 && matches(bytes, start, 'retry')) {
      let ms = 0;
      let digits = valueStart < end;
      for (let i = valueStart; i < end; i++) {
        const c = bytes[i] as number;
        if (c < 48 || c > 57) {
          digits = false;
          break;
        }
        ms = ms * 10 + (c - 48);
      }
      if (digits) this.retryMs = ms;
    }
    // any other field name is ignored (WHATWG)
  }

  private decode(bytes: Buffer, start: number, end: number): string {
    if (start >= end) return '';
    const text = bytes.toString('utf8', start, end);
    // U+FFFD in the text is either sent literally or a decoding replacement: tell them apart
    if (text.indexOf('\uFFFD') !== -1 && !isUtf8(bytes.subarray(start, end))) this.invalidUtf8Lines++;
    return text;
  }

  /** A second data line (or an event type) needs the first one as text. */
  private decodeRaw(): void {
    const raw = this.rawBytes;
    if (raw === undefined) return;
    this.rawBytes = undefined;
    this.data = this.decode(raw, this.rawStart, this.rawEnd);
  }

  private dispatch(): void {
    if (!this.hasData) {
      this.eventType = '';
      return;
    }
    const raw = this.rawBytes;
    if (raw !== undefined) {
      if (this.eventType === '' && (this.rawSink as SseRawDataSink)(raw, this.rawStart, this.rawEnd)) {
        this.rawBytes = undefined;
        this.hasData = false;
        this.dispatched++;
        return;
      }
      this.decodeRaw();
    }
    const data = this.data;
    const type = this.eventType === '' ? 'message' : this.eventType;
    this.data = '';
    this.hasData = false;
    this.eventType = '';
    this.dispatched++;
    this.sink(data, type, this.lastEventId);
  }
}

function matches(bytes: Buffer, start: number, name: string): boolean {
  for (let i = 0; i < name.length; i++) if (bytes[start + i] !== name.charCodeAt(i)) return false;
  return true;
}
