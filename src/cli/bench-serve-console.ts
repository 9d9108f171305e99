// bench-serve's live console on stderr (SPEC §3.8): on a TTY a progress bar per repeat (requests
// done, in flight, errors, output tokens/s); otherwise ferrum's plain lines per cell and repeat
// (ferrum-behaviour §8.16). The summary table itself is rendered by src/render/terminal.ts.

import { SingleBar } from 'cli-progress';
import picocolors from 'picocolors';
import type { RepeatEndInfo, RepeatStartInfo, ServeCell } from '../client/serve-benchmark.js';
import type { RequestRecord } from '../core/schema/request-record.js';
import type { CliIo } from './io.js';

/** `closed_loop c=4`, `open_loop rate=2.5`, as ferrum prints a cell. */
export function cellLabel(cell: ServeCell): string {
  const load = cell.load.kind === 'closed' ? `c=${cell.load.concurrency}` : `rate=${cell.load.rateRps}`;
  return `${cell.scenario} ${load}`;
}

export class BenchServeConsole {
  private readonly io: CliIo;
  private readonly colors: ReturnType<typeof picocolors.createColors>;
  private readonly live: boolean;
  private bar: SingleBar | undefined;
  private inFlight: () => number = () => 0;
  private done = 0;
  private errors = 0;
  private completed = 0;
  private errored = 0;
  private tokens = 0;
  private startMs = 0;
  private nRepeats = 1;

  constructor(io: CliIo) {
    this.io = io;
    this.colors = picocolors.createColors(io.color);
    this.live = io.stderr.isTTY;
  }

  line(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }

  dim(text: string): void {
    this.line(this.colors.dim(text));
  }

  warn(text: string): void {
    this.bar?.stop();
    this.bar = undefined;
    this.line(this.colors.yellow(`[warn] ${text}`));
  }

  cellStart(cell: ServeCell, nRepeats: number): void {
    this.nRepeats = nRepeats;
    this.line(this.colors.bold(`→ ${cellLabel(cell)}`));
  }

  repeatStart(info: RepeatStartInfo): void {
    const total =
      info.measured === undefined
        ? 'duration-bounded'
        : `${info.measured + info.warmup} prompts including ${info.warmup} warmup`;
    this.line(`  cell ${cellLabel(info.cell)} — repeat ${info.repeat}/${this.nRepeats} (${total})`);
    this.inFlight = info.inFlight;
    this.done = 0;
    this.errors = 0;
    this.completed = 0;
    this.errored = 0;
    this.tokens = 0;
    this.startMs = performance.now();
    if (this.live) {
      this.bar = new SingleBar({
        stream: this.io.stderr as unknown as NodeJS.WritableStream,
        format: '    {bar} {value}/{total} done · {inflight} in flight · {errors} errors · {tps} tok/s',
        hideCursor: false,
        clearOnComplete: true,
        fps: 10,
        barsize: 24,
      });
      this.bar.start(info.measured === undefined ? 0 : info.measured + info.warmup, 0, this.payload());
    }
  }

  record(record: RequestRecord, success: boolean): void {
    this.done++;
    this.tokens += record.usage_output_tokens ?? record.event_ms.length;
    if (!success) this.errors++;
    if (!record.warmup) {
      if (success) this.completed++;
      else this.errored++;
    }
    this.bar?.update(this.done, this.payload());
  }

  repeatEnd(info: RepeatEndInfo): void {
    this.bar?.stop();
    this.bar = undefined;
    this.line(`    ${this.completed} completed / ${this.errored} errored / ${info.seconds.toFixed(1)}s`);
  }

  /** Ends any live bar (before printing elsewhere, or on exit). */
  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }

  private payload(): Record<string, string | number> {
    const seconds = (performance.now() - this.startMs) / 1000;
    return {
      inflight: this.inFlight(),
      errors: this.errors,
      tps: seconds > 0 ? Math.round(this.tokens / seconds) : 0,
    };
  }
}
