// One live completion response of the simulator: receives its tokens from the step loop and
// writes them (SSE events or one JSON body), applying the request's faults on the wire, and
// records the ground truth of every write. Mid-stream faults strike at token floor(N / 2) of N
// planned tokens (at the end for N = 0): reset and error_event end the stream there; stall holds
// every write for its duration then flushes what was held in one write; malformed_json,
// bad_output and mojibake corrupt that one token event.

import type { ServerResponse } from 'node:http';
import type { CompletionRequest } from '../core/sim/completion-request.js';
import { FAULT_NAMES, type FaultName } from '../core/sim/fault-plan.js';
import type { WordStream } from '../core/sim/output-plan.js';
import { ChunkAccumulator } from './chunk-accumulator.js';
import { SERVER_HEADER, sendJson } from './openai-error.js';
import type { LiveResponse, SimContext } from './sim-context.js';
import { DONE_EVENT, ERROR_EVENT, SseChunks } from './sse-chunks.js';
import type { TruthRecord } from './truth-log.js';

export interface CompletionJob {
  requestNumber: number;
  request: CompletionRequest;
  /** model name echoed in the response */
  model: string;
  promptTokens: number;
  outputTokens: number;
  finishReason: 'stop' | 'length';
  /** planned faults that can act on this response, with their parameters */
  faults: ReadonlyMap<FaultName, number>;
  words: WordStream;
}

function flushPending(response: CompletionResponse): void {
  response.flushPending();
}

/** pause between the last bytes before a reset fault and the RST, ms */
const RESET_DELAY_MS = 10;

const BAD_OUTPUT = { text: '<unk>', utf8: Buffer.from('<unk>') };
const MOJIBAKE = { text: ' cafÃ©', utf8: Buffer.from(' cafÃ©') };
const DONE_EVENT_UTF8 = Buffer.from(DONE_EVENT);

export class CompletionResponse implements LiveResponse {
  private readonly chunks: SseChunks;
  private readonly faultAt: number;
  private readonly coalesceEvents: number;
  private readonly terminalFault: 'reset' | 'error_event' | undefined;
  private readonly applied = new Set<FaultName>();
  private cachedTokens = 0;
  private produced = 0;
  private readonly text: string[] = [];
  private roleSent = false;
  private midFaultDone = false;
  private done = false;
  private holding = false;
  private holdTimer: NodeJS.Timeout | undefined;
  /** events held back by the stall fault */
  private held: ChunkAccumulator | undefined;
  private heldTokens = 0;
  private endAfterHold = false;
  /** events gathered by the coalesced fault until coalesceEvents are due */
  private coalesced: ChunkAccumulator | undefined;
  private coalescedEvents = 0;
  private coalescedTokens = 0;
  /** SSE events written in this turn (a chunk each), sent in one socket write on the next tick */
  private readonly pending: ChunkAccumulator;
  /** output tokens among them, stamped in the ground truth when the write leaves */
  private pendingTokens = 0;

  constructor(
    private readonly ctx: SimContext,
    private readonly res: ServerResponse,
    private readonly job: CompletionJob,
    private readonly truth: TruthRecord | undefined,
  ) {
    const id = `${job.request.endpoint === 'chat' ? 'chatcmpl' : 'cmpl'}-sim-${job.requestNumber}`;
    this.chunks = new SseChunks(job.request.endpoint, id, ctx.createdS(), job.model);
    this.pending = new ChunkAccumulator(ctx.buffers);
    this.faultAt = Math.floor(job.outputTokens / 2);
    this.coalesceEvents = job.request.stream ? (job.faults.get('coalesced') ?? 0) : 0;
    this.terminalFault = job.faults.has('reset')
      ? 'reset'
      : job.faults.has('error_event')
        ? 'error_event'
        : undefined;
    if (job.faults.has('zero_tokens')) this.apply('zero_tokens');
  }

  /** Writes the stream's headers, registers with the loop and queues the sequence. */
  begin(blockHashes: readonly number[], reserveTokens: number): void {
    const { ctx, job } = this;
    if (job.request.stream) {
      this.res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        server: SERVER_HEADER,
      });
      this.res.flushHeaders();
      if (this.truth) {
        this.truth.status = 200;
        this.truth.headers_epoch_ms = ctx.epochMs(ctx.now());
      }
    }
    this.res.on('close', () => this.clientClosed());
    ctx.live.set(job.requestNumber, this);
    ctx.scheduler.submit(
      {
        id: job.requestNumber,
        promptTokens: job.promptTokens,
        blockHashes,
        outputTokens: job.outputTokens,
        reserveTokens,
      },
      ctx.now(),
    );
    ctx.loop.wake();
  }

  admitted(cachedTokens: number, startMs: number): void {
    this.cachedTokens = cachedTokens;
    if (this.truth) {
      this.truth.cached_tokens = cachedTokens;
      this.truth.admitted_epoch_ms = this.ctx.epochMs(startMs);
    }
  }

  token(tokenIndex: number, finished: boolean, dueMs: number): void {
    if (this.done) return;
    if (tokenIndex >= 0) {
      if (tokenIndex >= this.faultAt && !this.midFaultDone && this.midFault()) return;
      this.produced++;
      this.truth?.token_due_epoch_ms.push(this.ctx.epochMs(dueMs));
      const word = this.job.words.next();
      const atFault = tokenIndex === this.faultAt;
      // a fault's replacement for this one word (its text is its JSON: no character needs escaping)
      let replaced: { text: string; utf8: Uint8Array } | undefined;
      if (atFault && this.job.faults.has('bad_output')) {
        replaced = BAD_OUTPUT;
        this.apply('bad_output');
      } else if (atFault && this.job.faults.has('mojibake')) {
        replaced = MOJIBAKE;
        this.apply('mojibake');
      }
      if (!this.job.request.stream) this.text.push(replaced?.text ?? word.text);
      else {
        const sink = this.sink();
        let events = 1;
        if (!this.roleSent && this.chunks.role.length > 0) {
          this.roleSent = true;
          sink.appendChunk(this.chunks.role);
          events = 2;
        }
        if (atFault && this.job.faults.has('malformed_json')) {
          sink.appendTextChunk(this.chunks.malformedToken(replaced?.text ?? word.json));
          this.apply('malformed_json');
        } else if (replaced !== undefined) this.chunks.appendToken(sink, replaced.utf8);
        else this.chunks.appendWord(sink, word);
        this.emitted(events, 1);
      }
    }
    if (finished) this.finish();
  }

  /** Applies the terminal or stall fault at its token; true when the response ended here. */
  private midFault(): boolean {
    this.midFaultDone = true;
    if (this.terminalFault !== undefined && this.job.request.stream) {
      this.apply(this.terminalFault);
      if (this.terminalFault === 'reset') this.reset();
      else {
        const sink = this.sink();
        sink.appendTextChunk(ERROR_EVENT);
        sink.appendTextChunk(DONE_EVENT);
        this.emitted(2, 0);
        this.close('error_event');
      }
      return true;
    }
    if (this.job.faults.has('stall') && this.terminalFault === undefined) {
      this.apply('stall');
      this.flushBuffer();
      this.holding = true;
      this.holdTimer = setTimeout(() => this.release(), this.job.faults.get('stall'));
    }
    return false;
  }

  private finish(): void {
    if (!this.midFaultDone && this.midFault()) return;
    const { job, chunks } = this;
    const usage = {
      promptTokens: job.promptTokens,
      completionTokens: this.produced,
      cachedTokens: this.cachedTokens,
    };
    const withUsage = !job.faults.has('no_usage');
    if (!withUsage && (!job.request.stream || job.request.includeUsage)) this.apply('no_usage');
    if (this.truth) {
      this.truth.output_tokens = this.produced;
      this.truth.finish_reason = job.finishReason;
    }
    if (!job.request.stream) {
      this.finishBody(usage, withUsage);
      return;
    }
    const sink = this.sink();
    let events = 0;
    if (!this.roleSent && chunks.role.length > 0) {
      this.roleSent = true;
      sink.appendChunk(chunks.role);
      events++;
    }
    sink.appendTextChunk(chunks.finish(job.finishReason));
    events++;
    if (job.request.includeUsage && withUsage) {
      sink.appendTextChunk(chunks.usage(usage));
      events++;
    }
    if (job.faults.has('missing_done')) this.apply('missing_done');
    else {
      sink.appendChunk(DONE_EVENT_UTF8);
      events++;
      if (job.faults.has('duplicate_done')) {
        this.apply('duplicate_done');
        sink.appendChunk(DONE_EVENT_UTF8);
        events++;
      }
    }
    this.emitted(events, 0);
    this.close('completed');
  }

  /** Non-streaming: one JSON body (or the reset / error / delay the faults ask for). */
  private finishBody(
    usage: { promptTokens: number; completionTokens: number; cachedTokens: number },
    withUsage: boolean,
  ): void {
    const { job } = this;
    const content = this.text.join('');
    const created = this.ctx.createdS();
    const id = `${job.request.endpoint === 'chat' ? 'chatcmpl' : 'cmpl'}-sim-${job.requestNumber}`;
    const choice =
      job.request.endpoint === 'chat'
        ? {
            index: 0,
            message: { role: 'assistant', content },
            logprobs: null,
            finish_reason: job.finishReason,
            stop_reason: null,
          }
        : { index: 0, text: content, logprobs: null, finish_reason: job.finishReason, stop_reason: null };
    const body: Record<string, unknown> = {
      id,
      object: job.request.endpoint === 'chat' ? 'chat.completion' : 'text_completion',
      created,
      model: job.model,
      choices: [choice],
    };
    if (withUsage) {
      body.usage = {
        prompt_tokens: usage.promptTokens,
        total_tokens: usage.promptTokens + usage.completionTokens,
        completion_tokens: usage.completionTokens,
        prompt_tokens_details: { cached_tokens: usage.cachedTokens },
      };
    }
    const send = () => {
      if (this.done) return;
      if (job.faults.has('reset')) {
        this.apply('reset');
        this.reset();
        return;
      }
      if (job.faults.has('error_event')) {
        this.apply('error_event');
        sendJson(this.res, 200, JSON.parse(ERROR_EVENT.slice(6)));
        this.markWritten(0);
        this.close('error_event');
        return;
      }
      let text = JSON.stringify(body);
      if (job.faults.has('malformed_json')) {
        this.apply('malformed_json');
        text = text.slice(0, Math.max(1, text.length - 7));
      }
      this.res.writeHead(200, { 'content-type': 'application/json', server: SERVER_HEADER });
      this.res.write(text);
      this.markWritten(0);
      this.close('completed');
    };
    if (job.faults.has('stall') && !job.faults.has('reset') && !job.faults.has('error_event')) {
      this.apply('stall');
      this.holdTimer = setTimeout(send, job.faults.get('stall'));
    } else send();
  }

  /**
   * Where the next event's bytes go: held back during a stall, gathered under the coalesced
   * fault, else this turn's chunk. Call emitted() after appending.
   */
  private sink(): ChunkAccumulator {
    if (this.holding) {
      this.held ??= new ChunkAccumulator(this.ctx.buffers, false);
      return this.held;
    }
    if (this.coalesceEvents > 0) {
      this.coalesced ??= new ChunkAccumulator(this.ctx.buffers, false);
      return this.coalesced;
    }
    return this.turnChunk();
  }

  /** This turn's chunk; the first bytes of a turn schedule its one write for the next tick. */
  private turnChunk(): ChunkAccumulator {
    if (this.pending.byteLength === 0) process.nextTick(flushPending, this);
    return this.pending;
  }

  /** Accounts for `events` carrying `tokens` tokens just appended to sink(). */
  private emitted(events: number, tokens: number): void {
    if (this.holding) {
      this.heldTokens += tokens;
      return;
    }
    if (this.coalesceEvents > 0) {
      this.coalescedEvents += events;
      this.coalescedTokens += tokens;
      if (this.coalescedEvents >= this.coalesceEvents) this.flushBuffer();
      return;
    }
    this.pendingTokens += tokens;
  }

  private flushBuffer(): void {
    if (this.coalescedEvents === 0) return;
    if (this.coalescedEvents > 1) this.apply('coalesced');
    const tokens = this.coalescedTokens;
    this.coalescedEvents = 0;
    this.coalescedTokens = 0;
    this.coalesced?.drainIntoOneChunk(this.turnChunk());
    this.pendingTokens += tokens;
  }

  /**
   * Sends what this turn gathered in one write (called on the next tick, and before end/reset).
   * The ground truth stamps its tokens here, right before the write, not when they were gathered:
   * a step that emits for hundreds of streams takes a while to gather, and every stream's bytes
   * leave only now.
   */
  flushPending(): void {
    const chunk = this.pending.take();
    const socket = this.res.socket;
    if (chunk === undefined || !socket) return;
    this.markWritten(this.pendingTokens);
    this.pendingTokens = 0;
    socket.write(chunk);
    // written whole at once (nothing queued behind it): the chunk's buffer is free again
    if (socket.writableLength === 0) this.pending.reclaim();
  }

  private markWritten(tokens: number): void {
    const truth = this.truth;
    if (!truth) return;
    const t = this.ctx.epochMs(this.ctx.now());
    if (truth.headers_epoch_ms === undefined) {
      truth.headers_epoch_ms = t;
      truth.status = 200;
    }
    for (let i = 0; i < tokens; i++) truth.token_epoch_ms.push(t);
  }

  private release(): void {
    this.holding = false;
    this.holdTimer = undefined;
    if (this.done && !this.endAfterHold) return;
    const tokens = this.heldTokens;
    this.heldTokens = 0;
    if (this.held !== undefined && this.held.byteLength > 0) {
      this.held.drainIntoOneChunk(this.turnChunk());
      this.pendingTokens += tokens;
    }
    if (this.endAfterHold) this.end();
  }

  /** The response is complete on our side: end it now, or after the stall releases it. */
  private close(outcome: 'completed' | 'error_event'): void {
    this.flushBuffer();
    this.done = true;
    this.ctx.live.delete(this.job.requestNumber);
    if (outcome === 'completed') this.ctx.counters.finished[this.job.finishReason]++;
    else {
      this.ctx.scheduler.abort(this.job.requestNumber);
      this.ctx.counters.aborted++;
    }
    if (this.truth) this.truth.outcome = outcome;
    if (this.holding) this.endAfterHold = true;
    else this.end();
  }

  private end(): void {
    this.endAfterHold = false;
    // the last events and the chunked terminator leave in one write: res.end() uncorks fully
    const socket = this.res.socket;
    socket?.cork();
    this.flushPending();
    this.res.end();
    if (socket && socket.writableCorked > 0) socket.uncork();
    if (socket?.writableLength === 0) this.pending.reclaim();
    this.held?.dispose();
    this.coalesced?.dispose();
    this.record();
  }

  private reset(): void {
    this.done = true;
    this.ctx.live.delete(this.job.requestNumber);
    this.ctx.scheduler.abort(this.job.requestNumber);
    this.ctx.counters.aborted++;
    if (this.truth) {
      this.truth.outcome = 'reset';
      if (!this.job.request.stream) this.truth.status = 0;
    }
    // what was written before the fault reaches the client first: a RST right behind it could
    // make the peer's kernel drop it unread
    this.flushPending();
    const socket = this.res.socket;
    setTimeout(() => {
      socket?.resetAndDestroy();
      this.record();
    }, RESET_DELAY_MS);
  }

  private clientClosed(): void {
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    if (this.done && this.endAfterHold) {
      // finished on our side, but the client left during the stall before the flush
      this.endAfterHold = false;
      if (this.truth) this.truth.outcome = 'client_closed';
      this.record();
      return;
    }
    if (this.done) return;
    this.done = true;
    this.ctx.live.delete(this.job.requestNumber);
    this.ctx.scheduler.abort(this.job.requestNumber);
    this.ctx.counters.aborted++;
    if (this.truth) {
      this.truth.outcome = 'client_closed';
      this.truth.output_tokens = this.produced;
    }
    this.record();
  }

  private apply(fault: FaultName): void {
    if (this.applied.has(fault)) return;
    this.applied.add(fault);
    this.ctx.counters.faults.set(fault, (this.ctx.counters.faults.get(fault) ?? 0) + 1);
  }

  private record(): void {
    const truth = this.truth;
    if (!truth) return;
    truth.end_epoch_ms = this.ctx.epochMs(this.ctx.now());
    truth.faults = [...truth.faults, ...this.applied].filter((f, i, all) => all.indexOf(f) === i);
    truth.faults.sort((a, b) => FAULT_NAMES.indexOf(a) - FAULT_NAMES.indexOf(b));
    this.ctx.truth?.write(truth);
  }
}
