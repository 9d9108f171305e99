// An append-only JSONL file written as the run goes: lines are batched in memory and written
// synchronously once the batch is large or old enough, so memory stays bounded on long runs and
// everything flushed survives a crash. `sync()` also fsyncs (each finished cell is durable at once).

import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { GoodputError } from '../core/errors.js';

export interface JsonlAppenderOptions {
  /** write the batch once it holds this many bytes (default 64 KiB) */
  readonly batchBytes?: number;
  /** write the batch at most this long after its first line (default 500 ms; 0: every line at once) */
  readonly batchMs?: number;
}

export class JsonlAppender {
  readonly path: string;
  private fd: number | undefined;
  private batch: string[] = [];
  private batchLength = 0;
  private timer: NodeJS.Timeout | undefined;
  private lines = 0;
  private readonly batchBytes: number;
  private readonly batchMs: number;

  /** Opens (creating, or appending to) `path`. */
  constructor(path: string, options: JsonlAppenderOptions = {}) {
    this.path = path;
    this.batchBytes = options.batchBytes ?? 64 * 1024;
    this.batchMs = options.batchMs ?? 500;
    try {
      mkdirSync(dirname(path), { recursive: true });
      this.fd = openSync(path, 'a');
    } catch (e) {
      throw new GoodputError('IO', `cannot open ${path} for appending: ${(e as Error).message}`, {
        cause: e,
      });
    }
  }

  /** Lines appended so far. */
  get count(): number {
    return this.lines;
  }

  /** Appends one line (`line` must not contain a newline: compact JSON never does). */
  append(line: string): void {
    if (this.fd === undefined) throw new GoodputError('INTERNAL', `${this.path} is closed`);
    this.batch.push(line);
    this.batchLength += line.length + 1;
    this.lines++;
    if (this.batchLength >= this.batchBytes || this.batchMs === 0) this.flush();
    else if (this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), this.batchMs);
      this.timer.unref();
    }
  }

  /** Writes the batch to the file (no fsync). */
  flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.batch.length === 0 || this.fd === undefined) return;
    const bytes = Buffer.from(`${this.batch.join('\n')}\n`, 'utf8');
    this.batch = [];
    this.batchLength = 0;
    try {
      let written = 0;
      while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written);
    } catch (e) {
      throw new GoodputError('IO', `cannot write ${this.path}: ${(e as Error).message}`, { cause: e });
    }
  }

  /** Flushes and fsyncs: everything appended so far is on disk. */
  sync(): void {
    this.flush();
    if (this.fd !== undefined) fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd === undefined) return;
    this.sync();
    closeSync(this.fd);
    this.fd = undefined;
  }
}
