// bench-serve as users run it: seeded open-loop schedules and their exact replay, sweeps with their knee / best rate,
// the stream_options fallback, secrets that never reach any output, and `goodput report DIR`.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import type { RequestRecord } from '../../src/core/schema/request-record.js';
import { readRunDirectory } from './run-directory-reader.js';

const tmp = mkdtempSync(join(tmpdir(), 'goodput-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const small = ['--random-input-len', '16', '--random-output-len', '8', '--no-db'];

async function run(args: string[], env: Record<string, string> = {}) {
  const io = memoryIo({ cwd: tmp, env });
  const code = await main(['bench-serve', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('bench-serve end to end', () => {
  it('an open loop at a fixed seed sends at the same offsets twice, records dispatch lag, and --schedule-in replays it', async () => {
    const runs: RequestRecord[][] = [];
    for (const name of ['a', 'b']) {
      const r = await run([
        '--request-rate',
        '100',
        '--seed',
        '7',
        '--num-prompts',
        '30',
        '--n-repeats',
        '1',
        '--warmup-requests',
        '2',
        '--schedule-out',
        join(tmp, `${name}.schedule.json`),
        '--out-dir',
        join(tmp, `open-${name}`),
        ...small,
      ]);
      expect(r.code, r.err).toBe(0);
      runs.push(readRunDirectory(join(tmp, `open-${name}`)).requests.filter((x) => !x.warmup));
    }
    expect(readFileSync(join(tmp, 'a.schedule.json'), 'utf8')).toBe(
      readFileSync(join(tmp, 'b.schedule.json'), 'utf8'),
    );
    const schedule = JSON.parse(readFileSync(join(tmp, 'a.schedule.json'), 'utf8')) as {
      offsets_ms: number[];
      seed: number;
    };
    expect(schedule.offsets_ms).toHaveLength(30);
    expect(schedule.seed).toBe(7);
    for (const records of runs) {
      records.sort((x, y) => x.index - y.index);
      const origin = (records[0]?.scheduled_ms as number) - (schedule.offsets_ms[0] as number);
      records.forEach((x, i) => {
        expect((x.scheduled_ms as number) - origin).toBeCloseTo(schedule.offsets_ms[i] as number, 6);
      });
      // dispatch lag (send − scheduled) is recorded for every request and never negative
      for (const x of records) expect(x.send_ms - (x.scheduled_ms as number)).toBeGreaterThanOrEqual(0);
    }
    const replay = await run([
      '--schedule-in',
      join(tmp, 'a.schedule.json'),
      '--n-repeats',
      '1',
      '--warmup-requests',
      '0',
      '--out-dir',
      join(tmp, 'replay'),
      ...small,
    ]);
    expect(replay.code, replay.err).toBe(0);
    const replayed = readRunDirectory(join(tmp, 'replay'));
    const records = replayed.requests.sort((x, y) => x.index - y.index);
    const origin = (records[0]?.scheduled_ms as number) - (schedule.offsets_ms[0] as number);
    records.forEach((x, i) => {
      expect((x.scheduled_ms as number) - origin).toBeCloseTo(schedule.offsets_ms[i] as number, 6);
    });
    expect(replayed.envelope.cells[0]?.request_rate).toBe(100);
  });

  it('a concurrency sweep marks its knee and a rate sweep its best rate; ferrum-style --output json is an array', async () => {
    const sweep = await run([
      '--concurrency-sweep',
      '1,4',
      '--num-prompts',
      '8',
      '--n-repeats',
      '1',
      '--warmup-requests',
      '0',
      '--output',
      'json',
      '--out-dir',
      join(tmp, 'sweep'),
      ...small,
    ]);
    expect(sweep.code, sweep.err).toBe(0);
    // stdout carries the machine document only (the summary went to stderr)
    const array = JSON.parse(sweep.out) as Array<{ concurrency: number }>;
    expect(sweep.err).toMatch(/TTFT \(ms\)/);
    expect(array.map((c) => c.concurrency)).toEqual([1, 4]);
    const cells = readRunDirectory(join(tmp, 'sweep')).envelope.cells;
    for (const c of cells) expect(c.goodput?.knee).toHaveProperty('concurrency');
    expect(readFileSync(join(tmp, 'sweep', 'report.md'), 'utf8')).toMatch(/c=1.*c=4|c=4.*c=1/s);

    const rates = await run([
      '--rate-sweep',
      '20,40',
      '--goodput',
      'ttft:5000',
      '--num-prompts',
      '8',
      '--n-repeats',
      '1',
      '--warmup-requests',
      '0',
      '--out-dir',
      join(tmp, 'rates'),
      ...small,
    ]);
    expect(rates.code, rates.err).toBe(0);
    for (const c of readRunDirectory(join(tmp, 'rates')).envelope.cells) {
      expect(c.goodput?.sweep).toMatchObject({ kind: 'rate', best_rate_rps: 40 });
      expect(c.slo.ttft_p99_ms).toBe(5000);
    }
  });

  it('a shared-prefix cell reports the miss vs warm TTFT split and the cache hit ratio (usage and /metrics)', async () => {
    const r = await run(
      [
        '--dataset',
        'shared-prefix',
        '--shared-prefix-len',
        '256',
        '--shared-suffix-len',
        '16',
        '--prefix-groups',
        '2',
      ]
        .concat(['--num-prompts', '12', '--n-repeats', '1', '--concurrency', '2', '--warmup-requests', '2'])
        .concat(['--random-output-len', '8', '--no-db', '--out-dir', join(tmp, 'prefix')]),
    );
    expect(r.code, r.err).toBe(0);
    const report = readRunDirectory(join(tmp, 'prefix')).envelope.cells[0];
    expect(report?.scenario).toBe('shared_prefix');
    expect(report?.n_prompt).toBe(272);
    const sp = report?.goodput?.shared_prefix as {
      ttft_split: { first: { n: number }; rest: { n: number } };
      hit_ratio_usage: { ratio: number };
      hit_ratio_metrics: { ratio: number };
    };
    // the first request of each of the 2 groups misses; the other 10 find the prefix cached
    expect([sp.ttft_split.first.n, sp.ttft_split.rest.n]).toEqual([2, 10]);
    expect(sp.hit_ratio_usage.ratio).toBeGreaterThan(0.5);
    expect(sp.hit_ratio_metrics.ratio).toBeCloseTo(sp.hit_ratio_usage.ratio, 6);
  });

  it('--duration bounds a closed and an open loop by time; each planned request has one record', async () => {
    for (const [name, load] of [
      ['dur-closed', ['--concurrency', '2']],
      ['dur-open', ['--request-rate', '40']],
    ] as const) {
      const t0 = Date.now();
      const r = await run([
        '--duration',
        '1s',
        ...load,
        '--num-prompts',
        '5',
        '--n-repeats',
        '1',
        '--warmup-requests',
        '1',
        '--out-dir',
        join(tmp, name),
        ...small,
      ]);
      expect(r.code, r.err).toBe(0);
      expect(Date.now() - t0).toBeLessThan(20_000);
      const { requests, envelope } = readRunDirectory(join(tmp, name));
      const report = envelope.cells[0];
      const measured = requests.filter((x) => !x.warmup);
      expect(report?.n_requests_per_run).toBe(measured.length);
      expect(measured.length).toBeGreaterThan(5);
      expect(report?.goodput?.load).toMatchObject({ duration_s: 1 });
      // nothing planned after the deadline: sends (closed) or scheduled sends (open) span < 1 s
      const at = measured.map((x) => x.scheduled_ms ?? x.send_ms);
      expect(Math.max(...at) - Math.min(...at)).toBeLessThan(1000);
    }
  });

  it('--workers 2 spreads the load over two threads and records every request once', async () => {
    const r = await run([
      '--workers',
      '2',
      '--concurrency',
      '4',
      '--num-prompts',
      '12',
      '--n-repeats',
      '1',
      '--warmup-requests',
      '2',
      '--out-dir',
      join(tmp, 'workers'),
      ...small,
    ]);
    expect(r.code, r.err).toBe(0);
    const { requests, envelope } = readRunDirectory(join(tmp, 'workers'));
    expect(
      requests
        .filter((x) => !x.warmup)
        .map((x) => x.index)
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(new Set(requests.map((x) => x.id)).size).toBe(14);
    expect(envelope.cells[0]?.completed_per_run).toEqual([12]);
  });

  it('falls back without stream_options when the server rejects it, and records that', async () => {
    const r = await run([
      '--sim-faults',
      'reject_stream_options',
      '--num-prompts',
      '6',
      '--n-repeats',
      '1',
      '--concurrency',
      '2',
      '--warmup-requests',
      '1',
      '--out-dir',
      join(tmp, 'reject'),
      ...small,
    ]);
    expect(r.code, r.err).toBe(0);
    const { envelope, requests } = readRunDirectory(join(tmp, 'reject'));
    const report = envelope.cells[0];
    expect(report?.completed_per_run).toEqual([6]);
    expect(report?.output_token_count_source).toBe('stream_chunks');
    expect(report?.goodput?.tokens?.stream_options_rejected).toBe(true);
    expect(requests.every((x) => x.usage_output_tokens === undefined && x.flags.length === 0)).toBe(true);
  });

  it('never writes the API key or a secret header anywhere', async () => {
    const key = 'sk-test-DO-NOT-LEAK-4242';
    const header = 'hdr-secret-DO-NOT-LEAK-7777';
    const dir = join(tmp, 'secret');
    const db = join(tmp, 'secret.db');
    const r = await run(
      [
        '--api-key-env',
        'MY_KEY',
        '--header',
        `X-Api-Key: ${header}`,
        '--num-prompts',
        '4',
        '--n-repeats',
        '1',
        '--warmup-requests',
        '0',
      ]
        .concat([
          '--concurrency',
          '2',
          '--random-input-len',
          '8',
          '--random-output-len',
          '4',
          '--out-dir',
          dir,
          '--db',
          db,
        ])
        .concat(['--trace-out', join(dir, 'trace.json'), '--output', 'md', '--out', join(tmp, 'secret.md')]),
      { MY_KEY: key },
    );
    expect(r.code, r.err).toBe(0);
    const texts = [
      r.out,
      r.err,
      readFileSync(db).toString('latin1'),
      readFileSync(join(tmp, 'secret.md'), 'utf8'),
    ];
    for (const f of readdirSync(dir)) texts.push(readFileSync(join(dir, f), 'utf8'));
    for (const t of texts) {
      expect(t).not.toContain(key);
      expect(t).not.toContain(header);
    }
    // the redacted command line is still recorded
    expect(readRunDirectory(dir).envelope.goodput.command_line).toContain('X-Api-Key: <redacted>');
  });

  it('`goodput report DIR` renders a bench-serve run', async () => {
    const io = memoryIo({ cwd: tmp });
    expect(await main(['report', join(tmp, 'sweep')], io)).toBe(0);
    expect(io.out()).toMatch(/closed_loop/);
  });
});
