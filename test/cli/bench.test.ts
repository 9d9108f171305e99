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
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { type BenchReport, BenchReportSchema } from '../../src/core/schema/bench-report.js';
import type { RunSummary } from '../../src/store/ledger.js';

const dir = mkdtempSync(join(tmpdir(), 'goodput-bench-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const io = memoryIo({ cwd: dir });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

type TraceEvent = { name: string; cat?: string; ph: string; tid: number; args?: Record<string, unknown> };

describe('goodput bench --engine llama (a real llama.cpp engine on a tiny GGUF)', () => {
  it('runs 3 repeats into a valid cli report with the engine’s token counts, and a trace with one span per request', async () => {
    expect((await run(['make-tiny-gguf', 'tiny.gguf', '--seed', '7'])).code).toBe(0);
    const r = await run([
      'bench',
      '--engine',
      'llama',
      '--model-path',
      'tiny.gguf',
      '--threads',
      '1',
      '--max-tokens',
      '24',
      '--rounds',
      '3',
      '--output',
      'json',
      '--out',
      'report.json',
      '--trace-out',
      'bench.trace.json',
    ]);
    expect(r.err).toContain('→ wrote');
    expect(r.code).toBe(0);
    const report = BenchReportSchema.parse(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')));
    expect(report.model).toBe('tiny');
    expect(report.backend).toBe('cpu');
    expect(report.scenario).toBe('cli');
    expect(report.concurrency).toBeUndefined();
    expect(report.n_repeats).toBe(3);
    expect(report.n_requests_per_run).toBe(3);
    expect(report.n_gen).toBe(24);
    expect(report.n_prompt).toBe(Buffer.byteLength('Explain the theory of relativity in detail.'));
    expect(report.completed_per_run).toEqual([3, 3, 3]);
    expect(report.ttft_ms.p50.mean).toBeGreaterThan(0);
    expect(report.tpot_ms.p50.mean).toBeGreaterThan(0);
    // the engine's own count: one event per generated token, and the tiny model never stops early
    expect(report.output_tokens_per_request).toEqual([
      [24, 24, 24],
      [24, 24, 24],
      [24, 24, 24],
    ]);
    expect(report.itl_evidence_per_request?.[0]?.[0]).toMatchObject({
      source: 'engine_token_events',
      eligibility: 'eligible',
      output_events: 24,
    });
    expect(report.output_token_count_source ?? report.repeat_metrics?.[0]?.output_token_count_source).toBe(
      'stream_chunks',
    );

    const trace = JSON.parse(readFileSync(join(dir, 'bench.trace.json'), 'utf8')) as {
      traceEvents: TraceEvent[];
    };
    const spans = trace.traceEvents.filter((e) => e.ph === 'X' && e.name === 'request');
    expect(spans).toHaveLength(3 * 3);
    expect(new Set(spans.map((e) => e.args?.id)).size).toBe(9);
    expect(trace.traceEvents.filter((e) => e.ph === 'X' && e.name === 'warmup request')).toHaveLength(3);
    expect(trace.traceEvents.filter((e) => e.name === 'thread_name').map((e) => e.args?.name)).toEqual([
      'worker 0',
    ]);
    // and it opens in the trace tools
    const s = await run(['trace', 'summary', 'bench.trace.json', '--json']);
    expect(s.code).toBe(0);
    const summary = JSON.parse(s.out) as { unknownCategories: { raw: string; events: number }[] };
    expect(summary.unknownCategories.find((u) => u.raw === 'request')?.events).toBe(9 + 3);
  });

  it('the same seed gives the same tokens (greedy and seeded sampling)', async () => {
    await run(['make-tiny-gguf', 'tiny2.gguf', '--seed', '3']);
    const output = async (extra: string[]) => {
      const r = await run([
        'bench',
        '--engine',
        'llama',
        '--model-path',
        'tiny2.gguf',
        '--threads',
        '1',
        '--max-tokens',
        '20',
        '--rounds',
        '1',
        '--n-repeats',
        '1',
        '--show-output',
        ...extra,
      ]);
      expect(r.code).toBe(0);
      return /output of request 0: (.*)/.exec(r.err)?.[1];
    };
    const greedy = await output([]);
    expect(greedy).toBeDefined();
    expect(await output([])).toBe(greedy);
    const sampled = await output(['--temperature', '1.2', '--seed', '5']);
    expect(await output(['--temperature', '1.2', '--seed', '5'])).toBe(sampled);
    expect(await output(['--temperature', '1.2', '--seed', '6'])).not.toBe(sampled);
  });
});

describe('goodput bench (simulator engine and user modules)', () => {
  it('runs the simulator engine in a true closed loop at --concurrency 2: scenario closed_loop', async () => {
    const r = await run([
      'bench',
      '--concurrency',
      '2',
      '--rounds',
      '2',
      '--max-tokens',
      '8',
      '--n-repeats',
      '2',
      '--output',
      'json',
    ]);
    expect(r.code).toBe(0);
    const report = BenchReportSchema.parse(JSON.parse(r.out));
    expect(report.backend).toBe('sim');
    expect(report.model).toBe('sim-tiny');
    expect(report.scenario).toBe('closed_loop');
    expect(report.concurrency).toBe(2);
    expect(report.n_requests_per_run).toBe(4);
    expect(r.err).toContain('[warn] n_repeats < 3');
  });

  it('--profile-out appends one bench_request event per measured request, which profile summary reads', async () => {
    const r = await run([
      'bench',
      '--rounds',
      '2',
      '--n-repeats',
      '2',
      '--max-tokens',
      '8',
      '--profile-out',
      'bench.profile.jsonl',
      '--commit-sha',
      'abc1234',
    ]);
    expect(r.code).toBe(0);
    expect((await run(['profile', 'check', 'bench.profile.jsonl'])).code).toBe(0);
    const s = await run(['profile', 'summary', 'bench.profile.jsonl', '--json']);
    const summary = JSON.parse(s.out) as {
      groups: {
        event: string;
        commitSha: string;
        count: number;
        stages: { stage: string; n: number; meanUs: number }[];
      }[];
    };
    expect(summary.groups).toHaveLength(1);
    expect(summary.groups[0]).toMatchObject({ event: 'bench_request', commitSha: 'abc1234', count: 4 });
    expect(summary.groups[0]?.stages.map((x) => x.stage)).toEqual(['decode', 'e2e', 'ttft']);
    for (const st of summary.groups[0]?.stages ?? []) expect(st.meanUs).toBeGreaterThan(0);
  });

  it('runs a user engine module and writes markdown', async () => {
    writeFileSync(
      join(dir, 'engine.mjs'),
      `export default { name: "my-engine", backend: "cpu", countTokens: (p) => p.split(" ").length,
        async *generate(prompt, { maxTokens }) { for (let i = 0; i < maxTokens; i++) { await new Promise((r) => setTimeout(r, 1)); yield { tokens: 1 }; } } };`,
    );
    const r = await run([
      'bench',
      '--engine',
      './engine.mjs',
      '--max-tokens',
      '4',
      '--rounds',
      '2',
      '--output',
      'md',
      '--out',
      'r.md',
      '--goodput',
      'ttft:1000 tpot:1000 e2el:10000',
    ]);
    expect(r.code).toBe(0);
    const md = readFileSync(join(dir, 'r.md'), 'utf8');
    expect(md).toContain('my-engine');
    expect(md).toContain('cli');
  });

  it('fails with exit 1 when measured requests fail, after writing the report', async () => {
    writeFileSync(
      join(dir, 'flaky.mjs'),
      `let n = 0; export default { name: "flaky", async *generate() { n++; if (n === 2) throw new Error("engine fell over"); yield {}; yield {}; } };`,
    );
    const r = await run([
      'bench',
      '--engine',
      './flaky.mjs',
      '--rounds',
      '2',
      '--n-repeats',
      '1',
      '--warmup-requests',
      '0',
      '--output',
      'json',
      '--out',
      'flaky.json',
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('benchmark measured requests failed: 1');
    const report = BenchReportSchema.parse(JSON.parse(readFileSync(join(dir, 'flaky.json'), 'utf8')));
    expect(report.malformed_stream_per_run).toEqual([1]);
  });

  it('Ctrl-C: stops, reports the completed repeats, exits 1', async () => {
    writeFileSync(
      join(dir, 'slow.mjs'),
      `export default { name: "slow", async *generate(p, { signal }) { for (let i = 0; i < 4; i++) { await new Promise((r) => setTimeout(r, 10)); if (signal.aborted) return; yield {}; } } };`,
    );
    const io = memoryIo({ cwd: dir });
    const running = main(
      [
        'bench',
        '--engine',
        './slow.mjs',
        '--rounds',
        '3',
        '--n-repeats',
        '5',
        '--warmup-requests',
        '0',
        '--output',
        'json',
        '--out',
        'partial.json',
      ],
      io,
    );
    // interrupt once the first repeat has finished
    while (!io.err().includes('repeat 1/5')) await new Promise((r) => setTimeout(r, 5));
    io.interrupt();
    expect(await running).toBe(1);
    expect(io.err()).toMatch(/interrupted: reported the [1-4] completed repeat\(s\) of 5/);
    const report = BenchReportSchema.parse(JSON.parse(readFileSync(join(dir, 'partial.json'), 'utf8')));
    expect(report.n_repeats).toBeGreaterThanOrEqual(1);
    expect(report.n_repeats).toBeLessThan(5);
    expect(report.goodput?.warnings?.some((w) => w.startsWith('interrupted:'))).toBe(true);
  });

  it('reports every bad flag at once with exit 2', async () => {
    const r = await run([
      'bench',
      '--max-tokens',
      '0',
      '--concurrency',
      'x',
      '--model-path',
      'a.gguf',
      '--output',
      'jsonl',
      '--temperature',
      '0.5',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--max-tokens "0"');
    expect(r.err).toContain('--concurrency "x"');
    expect(r.err).toContain('--model-path is only used by --engine llama');
    expect(r.err).toContain('--output jsonl needs --out');
    expect(r.err).toContain('the simulator engine does not sample');
  });

  it('needs --model-path for --engine llama', async () => {
    const r = await run(['bench', '--engine', 'llama']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--engine llama needs --model-path');
  });
});

describe('goodput bench finishes its run like bench-serve: a run directory and the ledger', () => {
  const quick = ['bench', '--rounds', '2', '--n-repeats', '1', '--max-tokens', '4'];
  const fresh = (name: string) => {
    const cwd = join(dir, name);
    mkdirSync(cwd);
    return cwd;
  };
  const runIn = async (cwd: string, args: string[]) => {
    const io = memoryIo({ cwd });
    const code = await main(args, io);
    return { code, out: io.out(), err: io.err() };
  };

  it('records its cli cell (and with --db-requests every request row) in --db, and writes report.md and report.html', async () => {
    const cwd = fresh('ledger');
    const r = await runIn(cwd, [...quick, '--out-dir', 'run', '--db', 'runs.db', '--db-requests']);
    expect(r.code, r.err).toBe(0);
    const runDir = join(cwd, 'run');
    const requests = readFileSync(join(runDir, 'requests.jsonl'), 'utf8').trim().split('\n');
    expect(requests).toHaveLength(2 + 1); // 2 measured, 1 warmup
    expect(r.err).toContain(`recorded run 1 in ${join(cwd, 'runs.db')} (1 cell, 3 request rows)`);

    const list = await runIn(cwd, ['db', 'list', '--db', 'runs.db', '--json']);
    const runs = JSON.parse(list.out) as RunSummary[];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ source: 'bench', sourcePath: runDir, cellCount: 1, requestCount: 3 });
    const shown = await runIn(cwd, ['db', 'show', 'latest', '--db', 'runs.db', '--json']);
    const stored = JSON.parse(shown.out) as { goodput: { run_id: string }; cells: BenchReport[] };
    const file = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as typeof stored;
    expect(stored.cells).toEqual(file.cells);
    expect(stored.goodput.run_id).toBe(file.goodput.run_id);
    expect(stored.cells[0]?.scenario).toBe('cli');
    expect(stored.cells[0]?.n_requests_per_run).toBe(2);
    expect(stored.cells[0]?.goodput?.comparability?.hash).toMatch(/^sha256:/);

    expect(readFileSync(join(runDir, 'cells.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
    expect(readFileSync(join(runDir, 'report.md'), 'utf8')).toContain('cli');
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('sim-tiny');
    // the ledger's copy renders as the directory does
    const fromLedger = await runIn(cwd, ['report', 'latest', '--db', 'runs.db', '--format', 'md']);
    const fromDir = await runIn(cwd, ['report', 'run', '--format', 'md']);
    expect(fromLedger.code, fromLedger.err).toBe(0);
    expect(fromLedger.out.replaceAll('run:1', runDir)).toBe(fromDir.out);
  });

  it('records into ./goodput.db and goodput-results/ by default; --no-db leaves no ledger', async () => {
    const byDefault = fresh('default');
    expect((await runIn(byDefault, quick)).code).toBe(0);
    expect(existsSync(join(byDefault, 'goodput.db'))).toBe(true);
    const [runName] = readdirSync(join(byDefault, 'goodput-results'));
    expect(runName).toMatch(/^\d{8}-\d{6}-sim-tiny$/);
    expect(existsSync(join(byDefault, 'goodput-results', runName as string, 'report.html'))).toBe(true);

    const noDb = fresh('no-db');
    const r = await runIn(noDb, [...quick, '--no-db']);
    expect(r.code, r.err).toBe(0);
    expect(existsSync(join(noDb, 'goodput.db'))).toBe(false);
    expect(readdirSync(join(noDb, 'goodput-results'))).toHaveLength(1);
  });

  it('a --db that cannot be opened fails naming the flag and the file; --output and the run directory are written', async () => {
    const cwd = fresh('bad-db');
    writeFileSync(join(cwd, 'file'), 'not a directory\n');
    const r = await runIn(cwd, [
      ...quick,
      '--out-dir',
      'run',
      '--db',
      'file/x.db',
      '--output',
      'json',
      '--out',
      'r.json',
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`error: --db ${join(cwd, 'file/x.db')}: cannot open ledger`);
    expect(r.err).toContain(`the results are written in ${join(cwd, 'run')}`);
    expect(BenchReportSchema.parse(JSON.parse(readFileSync(join(cwd, 'r.json'), 'utf8'))).scenario).toBe(
      'cli',
    );
    for (const f of ['report.json', 'cells.jsonl', 'requests.jsonl', 'report.md', 'report.html'])
      expect(existsSync(join(cwd, 'run', f)), f).toBe(true);
  });

  it('refuses an --out-dir that already holds a run before running anything', async () => {
    const cwd = fresh('clash');
    expect((await runIn(cwd, [...quick, '--out-dir', 'run', '--no-db'])).code).toBe(0);
    const r = await runIn(cwd, [...quick, '--out-dir', 'run', '--no-db']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--out-dir ${join(cwd, 'run')} already holds a run`);
    expect(r.err).not.toContain('repeat 1/1');
  });
});
