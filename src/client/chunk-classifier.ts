// Classifies the SSE payloads of one streamed response (ferrum-behaviour §8.8–8.10 plus goodput's
// extended taxonomy, SPEC §3.6): output events with their arrival time, `[DONE]` sentinels, usage,
// finish reason, server error events and quality flags. It records raw facts only; metrics/
// derives TTFT, ITL and success from them.

import type { RequestFlag } from '../core/schema/request-record.js';
import { REQUEST_FLAGS, truncateChars } from '../core/schema/request-record.js';
import { ContentTemplate } from './content-template.js';
import { findBadOutput, looksLikePanic } from './output-quality.js';
import type { SseEventRun } from './sse-parser.js';

/** Channel of an output event (reasoning tokens count as output, ferrum §8.8). */
export type OutputChannel = 'content' | 'reasoning' | 'reasoning_content' | 'text';

const FLAG_BIT = new Map<RequestFlag, number>(REQUEST_FLAGS.map((flag, i) => [flag, 1 << i]));

/** A set of request flags as a bit mask (no allocation per flag), written in REQUEST_FLAGS order. */
export class FlagSet {
  private mask = 0;

  add(flag: RequestFlag): void {
    this.mask |= FLAG_BIT.get(flag) as number;
  }

  has(flag: RequestFlag): boolean {
    return (this.mask & (FLAG_BIT.get(flag) as number)) !== 0;
  }

  get size(): number {
    let n = 0;
    for (let m = this.mask; m !== 0; m &= m - 1) n++;
    return n;
  }

  toArray(): RequestFlag[] {
    // the usual clean request: no scan of every flag
    if (this.mask === 0) return [];
    return REQUEST_FLAGS.filter((flag) => (this.mask & (FLAG_BIT.get(flag) as number)) !== 0);
  }
}

/** Error texts are cut to this many characters (by characters, never bytes). */
export const ERROR_TEXT_CHARS = 500;

/**
 * State of one response stream. Call `beginRead(nowMs)` before feeding a network read's payloads
 * to `payload`, and `endRead()` after; every output event of that read is timestamped `nowMs`.
 */
export class ChunkClassifier implements SseEventRun {
  readonly eventMs: number[] = [];
  readonly flags = new FlagSet();
  doneCount = 0;
  coalescedReads = 0;
  usageOutputTokens: number | undefined = undefined;
  serverInputTokens: number | undefined = undefined;
  cachedTokens: number | undefined = undefined;
  finishReason: string | undefined = undefined;
  firstChannel: OutputChannel | undefined = undefined;
  error: string | undefined = undefined;

  /** events the last takeEvents() took */
  eventsTaken = 0;

  private nowMs = 0;
  private eventsThisRead = 0;
  /** the bytes around the content literal of this stream's plain content chunks (the fast path) */
  private readonly template = new ContentTemplate();
  /** channel of the latest output event (a template is learned from content events only) */
  private lastChannel: OutputChannel | undefined = undefined;

  beginRead(nowMs: number): void {
    this.nowMs = nowMs;
    this.eventsThisRead = 0;
  }

  /** ferrum's per-read coalescing diagnostic: a read that surfaced more than one output event. */
  endRead(): void {
    if (this.eventsThisRead > 1) this.coalescedReads++;
  }

  /** Records the first error text (later ones are dropped: the first cause explains the rest). */
  noteError(text: string): void {
    if (this.error === undefined) this.error = truncateChars(text, ERROR_TEXT_CHARS);
  }

  /** One SSE `data` payload (the joined data lines of one event). */
  payload(data: string): void {
    // ferrum trims the payload; most payloads have nothing to trim, so look before copying
    const last = data.length - 1;
    const text = last >= 0 && data.charCodeAt(0) > 32 && data.charCodeAt(last) > 32 ? data : data.trim();
    if (text === '[DONE]') {
      this.doneCount++;
      if (this.doneCount > 1) this.flags.add('duplicate_done');
      return;
    }
    // an empty data event (a keep-alive some servers send) is not a chunk and not an error
    if (text === '') return;
    let chunk: unknown;
    try {
      chunk = JSON.parse(text);
    } catch (e) {
      // A capture or server that omits the blank line between events joins several `data:` lines
      // into one event; ferrum reads each `data:` line on its own, so fall back to that.
      if (text.includes('\n')) {
        for (const line of text.split('\n')) this.payload(line);
        return;
      }
      this.malformed(`malformed SSE JSON: ${(e as Error).message}: ${text}`);
      return;
    }
    // payloads after `[DONE]` are still processed (as ferrum does) and labelled
    if (this.doneCount > 0) this.flags.add('data_after_done');
    if (typeof chunk !== 'object' || chunk === null || Array.isArray(chunk)) {
      this.malformed(`SSE payload is not a JSON object: ${text}`);
      return;
    }
    const eventsBefore = this.eventMs.length;
    const flagged = this.flags.size;
    this.chunk(chunk as Record<string, unknown>, text);
    if (
      this.eventMs.length === eventsBefore + 1 &&
      this.flags.size === flagged &&
      this.lastChannel === 'content'
    ) {
      this.learnTemplate(text, chunk as Record<string, unknown>);
    }
  }

  /**
   * The fast path for one event (an SseRawDataSink): a payload that fits this stream's content
   * template (content-template.ts) is that template's JSON with another text, so its only output
   * is that text: no JSON.parse, and no decoding unless a quality check could match. Anything else
   * returns false and takes the full path. Nothing is taken after `[DONE]` (data_after_done).
   */
  rawPayload(bytes: Buffer, start: number, end: number): boolean {
    if (this.doneCount > 0) return false;
    const template = this.template;
    const from = template.payloadText(bytes, start, end);
    // a text with escapes is left to the full path here; only whole-event runs decode escapes
    if (from === -1 || template.escaped) return false;
    return this.templateEvent(bytes, from, end - template.suffixLength);
  }

  /**
   * The fast path over whole events (an SseEventRun): takes the run of template events that starts
   * at `pos`, each `data: ` + template payload + a blank line, checking each event's end and the
   * next one's start with one compare (or a read of exactly one event with one compare). Returns
   * the position after the last event taken.
   */
  takeEvents(bytes: Buffer, pos: number): number {
    this.eventsTaken = 0;
    if (this.doneCount > 0) return pos;
    const template = this.template;
    const soleEnd = template.soleEventTextEnd(bytes, pos);
    if (soleEnd !== -1) {
      if (!this.templateEvent(bytes, pos + template.headLength, soleEnd)) return pos;
      this.eventsTaken = 1;
      return bytes.length;
    }
    let from = template.eventText(bytes, pos);
    let taken = pos;
    while (from !== -1) {
      const to = template.textEnd(bytes, from);
      if (to === -1) break;
      const next = template.nextEventText(bytes, to);
      const end = next === -1 ? template.eventEnd(bytes, to) : next - template.headLength;
      if (end === -1 || !this.templateEvent(bytes, from, to)) break;
      this.eventsTaken++;
      taken = end;
      from = next;
    }
    return taken;
  }

  /**
   * One template event whose string body is bytes[from, to); false (nothing recorded) when it
   * needs the full path.
   */
  private templateEvent(bytes: Buffer, from: number, to: number): boolean {
    const template = this.template;
    if (!template.triggered && !template.escaped) {
      // no byte a quality check could match: the text itself is not needed
      this.outputEvent('content');
      return true;
    }
    const body = bytes.toString('utf8', from, to);
    // invalid UTF-8 is accounted for on the full path
    if (body.indexOf('\uFFFD') !== -1) return false;
    this.outputEvent('content');
    this.checkOutput(template.escaped ? (JSON.parse(`"${body}"`) as string) : body);
    return true;
  }

  /** Learns the content template from a chunk the full path read as one plain content event. */
  private learnTemplate(text: string, chunk: Record<string, unknown>): void {
    if (chunk.usage !== undefined && chunk.usage !== null) return;
    const first = (chunk.choices as unknown[])[0] as Record<string, unknown>;
    if (first.finish_reason !== undefined && first.finish_reason !== null) return;
    this.template.learn(text, (first.delta as Record<string, unknown>).content as string);
  }

  private chunk(chunk: Record<string, unknown>, text: string): void {
    const error = chunk.error;
    if (error !== undefined && error !== null) {
      this.flags.add('server_error_event');
      this.noteError(`server error event: ${typeof error === 'string' ? error : JSON.stringify(error)}`);
      return;
    }
    const choices = chunk.choices;
    if (choices !== undefined && choices !== null) {
      if (!Array.isArray(choices)) {
        this.malformed(`SSE chunk "choices" is not an array: ${text}`);
        return;
      }
      const first: unknown = choices[0];
      if (first !== undefined && first !== null) {
        if (typeof first !== 'object') {
          this.malformed(`SSE chunk choices[0] is not an object: ${text}`);
          return;
        }
        if (!this.choice(first as Record<string, unknown>, text)) return;
      }
    }
    const usage = chunk.usage;
    if (usage !== undefined && usage !== null) {
      if (typeof usage !== 'object') {
        this.malformed(`SSE chunk "usage" is not an object: ${text}`);
        return;
      }
      this.usage(usage as Record<string, unknown>, text);
    }
  }

  /** Reads the first choice; false when it was malformed. */
  private choice(choice: Record<string, unknown>, text: string): boolean {
    let out: string | undefined;
    let channel: OutputChannel = 'content';
    const delta = choice.delta;
    if (delta !== undefined && delta !== null) {
      if (typeof delta !== 'object') {
        this.malformed(`SSE chunk choices[0].delta is not an object: ${text}`);
        return false;
      }
      const d = delta as Record<string, unknown>;
      // the first non-empty text among content, reasoning, reasoning_content (ferrum §8.8)
      for (const key of ['content', 'reasoning', 'reasoning_content'] as const) {
        const value = d[key];
        if (value === undefined || value === null) continue;
        if (typeof value !== 'string') {
          this.malformed(`SSE chunk choices[0].delta.${key} is not a string: ${text}`);
          return false;
        }
        if (value !== '' && out === undefined) {
          out = value;
          channel = key;
        }
      }
    }
    if (out === undefined) {
      const completion = choice.text;
      if (completion !== undefined && completion !== null) {
        if (typeof completion !== 'string') {
          this.malformed(`SSE chunk choices[0].text is not a string: ${text}`);
          return false;
        }
        if (completion !== '') {
          out = completion;
          channel = 'text';
        }
      }
    }
    const finish = choice.finish_reason;
    if (typeof finish === 'string') this.finishReason = finish;
    if (out !== undefined) {
      this.outputEvent(channel);
      this.checkOutput(out);
    }
    return true;
  }

  private outputEvent(channel: OutputChannel): void {
    this.lastChannel = channel;
    this.eventMs.push(this.nowMs);
    this.eventsThisRead++;
    if (this.firstChannel === undefined) this.firstChannel = channel;
  }

  /** ferrum's per-delta quality checks on one output text. */
  private checkOutput(text: string): void {
    const bad = findBadOutput(text);
    if (bad !== undefined) {
      this.flags.add('bad_output');
      this.noteError(`bad output ${JSON.stringify(bad)}: ${text}`);
    }
    if (looksLikePanic(text)) {
      this.flags.add('panic');
      this.noteError(`panic in output: ${text}`);
    }
  }

  private usage(usage: Record<string, unknown>, text: string): void {
    const completion = tokenCount(usage.completion_tokens);
    const prompt = tokenCount(usage.prompt_tokens);
    if (completion === null || prompt === null) {
      this.malformed(`SSE chunk usage has a bad token count: ${text}`);
      return;
    }
    // the last usage seen wins (ferrum §8.8)
    if (completion !== undefined) this.usageOutputTokens = completion;
    if (prompt !== undefined) this.serverInputTokens = prompt;
    const details = usage.prompt_tokens_details;
    if (details !== undefined && details !== null && typeof details === 'object') {
      const cached = tokenCount((details as Record<string, unknown>).cached_tokens);
      if (cached === null) {
        this.malformed(`SSE chunk usage.prompt_tokens_details.cached_tokens is bad: ${text}`);
        return;
      }
      if (cached !== undefined) this.cachedTokens = cached;
    }
  }

  private malformed(message: string): void {
    this.flags.add('malformed_stream');
    this.noteError(message);
  }
}

/** undefined when absent, null when present but not a non-negative integer. */
function tokenCount(value: unknown): number | undefined | null {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}
