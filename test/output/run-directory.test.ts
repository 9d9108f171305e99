import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isGoodputError } from '../../src/core/errors.js';
import type { BenchReport } from '../../src/core/schema/bench-report.js';
import { parseReports } from '../../src/core/schema/report-reader.js';
import type { RequestRecord } from '../../src/core/schema/request-record.js';
import { createRunEnvelope } from '../../src/core/schema/run-envelope.js';
import { writeFileAtomic } from '../../src/output/atomic-write.js';
import { appendJsonl, ferrumJson, writeDocument } from '../../src/output/ferrum-output.js';
import { JsonlAppender } from '../../src/output/jsonl-appender.js';
import { RunDirectory } from '../../src/output/run-directory.js';

const FIXTURES = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../shared/fixtures/ferrum/reports/release-gate',
);
const tmp = mkdtempSync(join(tmpdir(), 'goodput-output-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cell = (file: string): BenchReport =>
  parseReports(readFileSync(join(FIXTURES, file), 'utf8'), file)[0] as BenchReport;

const record = (i: number): RequestRecord => ({
  id: `0.1.${i}`,
  cell: 'c',
  repeat: 1,
  index: i,
  warmup: false,
  send_ms: i,
  event_ms: [i + 1, i + 2],
  end_ms: i + 3,
  input_tokens: 4,
  coalesced_reads: 0,
  done_count: 1,
  flags: [],
  source: 'sse',
});

describe('writeFileAtomic', () => {
  it('writes through a temp file in the same directory and leaves no temp behind', () => {
    const path = join(tmp, 'atomic', 'a.json');
    writeFileAtomic(path, '{"a":1}');
    writeFileAtomic(path, '{"a":2}');
    expect(readFileSync(path, 'utf8')).toBe('{"a":2}');
    expect(readdirSync(dirname(path))).toEqual(['a.json']);
  });

  it('a failed write is an IO error naming the file and leaves the old content', () => {
    const dir = join(tmp, 'atomic-dir');
    mkdirSync(join(dir, 'target.json'), { recursive: true });
    try {
      writeFileAtomic(join(dir, 'target.json'), 'x');
      expect.unreachable();
    } catch (e) {
      expect(isGoodputError(e, 'IO')).toBe(true);
      expect((e as Error).message).toContain('target.json');
    }
    expect(readdirSync(dir)).toEqual(['target.json']);
  });
});

describe('JsonlAppender', () => {
  it('batches lines, flushes by size, and sync() makes everything durable', () => {
    const path = join(tmp, 'a.jsonl');
    const a = new JsonlAppender(path, { batchBytes: 64, batchMs: 60_000 });
    a.append('{"n":1}');
    expect(existsSync(path) ? readFileSync(path, 'utf8') : '').toBe('');
    for (let i = 2; i <= 10; i++) a.append(`{"n":${i}}`);
    // 64 bytes reached: some lines are on disk before any sync
    expect(readFileSync(path, 'utf8').split('\n').filter(Boolean).length).toBeGreaterThan(0);
    a.sync();
    expect(readFileSync(path, 'utf8')).toBe(
      `${Array.from({ length: 10 }, (_, i) => `{"n":${i + 1}}`).join('\n')}\n`,
    );
    expect(a.count).toBe(10);
    a.close();
    expect(() => a.append('{}')).toThrow(/closed/);
  });

  it('appends to an existing file', () => {
    const path = join(tmp, 'b.jsonl');
    writeFileSync(path, '{"old":true}\n');
    const a = new JsonlAppender(path, { batchMs: 0 });
    a.append('{"new":true}');
    a.close();
    expect(readFileSync(path, 'utf8')).toBe('{"old":true}\n{"new":true}\n');
  });
});

describe('RunDirectory', () => {
  it('streams requests, appends cells, rewrites report.json, and refuses to reuse a run directory', () => {
    const dir = join(tmp, 'run');
    const run = RunDirectory.create(dir);
    for (let i = 0; i < 3; i++) run.appendRequest(record(i));
    const c1 = cell('baseline_c1_n3.json');
    run.appendCell(c1);
    // appendCell made the requests durable too
    expect(readFileSync(join(dir, 'requests.jsonl'), 'utf8').split('\n').filter(Boolean)).toHaveLength(3);
    const meta = {
      tool_version: 't',
      run_id: 'r',
      started_at: 's',
      finished_at: 'f',
      command_line: ['goodput'],
    };
    run.writeReport(createRunEnvelope(meta, [c1]));
    const c4 = cell('baseline_c4_n3.json');
    run.appendCell(c4);
    run.writeReport(createRunEnvelope(meta, [c1, c4]));
    run.writeFile('report.md', '# r\n');
    run.close();
    const lines = readFileSync(join(dir, 'cells.jsonl'), 'utf8').split('\n').filter(Boolean);
    expect(lines.map((l) => JSON.parse(l).concurrency)).toEqual([1, 4]);
    const envelope = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(envelope.cells.map((c: BenchReport) => c.concurrency)).toEqual([1, 4]);
    expect(envelope.goodput.run_id).toBe('r');
    try {
      RunDirectory.create(dir);
      expect.unreachable();
    } catch (e) {
      expect(isGoodputError(e, 'USAGE')).toBe(true);
      expect((e as Error).message).toMatch(
        /--out-dir .* already holds a run \(cells\.jsonl, report\.json, report\.md, requests\.jsonl\)|already holds a run/,
      );
    }
  });
  it('check() refuses what create() would, and creates nothing', () => {
    const errorOf = (dir: string) => {
      try {
        RunDirectory.check(dir);
      } catch (e) {
        return e as Error & { code?: string };
      }
      return undefined;
    };
    // a fresh path under a writable directory: fine, and still absent afterwards
    const fresh = join(tmp, 'not-yet', 'deeper');
    expect(errorOf(fresh)).toBeUndefined();
    expect(existsSync(join(tmp, 'not-yet'))).toBe(false);
    // an empty existing directory: fine
    const empty = join(tmp, 'empty-out');
    mkdirSync(empty);
    expect(errorOf(empty)).toBeUndefined();
    // a file, and a path under a file: IO errors naming the flag and the path
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'x');
    for (const bad of [file, join(file, 'sub')]) {
      const e = errorOf(bad);
      expect(isGoodputError(e, 'IO')).toBe(true);
      expect(e?.message).toContain(`cannot create --out-dir ${bad}`);
      expect(existsSync(join(file, 'sub'))).toBe(false);
    }
    // a directory holding a run: the USAGE error of create()
    const used = join(tmp, 'used-out');
    mkdirSync(used);
    writeFileSync(join(used, 'report.json'), '{}');
    expect(isGoodputError(errorOf(used), 'USAGE')).toBe(true);
  });
});

describe('ferrum-style --output', () => {
  it('json: one object for one cell, an array for several', () => {
    const c1 = cell('baseline_c1_n3.json');
    const c4 = cell('baseline_c4_n3.json');
    expect(JSON.parse(ferrumJson([c1])).concurrency).toBe(1);
    expect(JSON.parse(ferrumJson([c1, c4])).map((c: BenchReport) => c.concurrency)).toEqual([1, 4]);
    // serde_json pretty layout: two-space indent
    expect(ferrumJson([c1]).split('\n')[1]).toMatch(/^ {2}"model"/);
  });

  it('jsonl appends one compact line per cell and says so; documents go to stdout or overwrite', () => {
    const path = join(tmp, 'out.jsonl');
    const c1 = cell('baseline_c1_n3.json');
    expect(appendJsonl(path, [c1]).note).toBe(`→ appended 1 record(s) to ${path}`);
    appendJsonl(path, [c1, c1]);
    expect(readFileSync(path, 'utf8').split('\n').filter(Boolean)).toHaveLength(3);
    expect(writeDocument('doc', undefined)).toEqual({ stdout: 'doc' });
    const md = join(tmp, 'out.md');
    expect(writeDocument('# x\n', md)).toEqual({ note: `→ wrote ${md}` });
    expect(readFileSync(md, 'utf8')).toBe('# x\n');
  });
});
