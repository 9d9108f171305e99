// The run directory of SPEC §3.7, written as the run goes: requests.jsonl streamed record by
// record, cells.jsonl appended (and fsynced) as each cell finishes, report.json rewritten
// atomically after each cell, report.md and other rendered files written atomically at the end.

import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { GoodputError } from '../core/errors.js';
import type { BenchReport } from '../core/schema/bench-report.js';
import { writeReportJson } from '../core/schema/json-writer.js';
import type { RequestRecord } from '../core/schema/request-record.js';
import { type RunEnvelope, writeRunEnvelopeJson } from '../core/schema/run-envelope.js';
import { writeFileAtomic } from './atomic-write.js';
import { JsonlAppender } from './jsonl-appender.js';
import { requestRecordLine } from './request-record-line.js';

/** Files a run directory holds; a directory that has any of them already holds a run. */
export const RUN_FILES = {
  report: 'report.json',
  cells: 'cells.jsonl',
  requests: 'requests.jsonl',
  markdown: 'report.md',
  html: 'report.html',
} as const;

export class RunDirectory {
  readonly dir: string;
  private readonly requests: JsonlAppender;
  private readonly cells: JsonlAppender;

  private constructor(dir: string) {
    this.dir = dir;
    this.requests = new JsonlAppender(join(dir, RUN_FILES.requests));
    this.cells = new JsonlAppender(join(dir, RUN_FILES.cells), { batchMs: 0 });
  }

  /** Creates `dir` (and parents); refuses a directory that already holds a run. */
  static create(dir: string): RunDirectory {
    try {
      if (existsSync(dir)) {
        const clash = readdirSync(dir).filter((f) => (Object.values(RUN_FILES) as string[]).includes(f));
        if (clash.length > 0) {
          throw new GoodputError('USAGE', `--out-dir ${dir} already holds a run (${clash.join(', ')})`, {
            hint: 'choose a new --out-dir, or leave it out to get a fresh goodput-results/<timestamp>-<label>/',
          });
        }
      }
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      if (e instanceof GoodputError) throw e;
      throw new GoodputError('IO', `cannot create --out-dir ${dir}: ${(e as Error).message}`, { cause: e });
    }
    return new RunDirectory(dir);
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  /** Streams one request record (batched; bounded memory). */
  appendRequest(record: RequestRecord): void {
    this.requests.append(requestRecordLine(record));
  }

  /** Appends a finished cell as one ferrum-compatible line and makes it durable (with its requests). */
  appendCell(report: BenchReport): void {
    this.requests.sync();
    this.cells.append(writeReportJson(report));
    this.cells.sync();
  }

  /** Rewrites report.json atomically with every finished cell so far. */
  writeReport(envelope: RunEnvelope): void {
    writeFileAtomic(this.path(RUN_FILES.report), writeRunEnvelopeJson(envelope));
  }

  /** Writes a rendered file (report.md, report.html, a schedule, …) atomically. */
  writeFile(name: string, content: string): void {
    writeFileAtomic(this.path(name), content);
  }

  /** Flushes and fsyncs the streamed files. */
  sync(): void {
    this.requests.sync();
    this.cells.sync();
  }

  close(): void {
    this.requests.close();
    this.cells.close();
  }
}
