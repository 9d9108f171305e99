// Figure 3 probe: open-loop dispatch lag (actual − scheduled send, ms) at a given request rate, for
// goodput's open loop (request executor, records streamed to disk, lag read from the records'
// send_ms − scheduled_ms) or, as the reference, a minimal node:http sender with the same waiting
// technique (a timer to ~1.5 ms before the deadline, then setImmediate turns). Both follow the
// same seeded Poisson schedule against a zero-delay simulator in another process.
// Run: npx tsx bench/dispatch-lag.ts --side goodput|raw --url URL [--rate 1000] [--duration-ms 2000] [--max-tokens 8]

import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runOpenLoop } from '../dist/client/open-loop.js';
import { RunControl } from '../dist/client/run-control.js';
import { buildSchedule } from '../dist/core/schedule/build-schedule.js';
import { percentileSorted } from '../dist/core/stats/percentile.js';
import { RunDirectory } from '../dist/output/run-directory.js';
import { probeArg, simulatorClient } from './probe-setup.js';

export interface DispatchLagResult {
  readonly side: 'goodput' | 'raw';
  readonly rateRps: number;
  readonly sent: number;
  /** requests that did not complete cleanly (the lag is measured whatever the outcome) */
  readonly errors: number;
  readonly lagP50Ms: number;
  readonly lagP99Ms: number;
  readonly lagMaxMs: number;
}

function summary(
  side: 'goodput' | 'raw',
  rateRps: number,
  lags: number[],
  errors: number,
): DispatchLagResult {
  lags.sort((a, b) => a - b);
  return {
    side,
    rateRps,
    sent: lags.length,
    errors,
    lagP50Ms: percentileSorted(lags, 0.5),
    lagP99Ms: percentileSorted(lags, 0.99),
    lagMaxMs: lags[lags.length - 1] ?? Number.NaN,
  };
}

async function goodputSide(
  url: string,
  offsets: readonly number[],
  maxTokens: number,
  warm: number,
): Promise<[number[], number]> {
  const client = simulatorClient(url, null);
  const dir = mkdtempSync(join(tmpdir(), 'goodput-lag-'));
  const records = RunDirectory.create(dir);
  await client.warm(warm, '/health');
  const lags: number[] = [];
  let errors = 0;
  try {
    await runOpenLoop(
      client,
      { offsetsMs: offsets, originMs: performance.now() + 20 },
      (i, scheduledMs) => ({
        plan: {
          id: `0.1.${i}`,
          cell: 'lag',
          repeat: 1,
          index: i,
          warmup: false,
          inputTokens: 7,
          maxTokens,
          ...(scheduledMs === undefined ? {} : { scheduledMs }),
        },
        prompt: 'Count the events of this stream.',
      }),
      (r) => {
        records.appendRequest(r);
        if (r.flags.length > 0) errors++;
        lags.push(r.send_ms - (r.scheduled_ms as number));
      },
      new RunControl(),
    );
  } finally {
    records.close();
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return [lags, errors];
}

async function rawSide(
  url: string,
  offsets: readonly number[],
  maxTokens: number,
  warm: number,
): Promise<[number[], number]> {
  const agent = new Agent({ keepAlive: true });
  const target = new URL('/v1/chat/completions', url);
  const body = JSON.stringify({
    model: 'goodput-sim',
    messages: [{ role: 'user', content: 'Count the events of this stream.' }],
    max_tokens: maxTokens,
    ignore_eos: true,
    stream: true,
    stream_options: { include_usage: true },
  });
  await Promise.all(
    Array.from(
      { length: warm },
      () =>
        new Promise<void>((r) =>
          request(new URL('/health', url), { agent }, (res) => res.resume().on('end', () => r())).end(),
        ),
    ),
  );
  const lags: number[] = [];
  let errors = 0;
  let open = 0;
  let allSent = false;
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => {
    done = r;
  });
  const settle = () => {
    open--;
    if (allSent && open === 0) done();
  };
  const origin = performance.now() + 20;
  for (const offset of offsets) {
    const due = origin + offset;
    const early = due - performance.now() - 1.5;
    if (early >= 1) await new Promise((r) => setTimeout(r, early));
    while (performance.now() < due) await new Promise<void>((r) => setImmediate(r));
    lags.push(performance.now() - due);
    open++;
    const req = request(
      target,
      { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', settle);
        res.on('error', () => {
          errors++;
          settle();
        });
      },
    );
    req.on('error', () => {
      errors++;
      settle();
    });
    req.end(body);
  }
  allSent = true;
  if (open > 0) await finished;
  agent.destroy();
  return [lags, errors];
}

/** One side at `rateRps` for `durationMs` of seeded Poisson arrivals. */
export async function measureDispatchLag(
  side: 'goodput' | 'raw',
  url: string,
  rateRps: number,
  durationMs: number,
  maxTokens: number,
): Promise<DispatchLagResult> {
  const offsets = buildSchedule(
    { kind: 'poisson', rateRps },
    { seed: 7, cell: 'dispatch-lag' },
    { durationMs },
  ).offsets_ms;
  const warm = Math.max(1, Math.min(64, Math.ceil(rateRps / 10)));
  const run = side === 'goodput' ? goodputSide : rawSide;
  // an unreported pass of ~200 ms at the same rate warms the JIT
  await run(
    url,
    offsets.filter((o) => o < 200),
    maxTokens,
    warm,
  );
  const [lags, errors] = await run(url, offsets, maxTokens, warm);
  return summary(side, rateRps, lags, errors);
}

if (process.argv[1]?.endsWith('dispatch-lag.ts')) {
  const side = probeArg('--side', 'goodput') === 'raw' ? 'raw' : 'goodput';
  const result = await measureDispatchLag(
    side,
    probeArg('--url', 'http://127.0.0.1:8000'),
    Number(probeArg('--rate', '1000')),
    Number(probeArg('--duration-ms', '2000')),
    Number(probeArg('--max-tokens', '8')),
  );
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
