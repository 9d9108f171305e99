// bench-serve replaying a timed `--dataset jsonl` file against the built-in simulator: every line
// becomes exactly one request, sent at its timestamp_ms relative to the first (open loop, intended
// start recorded), by default or with --replay-timestamps; conflicting flags are refused by name.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { readRunDirectory } from './run-directory-reader.js';

const tmp = mkdtempSync(join(tmpdir(), 'goodput-jsonl-replay-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// 14 lines over ~0.7 s: two at the same instant, gaps of 0 to 150 ms; max_tokens 2 + line index
// identifies the line each request carried
const TIMESTAMPS_MS = [5000, 5000, 5040, 5090, 5100, 5180, 5250, 5260, 5330, 5480, 5500, 5560, 5600, 5700];
const timedFile = join(tmp, 'timed.jsonl');
writeFileSync(
  timedFile,
  `${TIMESTAMPS_MS.map((ts, i) =>
    JSON.stringify(
      i % 2 === 0
        ? { prompt: `line ${i}: tell me about the number ${i}`, max_tokens: 2 + i, timestamp_ms: ts }
        : { messages: [{ role: 'user', content: `line ${i}, a chat` }], max_tokens: 2 + i, timestamp_ms: ts },
    ),
  ).join('\n')}\n`,
);
const untimedFile = join(tmp, 'untimed.jsonl');
writeFileSync(untimedFile, '{"prompt":"a"}\n{"prompt":"b"}\n');

async function run(args: string[]) {
  const io = memoryIo({ cwd: tmp });
  const code = await main(['bench-serve', '--no-db', '--n-repeats', '1', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('bench-serve --dataset jsonl timestamp replay', () => {
  it('by default sends every line once at its timestamp (offsets exact, dispatch lag small)', async () => {
    const dir = join(tmp, 'default');
    const r = await run([
      '--dataset',
      'jsonl',
      '--dataset-path',
      timedFile,
      '--warmup-requests',
      '0',
      '--out-dir',
      dir,
    ]);
    expect(r.code, r.err).toBe(0);
    const { requests, envelope, schemaProblems } = readRunDirectory(dir);
    expect(schemaProblems).toEqual([]);
    const measured = requests.filter((x) => !x.warmup).sort((a, b) => a.index - b.index);
    // every line exactly once, in file order (max_tokens tells the lines apart)
    expect(measured.map((x) => x.index)).toEqual(TIMESTAMPS_MS.map((_, i) => i));
    expect(measured.map((x) => x.max_tokens)).toEqual(TIMESTAMPS_MS.map((_, i) => 2 + i));
    const origin = measured[0]?.scheduled_ms as number;
    const lags: number[] = [];
    measured.forEach((x, i) => {
      const planned = (TIMESTAMPS_MS[i] as number) - (TIMESTAMPS_MS[0] as number);
      expect((x.scheduled_ms as number) - origin).toBeCloseTo(planned, 6);
      // the request really left at its offset: dispatch lag is ≥ 0 and small
      lags.push(x.send_ms - (x.scheduled_ms as number));
      expect(x.send_ms - origin - planned).toBeGreaterThanOrEqual(0);
    });
    // typical lag well under a step; the max only bounds a scheduler hiccup on a busy 2-core box
    const sortedLags = [...lags].sort((p, q) => p - q);
    expect(sortedLags[sortedLags.length >> 1]).toBeLessThan(10);
    expect(Math.max(...lags)).toBeLessThan(100);
    const cell = envelope.cells[0];
    expect(cell?.scenario).toBe('open_loop');
    expect(cell?.n_requests_per_run).toBe(TIMESTAMPS_MS.length);
    expect(cell?.completed_per_run).toEqual([TIMESTAMPS_MS.length]);
    expect(cell?.goodput?.load).toMatchObject({
      kind: 'open',
      arrivals: 'trace',
      requests: TIMESTAMPS_MS.length,
    });
    // (14 − 1) requests over 0.7 s of timestamps
    expect(cell?.request_rate).toBeCloseTo((13 * 1000) / 700, 9);
    // intended-start latencies: measured from the scheduled send, never shorter than from the actual one
    const intended = cell?.goodput?.intended_start;
    expect(intended?.ttft_ms.p50).toBeGreaterThanOrEqual(0);
    expect(Object.keys(intended?.e2e_ms ?? {})).toContain('p99');
  });

  it('--replay-timestamps with --num-prompts N replays the first N lines; --max-concurrency caps in flight', async () => {
    const dir = join(tmp, 'first5');
    const r = await run(
      ['--dataset', 'jsonl', '--dataset-path', timedFile, '--replay-timestamps', '--num-prompts', '5'].concat(
        ['--max-concurrency', '2', '--warmup-requests', '1', '--out-dir', dir],
      ),
    );
    expect(r.code, r.err).toBe(0);
    const { requests, envelope } = readRunDirectory(dir);
    const measured = requests.filter((x) => !x.warmup).sort((a, b) => a.index - b.index);
    expect(measured.map((x) => x.max_tokens)).toEqual([2, 3, 4, 5, 6]);
    expect(requests.filter((x) => x.warmup)).toHaveLength(1);
    expect(envelope.cells[0]?.goodput?.load).toMatchObject({ max_concurrency: 2, requests: 5 });
  });

  it('a load flag turns the default replay off; a timed file then runs closed loop', async () => {
    const dir = join(tmp, 'closed');
    const r = await run(
      ['--dataset', 'jsonl', '--dataset-path', timedFile, '--concurrency', '3', '--num-prompts', '14'].concat(
        ['--warmup-requests', '0', '--out-dir', dir],
      ),
    );
    expect(r.code, r.err).toBe(0);
    const cell = readRunDirectory(dir).envelope.cells[0];
    expect(cell?.scenario).toBe('closed_loop');
    expect(cell?.concurrency).toBe(3);
  });

  it.each([
    [
      [
        '--dataset-path',
        timedFile,
        '--dataset',
        'jsonl',
        '--replay-timestamps',
        '--concurrency',
        '4',
        '--rate-sweep',
        '1,2',
      ],
      /--replay-timestamps sends every line at its timestamp_ms: drop --concurrency, --rate-sweep/,
    ],
    [
      ['--dataset-path', timedFile, '--dataset', 'jsonl', '--replay-timestamps', '--duration', '5s'],
      /drop --duration/,
    ],
    [
      ['--dataset-path', untimedFile, '--dataset', 'jsonl', '--replay-timestamps'],
      /--replay-timestamps: the first request of .*untimed\.jsonl has no "timestamp_ms"/,
    ],
    [
      ['--dataset', 'random', '--replay-timestamps'],
      /--replay-timestamps replays the timestamp_ms of a --dataset jsonl file \(got --dataset random\)/,
    ],
    [
      ['--dataset-path', timedFile, '--dataset', 'jsonl', '--num-prompts', '20'],
      /--num-prompts 20 is more than the 14 timed lines/,
    ],
  ])('refuses %j with a message naming the flags (exit 2)', async (args, message) => {
    const r = await run([...args, '--out-dir', join(tmp, 'never')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
});
