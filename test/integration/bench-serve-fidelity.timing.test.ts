// Timing fidelity of the client against the simulator's ground truth at 1, 16, 128 and 512
// concurrent streams (SPEC §10). Each prompt has a distinct length, so client requests and truth
// records pair up exactly; per request, TTFT error = the client's first-event arrival − the
// server's write of the first token (both on the epoch clock; the server is another process), per
// gap the ITL error |client gap − server gap|. The bounds are loose on purpose (a loaded 2-core CI
// box delays both processes); the exact targets belong to the benchmark suite. The table is printed.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runClosedLoop } from '../../src/client/closed-loop.js';
import { GenerationClient } from '../../src/client/request-executor.js';
import { RunControl } from '../../src/client/run-control.js';
import { spawnSimulator } from '../../src/server/spawn-simulator.js';
import type { TruthRecord } from '../../src/server/truth-log.js';

const tmp = mkdtempSync(join(tmpdir(), 'goodput-fidelity-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const TOKENS = 16;
const STEP_MS = 5;

interface Errors {
  matched: number;
  ttft: number[];
  itl: number[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : (s[Math.floor((s.length - 1) / 2)] as number);
};
const p99 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : (s[Math.min(s.length - 1, Math.ceil(s.length * 0.99) - 1)] as number);
};

/** `requests` requests, `streams` at a time, prompt i of exactly i tokens ("x x x …"). */
async function measure(streams: number, requests: number): Promise<Errors> {
  const truthLogPath = join(tmp, `truth-${streams}.jsonl`);
  const sim = await spawnSimulator({
    preset: 'instant',
    profile: { stepBaseMs: STEP_MS, maxRunningSeqs: Math.max(streams, 16), jitterFraction: 0 },
    truthLogPath,
  });
  const client = new GenerationClient({
    origin: sim.url,
    path: '/v1/chat/completions',
    headers: ['content-type', 'application/json'],
    body: { endpoint: 'chat', model: 'goodput-sim', ignoreEos: true },
    timeoutMs: 60_000,
    connections: streams,
  });
  const firstEvents = new Map<number, number[]>();
  try {
    await client.warm(streams, '/health');
    await runClosedLoop(
      client,
      { concurrency: streams, count: requests },
      (i) => ({
        plan: {
          id: String(i),
          cell: 'fidelity',
          repeat: 1,
          index: i,
          warmup: false,
          inputTokens: i + 1,
          maxTokens: TOKENS,
        },
        prompt: `x${' x'.repeat(i)}`,
      }),
      (r) =>
        firstEvents.set(
          r.index + 1,
          r.event_ms.map((t) => performance.timeOrigin + t),
        ),
      new RunControl(),
    );
  } finally {
    await client.close();
    await sim.stop();
  }
  // prompt lengths are distinct and increasing with the request number: pair by rank
  const truth = readFileSync(truthLogPath, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as TruthRecord)
    .sort((a, b) => (a.prompt_tokens ?? 0) - (b.prompt_tokens ?? 0));
  const out: Errors = { matched: 0, ttft: [], itl: [] };
  for (const [rank, events] of firstEvents) {
    const t = truth[rank - 1];
    if (t === undefined || t.token_epoch_ms.length !== events.length || events.length === 0) continue;
    out.matched++;
    out.ttft.push((events[0] as number) - (t.token_epoch_ms[0] as number));
    for (let i = 1; i < events.length; i++) {
      const client = (events[i] as number) - (events[i - 1] as number);
      const server = (t.token_epoch_ms[i] as number) - (t.token_epoch_ms[i - 1] as number);
      out.itl.push(Math.abs(client - server));
    }
  }
  return out;
}

// streams, requests, bound on the median TTFT and ITL errors (ms). At 512 streams the server
// writes 512 first tokens at once and any client takes them in turn; when the test files run in
// parallel on 2 busy cores that queue is long, so the high levels only catch gross errors
// (a timestamp taken at the end of the request, on the wrong clock, per request instead of per read).
const LEVELS: Array<[number, number, number]> = [
  [1, 8, 10],
  [16, 16, 50],
  [128, 128, 250],
  [512, 512, 1000],
];

describe('client timing vs the simulator ground truth', () => {
  const rows: string[] = [];

  it.each(LEVELS)(
    '%i concurrent streams: every request matched, TTFT never early, median errors bounded',
    async (streams, requests, bound) => {
      const e = await measure(streams, requests);
      const f = (v: number) => v.toFixed(3).padStart(9);
      rows.push(
        `${String(streams).padStart(7)} ${String(e.matched).padStart(7)} ${f(median(e.ttft))} ${f(p99(e.ttft))} ${f(median(e.itl))} ${f(p99(e.itl))}`,
      );
      expect(e.matched).toBe(requests);
      // the client cannot see a token before the server wrote it (cross-process clock agreement ~0.2 ms)
      expect(Math.min(...e.ttft)).toBeGreaterThan(-1);
      expect(median(e.ttft)).toBeLessThan(bound);
      expect(median(e.itl)).toBeLessThan(bound);
    },
  );

  it('prints the table', () => {
    process.stdout.write(
      `streams matched  TTFT err p50      p99  |ITL err| p50      p99 (ms)\n${rows.join('\n')}\n`,
    );
    expect(rows).toHaveLength(LEVELS.length);
  });
});
