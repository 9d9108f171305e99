import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isGoodputError } from '../../src/core/errors.js';
import { parseReports } from '../../src/core/schema/report-reader.js';
import {
  createRunEnvelope,
  RunEnvelopeSchema,
  writeRunEnvelopeJson,
} from '../../src/core/schema/run-envelope.js';
import { importReports } from '../../src/store/import-reports.js';
import { type Ledger, openLedger } from '../../src/store/ledger.js';
import { recordRunFromDir } from '../../src/store/run-dir.js';

const here = dirname(fileURLToPath(import.meta.url));
const reports = resolve(here, '../../../shared/fixtures/ferrum/reports');
const fixtureFiles = readdirSync(reports).flatMap((d) =>
  readdirSync(join(reports, d)).map((f) => join(reports, d, f)),
);
const load = (path: string) => parseReports(readFileSync(path, 'utf8'), path);

let dir: string;
let ledger: Ledger;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'goodput-ledger-'));
  let tick = 0;
  ledger = openLedger(join(dir, 'goodput.db'), { now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++)) });
});
afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

function makeRunDir(
  name: string,
  runId: string,
  cells = load(join(reports, 'release-gate/baseline_c1_n3.json')),
  requests?: string[],
) {
  const runDir = join(dir, name);
  mkdirSync(runDir);
  const envelope = createRunEnvelope(
    {
      tool_version: '0.1.0',
      run_id: runId,
      started_at: '2026-02-01T10:00:00.000Z',
      finished_at: '2026-02-01T10:05:00.000Z',
      command_line: ['goodput', 'bench-serve', '--seed', '7'],
    },
    cells,
  );
  writeFileSync(join(runDir, 'report.json'), writeRunEnvelopeJson(envelope));
  if (requests !== undefined) writeFileSync(join(runDir, 'requests.jsonl'), `${requests.join('\n')}\n`);
  return runDir;
}

const requestLine = (i: number, warmup = false) =>
  JSON.stringify({
    id: `0.1.${i}`,
    cell: 'k',
    repeat: 1,
    index: i,
    warmup,
    send_ms: i,
    event_ms: [i + 1],
    status: 200,
  });

describe('openLedger', () => {
  it('creates a WAL-mode SQLite file at schema version 1', () => {
    const raw = new Database(ledger.path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.prepare('SELECT version, name FROM schema_version').all()).toEqual([
      { version: 1, name: 'runs, cells and request rows' },
    ]);
    raw.close();
  });

  it('reopening an existing ledger applies no migration twice and keeps its runs', () => {
    ledger.recordRun({ source: 'test', cells: [] });
    ledger.close();
    ledger = openLedger(join(dir, 'goodput.db'));
    expect(ledger.listRuns()).toHaveLength(1);
    const raw = new Database(ledger.path, { readonly: true });
    expect(raw.prepare('SELECT COUNT(*) AS n FROM schema_version').get()).toEqual({ n: 1 });
    raw.close();
  });

  it('refuses a ledger written by a newer goodput, naming the file', () => {
    ledger.close();
    const raw = new Database(join(dir, 'goodput.db'));
    raw.prepare("INSERT INTO schema_version VALUES (99, 'future', 'x')").run();
    raw.close();
    try {
      openLedger(join(dir, 'goodput.db'));
      expect.unreachable();
    } catch (e) {
      expect(isGoodputError(e, 'IO')).toBe(true);
      expect((e as Error).message).toContain('schema version 99');
      expect((e as Error).message).toContain('goodput.db');
    } finally {
      ledger = openLedger(join(dir, 'other.db'));
    }
  });

  it('a path that is not a SQLite file is an IO error naming it', () => {
    const bogus = join(dir, 'not-a-db');
    writeFileSync(
      bogus,
      'this is not sqlite, just text that is long enough to look like a header....'.repeat(10),
    );
    expect(() => openLedger(bogus)).toThrow(/cannot open ledger .*not-a-db/);
  });
});

describe('importReports', () => {
  it('imports every ferrum fixture report, one run per file, with indexed columns', () => {
    const outcomes = importReports(ledger, fixtureFiles);
    expect(outcomes).toHaveLength(24);
    expect(outcomes.every((o) => o.created && o.cells === 1)).toBe(true);
    const runs = ledger.listRuns();
    expect(runs).toHaveLength(24);
    expect(runs.every((r) => r.source === 'import' && r.cellCount === 1)).toBe(true);
    const raw = new Database(ledger.path, { readonly: true });
    const row = raw
      .prepare(
        "SELECT model_base, backend, scenario, concurrency, n_prompt, n_gen, n_repeats, commit_sha FROM cells WHERE cell_key LIKE '%c=16%' AND n_repeats = 5 LIMIT 1",
      )
      .get();
    expect(row).toEqual({
      model_base: 'Qwen/Qwen3-30B-A3B-GPTQ-Int4',
      backend: 'cuda',
      scenario: 'closed_loop',
      concurrency: 16,
      n_prompt: 256,
      n_gen: 128,
      n_repeats: 5,
      commit_sha: '20ab798',
    });
    raw.close();
  });

  it('stores each report so it reads back equal to the parsed file', () => {
    const file = join(reports, 'engine-pair/vllm0202_c4_n5.json');
    const [outcome] = importReports(ledger, [file], { label: 'vllm' });
    const stored = ledger.getRun(outcome!.id);
    expect(stored.run.label).toBe('vllm');
    expect(stored.run.sourcePath).toBe(file);
    expect(stored.cells[0]?.report).toEqual(load(file)[0]);
  });

  it('re-importing the same file is a no-op', () => {
    const file = join(reports, 'graph-ab/graph_on_c1.json');
    const first = importReports(ledger, [file]);
    const second = importReports(ledger, [file]);
    expect(second[0]).toMatchObject({ created: false, id: first[0]!.id });
    expect(ledger.listRuns()).toHaveLength(1);
  });

  it('imports a directory of report files file by file, sorted', () => {
    const outcomes = importReports(ledger, [join(reports, 'graph-ab')]);
    expect(outcomes.map((o) => o.path.split('/').pop())).toEqual([
      'graph_off_c1.json',
      'graph_off_c16.json',
      'graph_off_c32.json',
      'graph_off_c4.json',
      'graph_on_c1.json',
      'graph_on_c16.json',
      'graph_on_c32.json',
      'graph_on_c4.json',
    ]);
  });

  it('a missing path is INPUT_MISSING naming it; a broken file names the file and stores nothing', () => {
    expect(() => importReports(ledger, [join(dir, 'nope.json')])).toThrow(/nope\.json does not exist/);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"model": "m", "backend": ');
    expect(() => importReports(ledger, [broken])).toThrow(/broken\.json/);
    expect(ledger.listRuns()).toHaveLength(0);
  });
});

describe('run directories', () => {
  it('recordRunFromDir stores the envelope metadata, the cells and every request line verbatim', () => {
    const lines = [requestLine(0, true), requestLine(1), requestLine(2)];
    const runDir = makeRunDir('run-a', 'run-a-uid', undefined, lines);
    ledger.close();
    const result = recordRunFromDir(join(dir, 'goodput.db'), runDir);
    ledger = openLedger(join(dir, 'goodput.db'));
    expect(result).toMatchObject({ created: true, cells: 1, requests: 3, uid: 'run-a-uid' });
    const { run, cells } = ledger.getRun(result.id);
    expect(run).toMatchObject({
      uid: 'run-a-uid',
      source: 'bench-serve',
      startedAt: '2026-02-01T10:00:00.000Z',
      toolVersion: '0.1.0',
      commandLine: ['goodput', 'bench-serve', '--seed', '7'],
      commit: '22b8b7ad',
      requestCount: 3,
    });
    expect(cells).toHaveLength(1);
    expect([...ledger.requestLines(result.id)]).toEqual(lines);
    // recording the same directory twice does not duplicate it
    expect(recordRunFromDir(join(dir, 'goodput.db'), runDir).created).toBe(false);
  });

  it('a bad request line aborts the whole run: error names file and line, nothing is stored', () => {
    const runDir = makeRunDir('run-bad', 'bad', undefined, [
      requestLine(0),
      '{"cell": "k", "repeat": 1',
      requestLine(2),
    ]);
    try {
      recordRunFromDir(join(dir, 'goodput.db'), runDir);
      expect.unreachable();
    } catch (e) {
      expect(isGoodputError(e, 'INPUT_NOT_JSON')).toBe(true);
      expect((e as Error).message).toContain('requests.jsonl:2');
    }
    expect(ledger.listRuns()).toHaveLength(0);
    const raw = new Database(ledger.path, { readonly: true });
    expect(raw.prepare('SELECT COUNT(*) AS n FROM requests').get()).toEqual({ n: 0 });
    raw.close();
  });

  it('a directory without report.json or cells.jsonl is refused with a hint', () => {
    mkdirSync(join(dir, 'empty'));
    expect(() => recordRunFromDir(join(dir, 'goodput.db'), join(dir, 'empty'))).toThrow(
      /neither report\.json nor cells\.jsonl/,
    );
  });
});

describe('selectors, export and prune', () => {
  beforeEach(() => {
    importReports(ledger, [join(reports, 'release-gate/baseline_c1_n3.json')], { label: 'baseline' });
    importReports(ledger, [join(reports, 'engine-pair/ferrum-fa2-direct_c1_n5.json')], { label: 'ferrum' });
    importReports(ledger, [join(reports, 'engine-pair/vllm0202_c1_n5.json')], { label: 'vllm' });
  });

  it.each([
    ['latest', 'vllm'],
    ['run:1', 'baseline'],
    ['label:ferrum', 'ferrum'],
    ['commit:22b8b7ad', 'baseline'],
    ['commit:22b8', 'baseline'],
    ['commit:20ab798', 'vllm'],
    ['commit:20ab798f00dfeedbeef00000000000000000000', 'vllm'],
  ])('%s resolves to the newest matching run (%s)', (selector, label) => {
    expect(ledger.resolveSelector(selector).run.label).toBe(label);
  });

  it('a run uid prefix also selects a run', () => {
    const uid = ledger.getRun(2).run.uid;
    expect(ledger.resolveSelector(`run:${uid.slice(0, 20)}`).run.id).toBe(2);
  });

  it.each([['run:99'], ['label:nope'], ['commit:abcdef0']])(
    '%s matches nothing: INPUT_MISSING with a hint',
    (selector) => {
      try {
        ledger.resolveSelector(selector);
        expect.unreachable();
      } catch (e) {
        expect(isGoodputError(e, 'INPUT_MISSING')).toBe(true);
        expect((e as { hint?: string }).hint).toContain('goodput db list');
      }
    },
  );

  it.each([['run:'], ['commit:xyz'], ['colour:blue']])('%s is a usage error', (selector) => {
    expect(() => ledger.resolveSelector(selector)).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('listRuns filters by label, model and commit and honours the limit', () => {
    expect(ledger.listRuns().map((r) => r.label)).toEqual(['vllm', 'ferrum', 'baseline']);
    expect(ledger.listRuns({ label: 'ferrum' }).map((r) => r.id)).toEqual([2]);
    expect(ledger.listRuns({ commit: '20ab' }).map((r) => r.label)).toEqual(['vllm', 'ferrum']);
    expect(ledger.listRuns({ model: 'Qwen/Qwen3-30B-A3B-GPTQ-Int4' })).toHaveLength(3);
    expect(ledger.listRuns({ model: 'other' })).toHaveLength(0);
    expect(ledger.listRuns({ limit: 1 }).map((r) => r.label)).toEqual(['vllm']);
  });

  it('exportRun returns a valid run envelope whose cells are the stored reports', () => {
    const envelope = ledger.exportRun(2);
    const parsed = RunEnvelopeSchema.parse(JSON.parse(writeRunEnvelopeJson(envelope)));
    expect(parsed.goodput).toMatchObject({
      run_id: ledger.getRun(2).run.uid,
      label: 'ferrum',
      source: 'import',
      ledger_id: 2,
    });
    expect(parsed.cells).toEqual(load(join(reports, 'engine-pair/ferrum-fa2-direct_c1_n5.json')));
  });

  it('planPrune lists without deleting; pruneRuns keep:1 deletes the older runs with their cells', () => {
    expect(ledger.planPrune({ keep: 1 }).map((r) => r.label)).toEqual(['ferrum', 'baseline']);
    expect(ledger.listRuns()).toHaveLength(3);
    expect(ledger.pruneRuns({ keep: 1 }).map((r) => r.id)).toEqual([2, 1]);
    expect(ledger.listRuns().map((r) => r.label)).toEqual(['vllm']);
    const raw = new Database(ledger.path, { readonly: true });
    expect(raw.prepare('SELECT COUNT(*) AS n FROM cells').get()).toEqual({ n: 1 });
    raw.close();
  });

  it('pruneRuns before a date deletes runs recorded earlier', () => {
    // recorded_at ticks one second per run from 2026-01-01T00:00:00Z (the injected clock)
    expect(ledger.pruneRuns({ before: '2026-01-01T00:00:01.500Z' }).map((r) => r.label)).toEqual([
      'ferrum',
      'baseline',
    ]);
    expect(() => ledger.planPrune({ before: 'yesterday-ish' })).toThrow(/not a date/);
    expect(() => ledger.planPrune({ keep: -1 })).toThrow(/--keep/);
  });
});
