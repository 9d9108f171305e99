// startSimulator(options): runs the simulated OpenAI-compatible server in this process on a
// node:http listener (127.0.0.1 and a free port by default) and returns its URL, the resolved
// profile, the in-memory ground truth when asked for, and close().

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { GoodputError } from '../core/errors.js';
import { deriveStream } from '../core/random/streams.js';
import type { SimProfile } from '../core/sim/profile.js';
import { BatchScheduler, type SchedulerGauges } from '../core/sim/scheduler.js';
import { BufferPool } from './buffer-pool.js';
import { handleRequest } from './routes.js';
import type { SimContext, SimCounters } from './sim-context.js';
import { resolveSimulatorConfig, type SimulatorConfig, type SimulatorOptions } from './sim-options.js';
import { StepLoop } from './step-loop.js';
import { type TruthRecord, TruthSink } from './truth-log.js';

export interface SimulatorHandle {
  /** base URL, e.g. http://127.0.0.1:41234 (no trailing slash) */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly config: SimulatorConfig;
  readonly profile: SimProfile;
  /** ground truth so far, present when options.recordTruth is true */
  readonly truth: { records(): readonly TruthRecord[] } | undefined;
  /** scheduler gauges and counters (what /metrics shows) */
  gauges(): SchedulerGauges;
  readonly counters: Readonly<SimCounters>;
  /** stops accepting, drops open connections, stops the step loop and flushes the truth log */
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const config = resolveSimulatorConfig(options);
  const { defaultTokenizer } = await import('../tokenizer/default.js');
  const truthSink =
    config.recordTruth || config.truthLogPath !== undefined
      ? new TruthSink(config.recordTruth, config.truthLogPath)
      : undefined;
  await truthSink?.ready();

  const scheduler = new BatchScheduler(
    config.profile,
    deriveStream({ seed: config.seed, purpose: 'sim-jitter' }),
  );
  const live: SimContext['live'] = new Map();
  const now = () => performance.now();
  const origin = performance.timeOrigin;
  const loop = new StepLoop(
    scheduler,
    now,
    {
      planned(step) {
        for (const a of step.admitted) live.get(a.id)?.admitted(a.cachedTokens, step.startMs);
      },
      completed(step) {
        const dueMs = step.startMs + step.durationMs;
        for (const e of step.emits) live.get(e.id)?.token(e.tokenIndex, e.finished, dueMs);
      },
    },
    config.profile.burstSteps,
  );
  const counters: SimCounters = {
    requests: 0,
    finished: { stop: 0, length: 0 },
    aborted: 0,
    rejected: 0,
    faults: new Map(),
  };
  const ctx: SimContext = {
    config,
    scheduler,
    loop,
    tokenizer: defaultTokenizer(),
    truth: truthSink,
    live,
    counters,
    buffers: new BufferPool(),
    now,
    epochMs: (t) => origin + t,
    createdS: () => Math.floor(Date.now() / 1000),
  };

  const server: Server = createServer({ keepAliveTimeout: 65_000 }, (req, res) =>
    handleRequest(ctx, req, res),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      reject(
        new GoodputError('USAGE', `cannot listen on ${config.host}:${config.port}: ${e.code ?? e.message}`, {
          hint:
            e.code === 'EADDRINUSE'
              ? 'choose another --port, or --port 0 for a free one'
              : 'check --host and --port',
        }),
      );
    });
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostForUrl}:${address.port}`,
    host: address.address,
    port: address.port,
    config,
    profile: config.profile,
    truth: config.recordTruth && truthSink ? { records: () => truthSink.records() } : undefined,
    gauges: () => scheduler.gauges(),
    counters,
    close() {
      closing ??= (async () => {
        loop.stop();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await truthSink?.close();
      })();
      return closing;
    },
  };
}
