// Runs a user's build command (`compare-commits --build '<cmd>'`) in a worktree, logging to a
// file, in its own process group with a time limit. Its exit status is the verdict: a failed
// build must stop everything (ferrum's script ignored it and benchmarked a stale binary, §10.2).

import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

export interface BuildResult {
  readonly ok: boolean;
  /** exit code, or null when killed by a signal (the time limit) */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly durationMs: number;
  readonly timedOut: boolean;
}

/**
 * Runs `command` through /bin/sh in `cwd`; stdout and stderr are appended to `logPath`. The time
 * limit and `signal` (Ctrl-C) kill the build's process group, and only it.
 */
export function runBuildCommand(
  command: string,
  cwd: string,
  logPath: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<BuildResult> {
  const started = performance.now();
  const fd = openSync(logPath, 'a');
  return new Promise((resolve) => {
    let timedOut = false;
    const child = spawn('/bin/sh', ['-c', command], { cwd, detached: true, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeoutMs);
    signal?.addEventListener('abort', killGroup, { once: true });
    const finish = (exitCode: number | null, killedBy: NodeJS.Signals | null) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', killGroup);
      resolve({
        ok: exitCode === 0 && !timedOut,
        exitCode,
        signal: killedBy,
        durationMs: performance.now() - started,
        timedOut,
      });
    };
    child.once('exit', finish);
    child.once('error', () => finish(null, null));
  });
}
