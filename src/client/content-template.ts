// The byte template of a stream's plain content events, behind the chunk classifier's fast path:
// servers repeat one chunk shape and change only the content text, so once JSON.parse has read a
// chunk as a plain content delta, later events with the same bytes around the text are recognised
// on bytes alone (no UTF-8 decode, no JSON.parse), with exactly the outcome of the full parse.

import { isQualityTriggerByte } from './output-quality.js';

const LF = 10;
const CR = 13;
const QUOTE = 34;
const BACKSLASH = 92;

/** Bytes of a content literal's text: plain, possibly part of a quality flag, an escape, or its end. */
const PLAIN = 0;
const TRIGGER = 1;
const ESCAPE = 2;
/** `"` or a control byte (invalid inside a JSON string): the closing quote, or not a template event */
const STOP = 4;

function byteClass(byte: number): number {
  if (byte === QUOTE || byte < 32) return STOP;
  if (byte === BACKSLASH) return ESCAPE;
  return isQualityTriggerByte(byte) ? TRIGGER : PLAIN;
}

/** Bytes of the JSON escape at bytes[i] (a backslash): 2, or 6 for \uXXXX; 0 when invalid or cut off. */
function escapeLength(bytes: Buffer, i: number): number {
  const e = bytes[i + 1];
  // " \ / b f n r t
  if (e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116)
    return 2;
  if (e !== 117) return 0;
  for (let k = i + 2; k < i + 6; k++) {
    const h = bytes[k];
    if (h === undefined || !((h >= 48 && h <= 57) || (h >= 65 && h <= 70) || (h >= 97 && h <= 102))) return 0;
  }
  return 6;
}

const BYTE_CLASS = Uint8Array.from({ length: 256 }, (_, byte) => byteClass(byte));

/** `data: `: the start of the one line of a template event (WHATWG strips the one space). */
const DATA_FIELD = 'data: ';
/** its first byte, `d` */
const D = 100;
/** Longest text (bytes) checked by soleEventTextEnd(); a token's text is far shorter. */
const SOLE_TEXT_MAX = 64;
/** what an unlearned template holds (shared: never written) */
const NO_BYTES = Buffer.alloc(0);

/**
 * A chunk payload learned from one plain content delta: the bytes before its content literal's
 * text (`{…"delta":{"content":"`) and after it (`"},…}` from the closing quote). A payload with the
 * same prefix and suffix bytes around a valid JSON string body (no unescaped `"`, no control
 * bytes, valid escapes) is the same JSON document with another string value: its only output is
 * that string, on the `content` channel.
 */
export class ContentTemplate {
  /** set by textEnd() and payloadText(): the text holds a byte on which a quality check could match */
  triggered = false;
  /** set by textEnd() and payloadText(): the text holds JSON escapes (its bytes are not the text) */
  escaped = false;
  private prefix: Buffer | undefined = undefined;
  private suffix: Buffer = NO_BYTES;
  private prefixText = '';
  private suffixText = '';
  /**
   * Byte strings checked with one native compare each (a JS byte loop is slower), all views of
   * one allocation per framing. The joint is what lies between one template event's text and the
   * next one's: suffix, blank line, `data: `, prefix; its start is the tail (suffix and blank
   * line, an event's end) and its end the head (`data: ` and prefix, an event's start).
   */
  private head: Buffer = NO_BYTES;
  private tailLf: Buffer = NO_BYTES;
  private jointLf: Buffer = NO_BYTES;
  /** the CRLF CRLF framing, built when a stream first uses it */
  private tailCrlf: Buffer = NO_BYTES;
  private jointCrlf: Buffer | undefined = undefined;
  /** see soleEventTextEnd(): head + room for a text of length L + tail, at 2 L (+1 for CRLF CRLF) */
  private soleEvents: Array<Buffer | undefined> = [];

  /** Bytes from a template event's line start to its text: `data: ` and the prefix. */
  get headLength(): number {
    return this.head.length;
  }

  /** Bytes of the suffix (from the text's closing quote to the end of the payload). */
  get suffixLength(): number {
    return this.suffix.length;
  }

  /**
   * Learns from a payload `text` that JSON.parse read as a plain content delta whose text is
   * `content`; ignored when its content literal cannot be located exactly.
   */
  learn(text: string, content: string): void {
    const key = '"content":"';
    const at = text.indexOf(key);
    if (at === -1 || text.indexOf(key, at + 1) !== -1) return;
    const start = at + key.length;
    let end = start;
    while (end < text.length && text.charCodeAt(end) !== QUOTE) {
      end += text.charCodeAt(end) === BACKSLASH ? 2 : 1;
    }
    if (end >= text.length || JSON.parse(text.slice(start - 1, end + 1)) !== content) return;
    const prefixText = text.slice(0, start);
    const suffixText = text.slice(end);
    if (this.prefix !== undefined && prefixText === this.prefixText && suffixText === this.suffixText) return;
    this.prefixText = prefixText;
    this.suffixText = suffixText;
    // learned once per stream: one allocation, the other byte strings are views of it
    const joint = Buffer.from(`${suffixText}\n\n${DATA_FIELD}${prefixText}`, 'utf8');
    const suffixLength = Buffer.byteLength(suffixText, 'utf8');
    this.jointLf = joint;
    this.suffix = joint.subarray(0, suffixLength);
    this.tailLf = joint.subarray(0, suffixLength + 2);
    this.head = joint.subarray(suffixLength + 2);
    this.prefix = joint.subarray(suffixLength + 2 + DATA_FIELD.length);
    this.jointCrlf = undefined;
    this.soleEvents = [];
  }

  /**
   * For a payload at bytes[start, end): the start of its text when it fits the template (the text
   * then ends at `end - suffix length`), else -1. Sets `triggered` and `escaped`.
   */
  payloadText(bytes: Buffer, start: number, end: number): number {
    const prefix = this.prefix;
    if (prefix === undefined) return -1;
    const suffix = this.suffix;
    const from = start + prefix.length;
    const to = end - suffix.length;
    if (to <= from) return -1;
    if (prefix.compare(bytes, start, from) !== 0 || suffix.compare(bytes, to, end) !== 0) return -1;
    return this.textEnd(bytes, from) === to ? from : -1;
  }

  /**
   * Where the text of a template event whose line starts at `pos` begins (after `data: ` and the
   * prefix), or -1 when the line does not start that way.
   */
  eventText(bytes: Buffer, pos: number): number {
    const head = this.head;
    // a first byte other than the `d` of `data:` (a comment, `id:`, a blank line) fails cheaply
    if (bytes[pos] !== D || head === NO_BYTES) return -1;
    return equalAt(bytes, pos, head) ? pos + head.length : -1;
  }

  /**
   * The index of the closing quote of a non-empty JSON string body starting at `from` (no control
   * bytes, valid escapes), else -1 (also when the read ends first). Sets `triggered` and `escaped`.
   */
  textEnd(bytes: Buffer, from: number): number {
    const n = bytes.length;
    let seen = 0;
    let i = from;
    while (i < n) {
      const c = BYTE_CLASS[bytes[i] as number] as number;
      if (c < ESCAPE) {
        seen |= c;
        i++;
      } else if (c === ESCAPE) {
        const length = escapeLength(bytes, i);
        if (length === 0) return -1;
        seen |= c;
        i += length;
      } else break;
    }
    this.triggered = (seen & TRIGGER) !== 0;
    this.escaped = (seen & ESCAPE) !== 0;
    return i > from && i < n && bytes[i] === QUOTE ? i : -1;
  }

  /**
   * After the text ending at `to`: when the suffix, a blank line (LF LF or CRLF CRLF) and the next
   * template event's `data: ` and prefix follow, where that event's text begins; else -1.
   */
  nextEventText(bytes: Buffer, to: number): number {
    const crlf = bytes[to + this.suffix.length] === CR;
    const joint = crlf ? (this.withCrlf().jointCrlf as Buffer) : this.jointLf;
    return equalAt(bytes, to, joint) ? to + joint.length : -1;
  }

  /** After the text ending at `to`: the end of the event when the suffix and a blank line follow, else -1. */
  eventEnd(bytes: Buffer, to: number): number {
    const crlf = bytes[to + this.suffix.length] === CR;
    const tail = crlf ? this.withCrlf().tailCrlf : this.tailLf;
    return equalAt(bytes, to, tail) ? to + tail.length : -1;
  }

  /**
   * When bytes[pos…] is exactly one template event (servers that send each event as its own HTTP
   * chunk hand them over one by one), the index where its text ends; else -1. Sets `triggered`
   * and `escaped`. Head and tail are checked together, with one compare of the whole event
   * against head + a copy of its text + tail (kept per text length): one native call, not two.
   */
  soleEventTextEnd(bytes: Buffer, pos: number): number {
    const head = this.head;
    const n = bytes.length;
    if (head === NO_BYTES || bytes[n - 1] !== LF) return -1;
    const crlf = bytes[n - 2] === CR;
    const tail = crlf ? this.withCrlf().tailCrlf : this.tailLf;
    const from = pos + head.length;
    const to = n - tail.length;
    const length = to - from;
    if (length <= 0 || length > SOLE_TEXT_MAX || this.textEnd(bytes, from) !== to) return -1;
    const slot = 2 * length + (crlf ? 1 : 0);
    let expected = this.soleEvents[slot];
    if (expected === undefined) {
      expected = Buffer.allocUnsafe(head.length + length + tail.length);
      head.copy(expected, 0);
      tail.copy(expected, head.length + length);
      this.soleEvents[slot] = expected;
    }
    for (let i = 0; i < length; i++) expected[head.length + i] = bytes[from + i] as number;
    // a whole-buffer compare skips the offset checks of a ranged one
    return (pos === 0 ? expected.compare(bytes) : expected.compare(bytes, pos, n)) === 0 ? to : -1;
  }

  /** This template with its CRLF CRLF framing built (on a stream's first CRLF event). */
  private withCrlf(): this {
    if (this.jointCrlf === undefined) {
      const joint = Buffer.from(`${this.suffixText}\r\n\r\n${DATA_FIELD}${this.prefixText}`, 'utf8');
      this.jointCrlf = joint;
      this.tailCrlf = joint.subarray(0, this.suffix.length + 4);
    }
    return this;
  }
}

/** bytes[at, at + needle.length) equals needle (false when the read ends first). */
function equalAt(bytes: Buffer, at: number, needle: Buffer): boolean {
  const end = at + needle.length;
  return end <= bytes.length && needle.compare(bytes, at, end) === 0;
}
