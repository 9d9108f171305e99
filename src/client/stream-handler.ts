// One streaming request on undici's raw dispatch API: every read is timestamped with
// performance.now() the moment its bytes arrive and fed straight to the SSE parser (no web streams
// on the hot path). At the end it labels the outcome (ferrum §8.10 + SPEC §3.6) and hands back a
// RequestRecord of raw timestamps; nothing here computes a latency.

import type { Dispatcher } from 'undici';
import type { RequestRecord } from '../core/schema/request-record.js';
import { ChunkClassifier } from './chunk-classifier.js';
import type { ConnectionListener } from './connection-tracker.js';
import { expectSocketFor } from './connection-tracker.js';
import { arrivingRead, type DeferredParse, deferParse, readArrivalTime } from './network-read.js';
import { looksLikePanic } from './output-quality.js';
import { SseParser } from './sse-parser.js';

/** What the runner knows about a request before it is sent. */
export interface PlannedRequest {
  /** `<cellIndex>.<repeat>.<w|m><index>`, unique within a run */
  readonly id: string;
  readonly cell: string;
  readonly repeat: number;
  readonly index: number;
  readonly warmup: boolean;
  /** client tokenizer count of the prompt */
  readonly inputTokens: number;
  readonly maxTokens: number;
  /** open loop: the planned send time on the performance.now() clock */
  readonly scheduledMs?: number;
}

/** Why a request was cut short by the client. */
export type AbortKind = 'timeout' | 'aborted';

export interface StreamOutcome {
  readonly record: RequestRecord;
  /** the server answered 400/422 to a body that carried stream_options (SPEC §3.1 retry rule) */
  readonly rejectedStreamOptions: boolean;
}

/** Non-2xx bodies are kept up to this many bytes for the error text and the panic test. */
const ERROR_BODY_BYTES = 64 * 1024;

export class StreamHandler implements Dispatcher.DispatchHandler, ConnectionListener, DeferredParse {
  private readonly plan: PlannedRequest;
  private readonly sendMs: number;
  private readonly sentStreamOptions: boolean;
  private readonly settle: (outcome: StreamOutcome) => void;
  private readonly classifier = new ChunkClassifier();
  private parser: SseParser | undefined;
  private controller: Dispatcher.DispatchController | undefined;
  private status: number | undefined;
  private headersMs: number | undefined;
  private connectedMs: number | undefined;
  private conn: number | undefined;
  private errorBody: Buffer[] | undefined;
  private errorBodyBytes = 0;
  private abortKind: AbortKind | undefined;
  private timer: NodeJS.Timeout | undefined;
  private finished = false;
  /** bytes stamped on arrival, waiting for the deferred parse: chunk, its read number, its arrival ms */
  private readonly pendingChunks: Buffer[] = [];
  private readonly pendingReads: number[] = [];
  private readonly pendingTimes: number[] = [];
  private parseQueued = false;

  constructor(
    plan: PlannedRequest,
    sendMs: number,
    sentStreamOptions: boolean,
    timeoutMs: number,
    settle: (outcome: StreamOutcome) => void,
  ) {
    this.plan = plan;
    this.sendMs = sendMs;
    this.sentStreamOptions = sentStreamOptions;
    this.settle = settle;
    // the per-request timeout covers connect to end of body (ferrum §8.18)
    if (Number.isFinite(timeoutMs)) {
      this.timer = setTimeout(() => this.abort('timeout'), timeoutMs);
      this.timer.unref();
    }
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /** Cuts the request short; its record is settled at once, whatever undici does afterwards. */
  abort(kind: AbortKind): void {
    if (this.finished) return;
    this.abortKind = kind;
    this.parseChunks(undefined);
    this.controller?.abort(new Error(kind === 'timeout' ? 'request timed out' : 'request aborted'));
    // undici may already have reported the abort through onResponseError
    if (!this.finished) this.finish(performance.now(), 'error');
  }

  onSocket(conn: number, connectedMs: number): void {
    this.conn = conn;
    // a connection opened for this request (after it was sent) puts its connect inside TTFT
    if (connectedMs >= this.sendMs) this.connectedMs = connectedMs;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.finished) {
      controller.abort(new Error('request aborted'));
      return;
    }
    expectSocketFor(this);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number): void {
    if (this.finished || statusCode < 200) return;
    this.headersMs = performance.now();
    this.status = statusCode;
    if (statusCode < 300) {
      const classifier = this.classifier;
      this.parser = new SseParser(
        (data) => classifier.payload(data),
        (bytes, start, end) => classifier.rawPayload(bytes, start, end),
        classifier,
      );
    } else this.errorBody = [];
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.finished) return;
    if (this.parser !== undefined) {
      // stamp now, parse after the poll phase (network-read.ts)
      this.pendingReads.push(arrivingRead());
      this.pendingTimes.push(readArrivalTime());
      this.pendingChunks.push(chunk);
      if (!this.parseQueued) {
        this.parseQueued = true;
        deferParse(this);
      }
    } else if (this.errorBody !== undefined && this.errorBodyBytes < ERROR_BODY_BYTES) {
      this.errorBody.push(chunk);
      this.errorBodyBytes += chunk.length;
    }
  }

  onResponseEnd(): void {
    if (this.finished) return;
    const read = arrivingRead();
    const endMs = readArrivalTime();
    const parser = this.parser;
    if (parser !== undefined) {
      // the end of the body often comes in the same network read as the last bytes
      if (!this.parseChunks(read)) this.classifier.beginRead(endMs);
      parser.end();
      this.classifier.endRead();
    }
    this.finish(endMs, 'eof');
  }

  /** Parses what arrived since the last batch (network-read.ts calls it after the poll phase). */
  parsePending(): void {
    this.parseQueued = false;
    if (!this.finished) this.parseChunks(undefined);
  }

  /**
   * Feeds the pending chunks to the parser, one classifier read per network read. When the last
   * read is `keepOpen`, it is left open (and true returned) so the caller can add to it.
   */
  private parseChunks(keepOpen: number | undefined): boolean {
    const parser = this.parser;
    const chunks = this.pendingChunks;
    if (parser === undefined || chunks.length === 0) return false;
    const c = this.classifier;
    let read = -1;
    for (let i = 0; i < chunks.length; i++) {
      const r = this.pendingReads[i] as number;
      if (r !== read) {
        if (read !== -1) c.endRead();
        c.beginRead(this.pendingTimes[i] as number);
        read = r;
      }
      parser.push(chunks[i] as Buffer);
    }
    chunks.length = 0;
    this.pendingReads.length = 0;
    this.pendingTimes.length = 0;
    if (read === keepOpen) return true;
    c.endRead();
    return false;
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.fail(error);
  }

  /** The request failed (no response, or the body broke off). */
  fail(error: Error): void {
    const nowMs = performance.now();
    if (this.finished) return;
    this.parseChunks(undefined);
    if (this.abortKind !== undefined) {
      this.finish(nowMs, 'error');
      return;
    }
    const code = (error as { code?: string }).code;
    this.classifier.noteError(
      `${this.status === undefined ? 'request' : 'stream'}: ${code ?? error.name}: ${error.message}`,
    );
    this.finish(nowMs, 'error');
  }

  private finish(endMs: number, how: 'eof' | 'error'): void {
    if (this.finished) return;
    this.finished = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    const c = this.classifier;
    const flags = c.flags;
    const status = this.status;
    let rejectedStreamOptions = false;
    if (this.abortKind === 'aborted') {
      flags.add('aborted');
      c.noteError('aborted: the run was interrupted');
    } else if (this.abortKind === 'timeout') {
      // ferrum labels a timeout malformed_stream (§8.18); goodput says what it was
      flags.add('malformed_stream');
      flags.add('timeout');
      c.noteError(`timeout: no complete response within the per-request timeout`);
    } else if (how === 'error') {
      flags.add('malformed_stream');
      flags.add(status === undefined ? 'connect_error' : 'truncated_body');
    }
    if (status !== undefined && (status < 200 || status >= 300)) {
      const body = Buffer.concat(this.errorBody ?? []).toString('utf8');
      if (status === 500) flags.add('http_500');
      if (status >= 500) flags.add('http_5xx');
      else if (status === 429) flags.add('http_429');
      // 3xx (redirects are not followed) and 4xx are both the client's to fix
      else flags.add('http_4xx');
      if (looksLikePanic(body)) flags.add('panic');
      c.noteError(`http ${status}: ${body}`);
      rejectedStreamOptions = this.sentStreamOptions && (status === 400 || status === 422);
    } else if (status !== undefined) {
      const parser = this.parser as SseParser;
      if (parser.invalidUtf8Lines > 0) {
        flags.add('malformed_stream');
        flags.add('bad_output');
        c.noteError(`invalid UTF-8 in ${parser.invalidUtf8Lines} SSE line(s)`);
      }
      if (how === 'eof' && c.doneCount === 0 && this.abortKind === undefined) {
        flags.add('missing_done');
        c.noteError('the stream ended without [DONE]');
      }
      const outputTokens = c.usageOutputTokens ?? c.eventMs.length;
      if (outputTokens === 0 && this.abortKind === undefined) flags.add('zero_output_tokens');
      if (c.usageOutputTokens !== undefined && c.usageOutputTokens < c.eventMs.length) {
        // usage claims fewer tokens than non-empty deltas arrived: the server's count is wrong
        flags.add('usage_mismatch');
      }
    }
    this.settle({ record: this.record(endMs), rejectedStreamOptions });
  }

  private record(endMs: number): RequestRecord {
    const p = this.plan;
    const c = this.classifier;
    // keys in RequestRecordSchema order, optional ones only when known
    const r: Record<string, unknown> = {
      id: p.id,
      cell: p.cell,
      repeat: p.repeat,
      index: p.index,
      warmup: p.warmup,
    };
    if (p.scheduledMs !== undefined) r.scheduled_ms = p.scheduledMs;
    r.send_ms = this.sendMs;
    if (this.connectedMs !== undefined) r.connected_ms = this.connectedMs;
    if (this.headersMs !== undefined) r.headers_ms = this.headersMs;
    r.event_ms = c.eventMs;
    r.end_ms = endMs;
    r.input_tokens = p.inputTokens;
    if (c.serverInputTokens !== undefined) r.server_input_tokens = c.serverInputTokens;
    if (c.cachedTokens !== undefined) r.cached_tokens = c.cachedTokens;
    if (c.usageOutputTokens !== undefined) r.usage_output_tokens = c.usageOutputTokens;
    r.coalesced_reads = c.coalescedReads;
    r.done_count = c.doneCount;
    r.max_tokens = p.maxTokens;
    if (c.finishReason !== undefined) r.finish_reason = c.finishReason;
    if (c.firstChannel !== undefined) r.first_channel = c.firstChannel;
    if (this.status !== undefined) r.status = this.status;
    r.flags = c.flags.toArray();
    if (c.error !== undefined) r.error = c.error;
    r.source = 'sse';
    if (this.conn !== undefined) r.conn = this.conn;
    return r as RequestRecord;
  }
}
