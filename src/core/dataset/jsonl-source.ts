// Reads a `jsonl` request file from text chunks: one request per line, `prompt` (a string) or
// `messages` (chat messages with text content), optional `max_tokens`, optional `timestamp_ms`
// for replay. Unknown keys are ignored. Every bad line is reported (up to a cap), with its line
// number, in one error, because a request list must be replayed exactly as written.

import { createHash, type Hash } from 'node:crypto';
import { GoodputError } from '../errors.js';
import type { ChatMessage } from './dataset-prompt.js';
import { LineSplitter } from './line-splitter.js';

export interface JsonlRequest {
  prompt?: string;
  messages?: ChatMessage[];
  maxTokens?: number;
  timestampMs?: number;
  /** 1-based line number in the file */
  line: number;
}

export interface JsonlRequestFile {
  fileName: string;
  contentSha256: string;
  requests: JsonlRequest[];
  /** true when the lines carry `timestamp_ms` (all of them do, or the file was rejected) */
  timed: boolean;
}

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);

function messageProblem(m: unknown, i: number): string | ChatMessage {
  if (m === null || typeof m !== 'object' || Array.isArray(m)) return `messages[${i}] is not an object`;
  const { role, content } = m as { role?: unknown; content?: unknown };
  if (typeof role !== 'string' || !ROLES.has(role)) {
    return `messages[${i}].role must be one of system, user, assistant, tool, got ${JSON.stringify(role)}`;
  }
  if (typeof content === 'string') return { role: role as ChatMessage['role'], content };
  if (Array.isArray(content)) {
    const texts: string[] = [];
    for (const [j, part] of content.entries()) {
      const p = part as { type?: unknown; text?: unknown } | null;
      if (p?.type !== 'text' || typeof p.text !== 'string') {
        return `messages[${i}].content[${j}] must be {"type":"text","text":"…"} (only text is supported)`;
      }
      texts.push(p.text);
    }
    return { role: role as ChatMessage['role'], content: texts.join('\n') };
  }
  return `messages[${i}].content must be a string or a list of text parts`;
}

/** The request of one parsed line, or what is wrong with it. */
export function jsonlRequestOf(value: unknown, line: number): JsonlRequest | string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'expected a JSON object';
  const obj = value as Record<string, unknown>;
  const req: JsonlRequest = { line };
  const hasPrompt = obj.prompt !== undefined;
  const hasMessages = obj.messages !== undefined;
  if (hasPrompt === hasMessages) return 'needs exactly one of "prompt" or "messages"';
  if (hasPrompt) {
    if (typeof obj.prompt !== 'string' || obj.prompt === '') return '"prompt" must be a non-empty string';
    req.prompt = obj.prompt;
  } else {
    if (!Array.isArray(obj.messages) || obj.messages.length === 0)
      return '"messages" must be a non-empty list';
    const messages: ChatMessage[] = [];
    for (const [i, m] of obj.messages.entries()) {
      const got = messageProblem(m, i);
      if (typeof got === 'string') return got;
      messages.push(got);
    }
    req.messages = messages;
  }
  if (obj.max_tokens !== undefined) {
    const mt = obj.max_tokens;
    if (typeof mt !== 'number' || !Number.isInteger(mt) || mt < 1) {
      return `"max_tokens" must be a positive integer, got ${JSON.stringify(mt)}`;
    }
    req.maxTokens = mt;
  }
  if (obj.timestamp_ms !== undefined) {
    const ts = obj.timestamp_ms;
    if (typeof ts !== 'number' || !Number.isFinite(ts) || ts < 0) {
      return `"timestamp_ms" must be a finite number ≥ 0, got ${JSON.stringify(ts)}`;
    }
    req.timestampMs = ts;
  }
  return req;
}

/** Incremental reader: push the file's text in chunks, then finish(). */
export class JsonlRequestReader {
  private readonly hash: Hash = createHash('sha256');
  private readonly requests: JsonlRequest[] = [];
  private readonly errors: string[] = [];
  private errorCount = 0;
  private readonly lines: LineSplitter;
  private sawText = false;
  private lastTimestamp: { ms: number; line: number } | undefined;

  constructor(
    private readonly fileName: string,
    private readonly maxErrors = 20,
  ) {
    this.lines = new LineSplitter((line, n) => this.onLine(line, n));
  }

  private problem(line: number, message: string): void {
    this.errorCount++;
    if (this.errors.length < this.maxErrors) this.errors.push(`${this.fileName}:${line}: ${message}`);
  }

  private onLine(text: string, line: number): void {
    if (text.trim() === '') return;
    this.sawText = true;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      this.problem(line, `not valid JSON (${(e as Error).message})`);
      return;
    }
    const req = jsonlRequestOf(value, line);
    if (typeof req === 'string') {
      this.problem(line, req);
      return;
    }
    if (req.timestampMs !== undefined) {
      if (this.lastTimestamp && req.timestampMs < this.lastTimestamp.ms) {
        this.problem(
          line,
          `"timestamp_ms" ${req.timestampMs} goes back in time (line ${this.lastTimestamp.line} has ${this.lastTimestamp.ms})`,
        );
      }
      this.lastTimestamp = { ms: req.timestampMs, line };
    }
    this.requests.push(req);
  }

  push(chunk: string): void {
    this.hash.update(chunk, 'utf8');
    this.lines.push(chunk);
  }

  finish(): JsonlRequestFile {
    this.lines.end();
    if (!this.sawText) {
      throw new GoodputError('INPUT_EMPTY', `${this.fileName} has no requests`, {
        hint: 'write one JSON object per line, e.g. {"prompt":"Hello","max_tokens":64}',
      });
    }
    const timed = this.requests.filter((r) => r.timestampMs !== undefined);
    if (timed.length > 0 && timed.length < this.requests.length) {
      const untimed = this.requests.find((r) => r.timestampMs === undefined) as JsonlRequest;
      this.problem(
        untimed.line,
        `"timestamp_ms" is missing here but present on ${timed.length} other lines (replay needs it on every line)`,
      );
    }
    if (this.errorCount > 0) {
      const more = this.errorCount - this.errors.length;
      throw new GoodputError(
        'DATASET',
        `${this.fileName}: ${this.errorCount} bad line${this.errorCount === 1 ? '' : 's'}:\n  ${this.errors.join('\n  ')}${more > 0 ? `\n  … and ${more} more` : ''}`,
        {
          hint: 'each line is {"prompt":"…"} or {"messages":[{"role":"user","content":"…"}]}, optionally with "max_tokens" and "timestamp_ms"',
        },
      );
    }
    return {
      fileName: this.fileName,
      contentSha256: this.hash.digest('hex'),
      requests: this.requests,
      timed: timed.length > 0,
    };
  }
}

/** Reads a whole JSONL request text at once (small files, tests). */
export function readJsonlRequests(text: string, fileName: string): JsonlRequestFile {
  const reader = new JsonlRequestReader(fileName);
  reader.push(text);
  return reader.finish();
}
