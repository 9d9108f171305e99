// Starts a user's server command (`--serve '<cmd with {port}>'`) on a free loopback port, waits
// until it answers /health or /v1/models, and stops it by ITS OWN process group only (SIGTERM,
// then SIGKILL after a grace period) — never by name, unlike ferrum's `pkill -f` (ferrum §10.2).
// The command goes to a shell only because the user wrote a shell command.

import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { probeServer, type ServerProbe } from '../client/readiness.js';
import { parseBaseUrl } from '../client/target.js';
import { GoodputError } from '../core/errors.js';

/** A free TCP port on 127.0.0.1 (bound then released; the OS hands it out again only later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Replaces every `{port}` of a command template; throws USAGE when the template has none. */
export function commandForPort(template: string, port: number, flag = '--serve'): string {
  if (!template.includes('{port}')) {
    throw new GoodputError(
      'USAGE',
      `${flag} must contain {port}, where goodput puts the free port it picked`,
      {
        hint: `e.g. ${flag} 'vllm serve MODEL --port {port}'`,
      },
    );
  }
  return template.replaceAll('{port}', String(port));
}

/** The last `lines` lines of a log file ('' when it cannot be read). */
export function logTail(path: string, lines = 20): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export interface StartOptions {
  /** the shell command, `{port}` already replaced */
  readonly command: string;
  readonly port: number;
  readonly cwd: string;
  /** stdout and stderr go here (appended) */
  readonly logPath: string;
  readonly env?: NodeJS.ProcessEnv;
}

export interface ServerProcess {
  readonly pid: number;
  readonly port: number;
  readonly baseUrl: string;
  readonly logPath: string;
  /** true once the process has exited */
  exited(): boolean;
  /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves when the shell has exited */
  stop(graceMs?: number): Promise<void>;
}

const DEFAULT_GRACE_MS = 5_000;

/** Sends a signal to the process group led by `pid`; false when it no longer exists. */
function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Starts the command in its own process group (detached), logging to `logPath`. */
export function startServerProcess(options: StartOptions): ServerProcess {
  const fd = openSync(options.logPath, 'a');
  let child: ChildProcess;
  try {
    child = spawn('/bin/sh', ['-c', options.command], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  const pid = child.pid;
  if (pid === undefined) {
    throw new GoodputError('SERVER_UNREACHABLE', `cannot start the server command: ${options.command}`);
  }
  let done = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      done = true;
      resolve();
    });
    child.once('error', () => {
      done = true;
      resolve();
    });
  });
  return {
    pid,
    port: options.port,
    baseUrl: `http://127.0.0.1:${options.port}`,
    logPath: options.logPath,
    exited: () => done,
    async stop(graceMs = DEFAULT_GRACE_MS) {
      // The group may outlive the shell (a server that ignores the shell's exit), so signal it
      // even when the shell itself is gone; the group id is this shell's pid, nobody else's.
      signalGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
      signalGroup(pid, 'SIGKILL');
    },
  };
}

/**
 * Waits until the server answers /health or /v1/models (the client's readiness probe). Fails
 * early, with the log tail, when the process exits first; SERVER_UNREACHABLE after `timeoutMs`;
 * INTERRUPTED soon after `signal` aborts.
 */
export async function waitForReady(
  server: ServerProcess,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ServerProbe> {
  const gone = new AbortController();
  const poll = setInterval(() => {
    if (server.exited() || signal?.aborted === true) gone.abort();
  }, 50);
  try {
    return await probeServer(parseBaseUrl(server.baseUrl), {
      timeoutMs,
      headers: {},
      retryMs: 100,
      signal: gone.signal,
    });
  } catch (e) {
    if (server.exited()) {
      throw new GoodputError(
        'SERVER_UNREACHABLE',
        `the server command exited before it was ready (log ${server.logPath}):\n${logTail(server.logPath)}`,
        {
          hint: 'run the --serve command by hand to see why it stops',
          cause: e,
        },
      );
    }
    throw e;
  } finally {
    clearInterval(poll);
  }
}
