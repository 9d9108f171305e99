// A sharded bench-serve run on loopback (SPEC §9): two `goodput bench-serve --shard i/2` processes
// against one simulator, started together with --start-at, then `goodput merge`: one report whose
// requests, prompts and schedule offsets equal a single-process run with the same seed.

import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import type { RequestRecord } from '../../src/core/schema/request-record.js';
import { type SimulatorHandle, startSimulator } from '../../src/server/start-simulator.js';
import { readRunDirectory } from './run-directory-reader.js';

const run = promisify(execFile);
const BIN = join(dirname(fileURLToPath(import.meta.url)), '../../bin/goodput.js');
const tmp = mkdtempSync(join(tmpdir(), 'goodput-shard-'));
let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ seed: 3 });
});
afterAll(async () => {
  await sim.close();
  rmSync(tmp, { recursive: true, force: true });
});

const common = [
  '--seed',
  '5',
  '--n-repeats',
  '1',
  '--random-input-len',
  '24',
  '--random-output-len',
  '6',
  '--no-db',
];

async function single(args: string[], dir: string) {
  const io = memoryIo({ cwd: tmp });
  const code = await main(['bench-serve', '--base-url', sim.url, ...common, ...args, '--out-dir', dir], io);
  expect(code, io.err()).toBe(0);
  return readRunDirectory(dir);
}

/** Runs N shard processes at one --start-at, then merges them in this process. */
async function sharded(args: string[], shards: number, name: string) {
  const startAt = Date.now() + 2500;
  const dirs = Array.from({ length: shards }, (_, i) => join(tmp, `${name}-shard-${i}`));
  await Promise.all(
    dirs.map((dir, i) =>
      run(
        process.execPath,
        [BIN, 'bench-serve', '--base-url', sim.url, ...common, ...args].concat([
          '--shard',
          `${i}/${shards}`,
          '--start-at',
          String(startAt),
          '--out-dir',
          dir,
        ]),
        { timeout: 60_000 },
      ),
    ),
  );
  const io = memoryIo({ cwd: tmp });
  const out = join(tmp, `${name}-merged`);
  const code = await main(['merge', ...dirs, '--out-dir', out], io);
  expect(code, io.err()).toBe(0);
  return { merged: readRunDirectory(out), dirs, startAt, stdout: io.out() };
}

const measured = (records: RequestRecord[]) =>
  records.filter((r) => !r.warmup).sort((a, b) => a.index - b.index);

describe('sharded bench-serve and goodput merge', () => {
  it('open loop: 2 shards merge into the single-process run (requests, prompts, offsets; latencies close)', async () => {
    const load = ['--request-rate', '40', '--num-prompts', '30', '--warmup-requests', '2'];
    const ref = await single(
      [...load, '--schedule-out', join(tmp, 'open.schedule.json')],
      join(tmp, 'open-single'),
    );
    const { merged, dirs, stdout } = await sharded(load, 2, 'open');
    expect(merged.schemaProblems).toEqual([]);
    const offsets = (
      JSON.parse(readFileSync(join(tmp, 'open.schedule.json'), 'utf8')) as { offsets_ms: number[] }
    ).offsets_ms;
    const a = measured(ref.requests);
    const b = measured(merged.requests);
    expect(b.map((r) => r.index)).toEqual(offsets.map((_, i) => i));
    // the same prompts for the same request indices
    expect(b.map((r) => r.input_tokens)).toEqual(a.map((r) => r.input_tokens));
    expect(new Set(b.map((r) => r.id)).size).toBe(30);
    // one clock: ms since --start-at; each request was planned at its offset of the one schedule
    b.forEach((r, i) => {
      expect(Math.abs((r.scheduled_ms as number) - (offsets[i] as number))).toBeLessThan(5);
    });
    const cell = merged.envelope.cells[0];
    const refCell = ref.envelope.cells[0];
    expect(cell?.goodput?.cell_key).toBe(refCell?.goodput?.cell_key);
    expect(cell?.n_requests_per_run).toBe(30);
    expect(cell?.completed_per_run).toEqual([30]);
    expect(cell?.warmup_requests).toBe(2);
    expect(cell?.request_rate).toBe(40);
    expect(Math.abs((cell?.ttft_ms.p50.mean ?? 0) - (refCell?.ttft_ms.p50.mean ?? 0))).toBeLessThan(10);
    expect(Math.abs((cell?.e2e_ms.p50.mean ?? 0) - (refCell?.e2e_ms.p50.mean ?? 0))).toBeLessThan(15);
    const shards = cell?.goodput?.shards as {
      count: number;
      anchor_uncertainty_ms: number;
      start_spread_ms: number;
      sources: string[];
    };
    expect(shards.count).toBe(2);
    expect(shards.sources).toEqual(dirs);
    expect(shards.anchor_uncertainty_ms).toBeLessThan(2);
    expect(shards.start_spread_ms).toBeLessThan(20);
    expect(readFileSync(join(tmp, 'open-merged', 'report.md'), 'utf8')).toContain(
      'open_loop · rate=40 req/s',
    );
    expect(stdout).toMatch(/TTFT/);
  });

  it('closed loop: K = 4 is split 2 + 2, the 12 requests striped, the same prompts as one process', async () => {
    const load = ['--concurrency', '4', '--num-prompts', '12', '--warmup-requests', '0'];
    const ref = await single(load, join(tmp, 'closed-single'));
    const { merged, dirs } = await sharded(load, 2, 'closed');
    const shard0 = readFileSync(join(dirs[0] as string, 'requests.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as RequestRecord).index)
      .sort((x, y) => x - y);
    expect(shard0).toEqual([0, 2, 4, 6, 8, 10]);
    const a = measured(ref.requests);
    const b = measured(merged.requests);
    expect(b.map((r) => r.index)).toEqual(a.map((r) => r.index));
    expect(b.map((r) => r.input_tokens)).toEqual(a.map((r) => r.input_tokens));
    const cell = merged.envelope.cells[0];
    expect(cell?.concurrency).toBe(4);
    expect(cell?.goodput?.cell_key).toBe('closed:c=4');
    expect(cell?.completed_per_run).toEqual([12]);

    // merge refuses a set that is not one run, naming the directory
    for (const [args, message] of [
      [[dirs[0] as string], /shard 1 of 2 missing/],
      [[dirs[0] as string, dirs[0] as string], /shard 0 is given twice/],
      [
        [dirs[0] as string, join(tmp, 'open-shard-1')],
        /its plan differs from .*closed-shard-0's \(.*cell_key/,
      ],
      [[join(tmp, 'nowhere')], /nowhere: no shard\.json/],
    ] as const) {
      const io = memoryIo({ cwd: tmp });
      expect(await main(['merge', ...args, '--out-dir', join(tmp, 'bad')], io)).toBe(2);
      expect(io.err()).toMatch(message);
    }
    const tampered = join(tmp, 'tampered');
    cpSync(dirs[1] as string, tampered, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(tampered, 'shard.json'), 'utf8')) as {
      plan: { seed: number };
    };
    manifest.plan.seed = 6;
    (await import('node:fs')).writeFileSync(join(tampered, 'shard.json'), JSON.stringify(manifest));
    const io = memoryIo({ cwd: tmp });
    expect(await main(['merge', dirs[0] as string, tampered, '--out-dir', join(tmp, 'bad2')], io)).toBe(2);
    expect(io.err()).toMatch(/tampered: its plan differs .*\(seed\)/);
  });

  it.each([
    [['--shard', '2/2', '--start-at', '1'], /--shard "2\/2": expected i\/N with 0 ≤ i < N/],
    [['--shard', '0/2'], /--shard needs --start-at/],
    [['--start-at', '1000'], /--start-at synchronises the shards of --shard i\/N/],
    [['--shard', '0/2', '--start-at', '1', '--n-repeats', '3'], /--shard runs one repeat/],
    [
      ['--shard', '0/4', '--start-at', '1', '--n-repeats', '1', '--concurrency', '2'],
      /a closed loop of 2 streams cannot be split into 4 shards/,
    ],
    [
      ['--shard', '0/2', '--start-at', '1', '--n-repeats', '1', '--duration', '5s'],
      /--duration cannot be split/,
    ],
  ])('bench-serve refuses %j (exit 2)', async (args, message) => {
    const io = memoryIo({ cwd: tmp });
    const base =
      args.includes('--start-at') && !args.includes('--shard') ? [] : ['--base-url', 'http://127.0.0.1:9'];
    expect(await main(['bench-serve', ...base, ...args, '--out-dir', join(tmp, 'never')], io)).toBe(2);
    expect(io.err()).toMatch(message);
  });
});
