// The simulator's ground truth: per completion request, when it arrived and when the bytes of each
// output event were written, on this process's monotonic clock shifted to the wall-clock epoch
// (performance.timeOrigin + performance.now(), ms with sub-ms precision), so a client on the same
// machine can align its own timestamps. Streamed as JSONL to a file and/or kept in memory.

import { createWriteStream, type WriteStream } from 'node:fs';
import { GoodputError } from '../core/errors.js';
import type { FaultName } from '../core/sim/fault-plan.js';

export interface TruthRecord {
  /** 1-based arrival order over all completion requests (the fault plan's numbering) */
  request: number;
  endpoint: 'chat' | 'completions';
  stream: boolean;
  /** HTTP status sent (0 when the connection was reset before a status line) */
  status: number;
  /** how the response ended */
  outcome: 'completed' | 'rejected' | 'reset' | 'error_event' | 'client_closed';
  /** faults that took effect on this request, in FAULT_NAMES order */
  faults: FaultName[];
  arrival_epoch_ms: number;
  /** status line and headers written */
  headers_epoch_ms?: number;
  /** admitted from the waiting queue into the running batch (start of that step, model clock) */
  admitted_epoch_ms?: number;
  /** write time of every output event (one token each), in order */
  token_epoch_ms: number[];
  /**
   * when the model produced each token (end of its step): what token_epoch_ms would be on an
   * idle machine; write − due is the simulator's own lateness
   */
  token_due_epoch_ms: number[];
  /** the response was ended (or reset) */
  end_epoch_ms?: number;
  prompt_tokens?: number;
  cached_tokens?: number;
  output_tokens?: number;
  finish_reason?: string;
}

/** Where finished records go: a JSONL file, memory, or both. */
export class TruthSink {
  private readonly kept: TruthRecord[] = [];
  private readonly file: WriteStream | undefined;
  private fileError: Error | undefined;

  constructor(
    private readonly keepInMemory: boolean,
    readonly path: string | undefined,
  ) {
    if (path !== undefined) {
      this.file = createWriteStream(path, { flags: 'w' });
      this.file.on('error', (e) => {
        this.fileError = e;
      });
    }
  }

  /** Opens the file for real: resolves once it exists, rejects with a GoodputError naming it. */
  async ready(): Promise<void> {
    const file = this.file;
    if (!file) return;
    await new Promise<void>((resolve, reject) => {
      if (this.fileError) reject(this.fileError);
      else if (!file.pending) resolve();
      file.once('ready', () => resolve());
      file.once('error', reject);
    }).catch((e: unknown) => {
      throw new GoodputError(
        'IO',
        `--truth-log ${this.path}: cannot open for writing (${(e as Error).message})`,
        {
          hint: 'check that the directory exists and is writable',
        },
      );
    });
  }

  write(record: TruthRecord): void {
    if (this.keepInMemory) this.kept.push(record);
    if (this.file && !this.fileError) this.file.write(`${JSON.stringify(record)}\n`);
  }

  records(): readonly TruthRecord[] {
    return this.kept;
  }

  async close(): Promise<void> {
    const file = this.file;
    if (!file || file.closed) return;
    await new Promise<void>((resolve) => file.end(() => resolve()));
  }
}
