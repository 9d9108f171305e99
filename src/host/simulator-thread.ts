// The simulator on a worker thread of this process (host/simulator-thread-entry.ts): a loopback
// URL, the ground-truth records written since the last call, and stop(). `goodput calibrate`
// measures the client against it. The entry is loaded from dist/ (as spawnSimulator's child is),
// so it works the same whether this module runs from src/ (tests) or from the installed package.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { GoodputError } from '../core/errors.js';
import type { SimulatorOptions } from '../server/sim-options.js';
import type { TruthRecord } from '../server/truth-log.js';
import type { SimThreadRequest } from './simulator-thread-entry.js';

export interface SimulatorThread {
  readonly url: string;
  /** truth records completed since the previous call (epoch-ms timestamps) */
  takeTruth(): Promise<TruthRecord[]>;
  /** closes the server and ends the thread */
  stop(): Promise<void>;
}

type Reply =
  | { readonly type: 'ready'; readonly url: string }
  | { readonly type: 'truth'; readonly records: TruthRecord[] }
  | { readonly type: 'stopped' };

/** dist/host/simulator-thread-entry.js, from src/ or dist/ alike. */
function simulatorThreadEntry(): string {
  return fileURLToPath(new URL('../../dist/host/simulator-thread-entry.js', import.meta.url));
}

export async function startSimulatorThread(
  options: Omit<SimulatorOptions, 'recordTruth' | 'truthLogPath'>,
): Promise<SimulatorThread> {
  const entry = simulatorThreadEntry();
  if (!existsSync(entry)) {
    throw new GoodputError('INTERNAL', `the simulator thread entry ${entry} does not exist`, {
      hint: 'run `npm run build` first',
    });
  }
  const worker = new Worker(entry, { workerData: options });
  let failure: Error | undefined;
  const waiting: Array<{ type: Reply['type']; resolve: (r: Reply) => void; reject: (e: Error) => void }> = [];
  const fail = (e: Error) => {
    failure = e;
    for (const w of waiting.splice(0)) w.reject(e);
  };
  worker.on('error', (e) =>
    fail(new GoodputError('INTERNAL', `the simulator thread failed: ${e.message}`, { cause: e })),
  );
  worker.on('exit', (code) =>
    fail(new GoodputError('INTERNAL', `the simulator thread exited (code ${code})`)),
  );
  worker.on('message', (reply: Reply) => {
    const i = waiting.findIndex((w) => w.type === reply.type);
    if (i >= 0) waiting.splice(i, 1)[0]?.resolve(reply);
  });
  const next = <T extends Reply['type']>(type: T): Promise<Extract<Reply, { type: T }>> =>
    new Promise((resolve, reject) => {
      if (failure !== undefined) return reject(failure);
      waiting.push({ type, resolve: resolve as (r: Reply) => void, reject });
    });
  const ready = await next('ready');
  let stopped: Promise<void> | undefined;
  return {
    url: ready.url,
    async takeTruth() {
      const reply = next('truth');
      worker.postMessage({ type: 'truth' } satisfies SimThreadRequest);
      return (await reply).records;
    },
    stop() {
      stopped ??= (async () => {
        if (failure !== undefined) return;
        const reply = next('stopped').catch(() => undefined);
        worker.postMessage({ type: 'stop' } satisfies SimThreadRequest);
        await reply;
        await worker.terminate();
      })();
      return stopped;
    },
  };
}
