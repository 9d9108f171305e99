// Figure 2 probe: timing fidelity against the simulator's ground truth (SPEC §10). K concurrent
// streams, each prompt of a distinct length so client requests and truth records pair up exactly;
// per request the TTFT error (first-event arrival − the server's write of the first token, both on
// the epoch clock) and per gap the ITL error |client gap − server gap|. Side `goodput` is the
// bench-serve client (request executor, records streamed to disk); side `raw` a minimal node:http
// reader that timestamps each read. One side per process; bench/run.ts alternates.
// Run: npx tsx bench/client-fidelity.ts --side goodput|raw [--streams 128] [--tokens 64] [--step-ms 10]

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runOpenLoop } from '../dist/client/open-loop.js';
import { RunControl } from '../dist/client/run-control.js';
import { percentileSorted } from '../dist/core/stats/percentile.js';
import { RunDirectory } from '../dist/output/run-directory.js';
import { spawnSimulator } from '../dist/server/spawn-simulator.js';
import type { TruthRecord } from '../dist/server/truth-log.js';
import { probeArg, simulatorClient } from './probe-setup.js';

/** What a reader saw of one request: its prompt's rank (1..K) and the epoch arrival time of every output event. */
export interface Observation {
  readonly rank: number;
  readonly eventEpochMs: number[];
}

export interface ErrorSummary {
  readonly side: string;
  /** requests observed (every wave) */
  readonly requests: number;
  /** requests paired with a truth record with the same number of events */
  readonly matched: number;
  /** client first-event arrival − server first-token write, ms (signed) */
  readonly ttftP50: number;
  readonly ttftP99: number;
  /** |client gap − server gap|, ms */
  readonly itlAbsP50: number;
  readonly itlAbsP99: number;
}

/** A prompt of exactly `n` o200k tokens ("x x x …"); distinct n give distinct server prompt lengths. */
export function rankedPrompt(n: number): string {
  return `x${' x'.repeat(n - 1)}`;
}

/** Pairs observations with truth records by prompt length rank and summarises the errors. */
export function compareWithTruth(
  side: string,
  observations: readonly Observation[],
  truth: readonly TruthRecord[],
): ErrorSummary {
  const byLength = truth
    .filter((t) => t.token_epoch_ms.length > 0)
    .sort((a, b) => (a.prompt_tokens ?? 0) - (b.prompt_tokens ?? 0));
  const ttft: number[] = [];
  const itl: number[] = [];
  for (const o of observations) {
    const t = byLength[o.rank - 1];
    if (t === undefined || t.token_epoch_ms.length !== o.eventEpochMs.length || o.eventEpochMs.length === 0)
      continue;
    ttft.push((o.eventEpochMs[0] as number) - (t.token_epoch_ms[0] as number));
    for (let i = 1; i < o.eventEpochMs.length; i++) {
      const client = (o.eventEpochMs[i] as number) - (o.eventEpochMs[i - 1] as number);
      const server = (t.token_epoch_ms[i] as number) - (t.token_epoch_ms[i - 1] as number);
      itl.push(Math.abs(client - server));
    }
  }
  ttft.sort((a, b) => a - b);
  itl.sort((a, b) => a - b);
  return {
    side,
    requests: observations.length,
    matched: ttft.length,
    ttftP50: percentileSorted(ttft, 0.5),
    ttftP99: percentileSorted(ttft, 0.99),
    itlAbsP50: percentileSorted(itl, 0.5),
    itlAbsP99: percentileSorted(itl, 0.99),
  };
}

/**
 * Sends prompt ranks firstRank … firstRank + K − 1, request i at i × spreadMs / K from the start:
 * both readers open their streams on this same schedule, so the server batches them alike (a
 * reader that fires its K requests faster would otherwise get its first tokens more bunched).
 */
type Reader = (
  url: string,
  firstRank: number,
  streams: number,
  tokens: number,
  spreadMs: number,
) => Promise<Observation[]>;

/** Send offsets (ms) of K requests spread evenly over spreadMs. */
const spreadOffsets = (streams: number, spreadMs: number) =>
  Array.from({ length: streams }, (_, i) => (i * spreadMs) / streams);

/** goodput's client: one GenerationClient, K warm connections, one request per worker, records to disk. */
export const goodputReader: Reader = async (url, firstRank, streams, tokens, spreadMs) => {
  const client = simulatorClient(url, streams);
  const dir = mkdtempSync(join(tmpdir(), 'goodput-fidelity-out-'));
  const records = RunDirectory.create(dir);
  await client.warm(streams, '/health');
  const out: Observation[] = [];
  const origin = performance.timeOrigin;
  try {
    await runOpenLoop(
      client,
      { offsetsMs: spreadOffsets(streams, spreadMs), originMs: performance.now() + 5 },
      (i, scheduledMs) => ({
        plan: {
          id: `0.1.${i}`,
          cell: 'fidelity',
          repeat: 1,
          index: i,
          warmup: false,
          inputTokens: firstRank + i,
          maxTokens: tokens,
          ...(scheduledMs === undefined ? {} : { scheduledMs }),
        },
        prompt: rankedPrompt(firstRank + i),
      }),
      (r) => {
        records.appendRequest(r);
        out.push({ rank: firstRank + r.index, eventEpochMs: r.event_ms.map((t) => origin + t) });
      },
      new RunControl(),
    );
  } finally {
    records.close();
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
};

/** A minimal node:http reader: timestamps each read and attributes it to the content events it holds. */
export const rawReader: Reader = async (url, firstRank, streams, tokens, spreadMs) => {
  const agent = new Agent({ keepAlive: true, maxSockets: streams });
  const target = new URL('/v1/chat/completions', url);
  const content = Buffer.from('"content":"');
  const one = (rank: number) =>
    new Promise<Observation>((resolve) => {
      const body = JSON.stringify({
        model: 'goodput-sim',
        messages: [{ role: 'user', content: rankedPrompt(rank) }],
        max_tokens: tokens,
        ignore_eos: true,
        stream: true,
        stream_options: { include_usage: true },
      });
      const events: number[] = [];
      const req = request(
        target,
        { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
        (res) => {
          res.on('data', (chunk: Buffer) => {
            const t = performance.timeOrigin + performance.now();
            // a non-empty content delta: `"content":"` not followed by `"`
            for (let at = chunk.indexOf(content); at >= 0; at = chunk.indexOf(content, at + 1)) {
              if (chunk[at + content.length] !== 0x22) events.push(t);
            }
          });
          res.on('end', () => resolve({ rank, eventEpochMs: events }));
        },
      );
      req.on('error', () => resolve({ rank, eventEpochMs: [] }));
      req.end(body);
    });
  // open the connections first, as goodput's client does
  await Promise.all(
    Array.from(
      { length: streams },
      () =>
        new Promise<void>((r) =>
          request(new URL('/health', url), { agent }, (res) => res.resume().on('end', () => r())).end(),
        ),
    ),
  );
  // the same waiting primitive as goodput's open loop: a timer, then setImmediate turns
  const wait = new RunControl();
  const origin = performance.now() + 5;
  const pending: Promise<Observation>[] = [];
  for (const [i, offset] of spreadOffsets(streams, spreadMs).entries()) {
    await wait.sleepUntil(origin + offset);
    pending.push(one(firstRank + i));
  }
  const out = await Promise.all(pending);
  agent.destroy();
  return out;
};

/**
 * The unmeasured warm-up wave before the measured one: enough events (64 streams × 64 tokens) for
 * the JIT to optimise each reader's per-read path, so the figure is the steady state of both.
 */
const WARMUP_STREAMS = 64;
const WARMUP_TOKENS = 64;
/** Measured waves per process, pooled: one wave's tail is too much at the mercy of one hiccup. */
const WAVES = 3;
/**
 * ...and at least this many requests: a p99 of 48 TTFT samples (3 waves of 16) is about the largest
 * one, and it moved the 16-stream ratio between 0.4 and 1.6 from run to run.
 */
const MIN_REQUESTS = 256;
/** A wave's K requests are sent evenly over this many decode steps. */
const SPREAD_STEPS = 4;

/**
 * One measurement: a fresh simulator child with a truth log, one reader, a warm-up wave, then
 * max(WAVES, MIN_REQUESTS / K) waves of K = `streams` concurrent requests (wave w sends prompt
 * ranks wK+1 … (w+1)K; the warm-up's ranks lie above them all, so ranks and truth records pair up
 * by prompt length).
 */
export async function measureFidelity(
  side: 'goodput' | 'raw',
  streams: number,
  tokens: number,
  stepMs: number,
): Promise<ErrorSummary> {
  const dir = mkdtempSync(join(tmpdir(), 'goodput-fidelity-'));
  const truthLogPath = join(dir, 'truth.jsonl');
  // one token per step and per write (burstSteps 1), no jitter: the truth is the write time of each event
  const sim = await spawnSimulator({
    preset: 'instant',
    profile: {
      stepBaseMs: stepMs,
      maxRunningSeqs: Math.max(streams, WARMUP_STREAMS),
      jitterFraction: 0,
      burstSteps: 1,
    },
    truthLogPath,
  });
  try {
    const reader = side === 'goodput' ? goodputReader : rawReader;
    const spreadMs = SPREAD_STEPS * stepMs;
    const waves = Math.max(WAVES, Math.ceil(MIN_REQUESTS / streams));
    await reader(sim.url, waves * streams + 1, WARMUP_STREAMS, WARMUP_TOKENS, spreadMs);
    const observations: Observation[] = [];
    for (let wave = 0; wave < waves; wave++) {
      observations.push(...(await reader(sim.url, wave * streams + 1, streams, tokens, spreadMs)));
    }
    await sim.stop();
    const truth = readFileSync(truthLogPath, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as TruthRecord);
    return compareWithTruth(side, observations, truth);
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('client-fidelity.ts')) {
  const side = probeArg('--side', 'goodput') === 'raw' ? 'raw' : 'goodput';
  const summary = await measureFidelity(
    side,
    Number(probeArg('--streams', '128')),
    Number(probeArg('--tokens', '64')),
    Number(probeArg('--step-ms', '10')),
  );
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}
