// spawnSimulator(options): runs the simulator in a child process (dist/server/sim-child.js), waits
// for its "listening on" line to learn the port, and returns stop(), which signals only that
// child's pid (SIGTERM, then SIGKILL after a bounded wait). The child also exits when this
// process goes away (its stdin pipe closes), so no simulator outlives the process that started it.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GoodputError } from '../core/errors.js';
import type { SimulatorOptions } from './sim-options.js';

/** The line a simulator prints on stdout once it accepts connections. */
export const LISTENING_PREFIX = 'goodput sim listening on ';

export function listeningLine(url: string): string {
  return `${LISTENING_PREFIX}${url}\n`;
}

export type SpawnSimulatorOptions = Omit<SimulatorOptions, 'recordTruth'> & {
  /** how long to wait for the child to listen, ms (default 15 000) */
  readyTimeoutMs?: number;
};

export interface SpawnedSimulator {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** stops the child (SIGTERM to its pid, SIGKILL after 5 s); resolves once it has exited */
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 5_000;

/** Location of the child entry: dist/ relative to this module's folder, from src/ or dist/ alike. */
export function simChildEntry(): string {
  return fileURLToPath(new URL('../../dist/server/sim-child.js', import.meta.url));
}

export async function spawnSimulator(options: SpawnSimulatorOptions = {}): Promise<SpawnedSimulator> {
  const entry = simChildEntry();
  if (!existsSync(entry)) {
    throw new GoodputError('INTERNAL', `the simulator entry ${entry} does not exist`, {
      hint: 'run `npm run build` first',
    });
  }
  const { readyTimeoutMs = 15_000, ...simOptions } = options;
  const child = spawn(process.execPath, [entry, JSON.stringify(simOptions)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const url = await waitForListening(child, readyTimeoutMs);
  child.stdout?.resume();
  child.stderr?.resume();
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    url,
    port: Number(new URL(url).port),
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

function waitForListening(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const fail = (message: string) => {
      cleanup();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      const detail = err.trim() === '' ? '' : `: ${err.trim().split('\n').slice(-3).join(' / ')}`;
      reject(
        new GoodputError('SERVER_UNREACHABLE', `${message}${detail}`, {
          hint: 'run `goodput sim` by hand to see why',
        }),
      );
    };
    const onOut = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n').find((l) => l.startsWith(LISTENING_PREFIX));
      if (line) {
        cleanup();
        resolve(line.slice(LISTENING_PREFIX.length).trim());
      }
    };
    const onErr = (chunk: Buffer) => {
      err += chunk.toString('utf8');
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(`the simulator child exited before listening (${signal ?? `exit code ${code}`})`);
    const timer = setTimeout(
      () => fail(`the simulator child did not listen within ${timeoutMs} ms`),
      timeoutMs,
    );
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onOut);
      child.stderr?.off('data', onErr);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onOut);
    child.stderr?.on('data', onErr);
    child.once('exit', onExit);
    child.once('error', (e) => fail(`cannot start the simulator child: ${e.message}`));
  });
}
