// The run directory of SPEC §3.7, written as the run goes: requests.jsonl streamed record by
// record, cells.jsonl appended (and fsynced) as each cell finishes, report.json rewritten
// atomically after each cell, report.md and other rendered files written atomically at the end.

import { accessSync, constants, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

  /**
   * Throws what create(`dir`) would refuse, without creating anything: a directory that already
   * holds a run, a path that is a file, or a place that cannot be written. Lets a command refuse a
   * bad --out-dir before it starts a server, and leave nothing behind when it stops before measuring.
   */
  static check(dir: string): void {
    try {
      if (existsSync(dir)) {
        const clash = readdirSync(dir).filter((f) => (Object.values(RUN_FILES) as string[]).includes(f));
        if (clash.length > 0) {
          throw new GoodputError('USAGE', `--out-dir ${dir} already holds a run (${clash.join(', ')})`, {
            hint: 'choose a new --out-dir, or leave it out to get a fresh goodput-results/<timestamp>-<label>/',
          });
        }
        accessSync(dir, constants.W_OK);
        return;
      }
      // not there yet: the nearest existing ancestor must be a directory this process can write in
      let parent = dirname(dir);
      while (!existsSync(parent) && dirname(parent) !== parent) parent = dirname(parent);
      if (!statSync(parent).isDirectory()) throw new Error(`${parent} is not a directory`);
      accessSync(parent, constants.W_OK);
    } catch (e) {
      if (e instanceof GoodputError) throw e;
      throw new GoodputError('IO', `cannot create --out-dir ${dir}: ${(e as Error).message}`, { cause: e });
    }
  }

  /** Creates `dir` (and parents); refuses a directory that already holds a run. */
  static create(dir: string): RunDirectory {
    RunDirectory.check(dir);
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
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
