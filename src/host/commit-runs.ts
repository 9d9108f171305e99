// The measuring half of `goodput compare-commits` (SPEC §7.2): a detached worktree per revision,
// the build in each (a failed build stops everything, with its log), then repeats interleaved
// A B A B …, each one bench-serve run of ONE repeat by this very goodput (same client, seed and
// prompts for both sides) against that revision's server, started on a free port and stopped by
// its own process group. Servers either restart for every repeat (default: repeats independent,
// one GPU never holds two engines) or run side by side for the whole session (`concurrent`).

import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { GoodputError } from '../core/errors.js';
import type { BenchReport } from '../core/schema/bench-report.js';
import { readRunDir } from '../store/run-dir.js';
import { runBuildCommand } from './build-command.js';
import { addWorktree, removeWorktree, resolveCommit } from './git-worktree.js';
import {
  commandForPort,
  freePort,
  logTail,
  type ServerProcess,
  startServerProcess,
  waitForReady,
} from './server-process.js';

export type ServerMode = 'restart' | 'concurrent';

export interface CommitRunOptions {
  readonly repo: string;
  readonly revA: string;
  readonly revB: string;
  /** shell command with `{port}` */
  readonly serve: string;
  /** shell command run in each worktree before serving */
  readonly build?: string;
  readonly buildTimeoutMs: number;
  readonly readyTimeoutMs: number;
  /** repeats per side */
  readonly repeats: number;
  readonly serverMode: ServerMode;
  /**
   * repeat r of BOTH sides runs with seed + r − 1: identical prompts (and arrivals) on A and B,
   * different ones from repeat to repeat, as bench-serve's own repeats differ
   */
  readonly seed: number;
  /** extra bench-serve flags, the same for both sides */
  readonly benchArgs: readonly string[];
  /** logs and bench run directories go here */
  readonly outDir: string;
  /** the client's working directory: relative paths in benchArgs (datasets…) are the user's */
  readonly cwd: string;
  /** worktrees go here; removed at the end */
  readonly workDir: string;
  /** this goodput's bin/goodput.js: the client that measures both sides */
  readonly goodputBin: string;
  /** a progress line for stderr */
  readonly log: (line: string) => void;
  /** aborts the session (Ctrl-C): servers stop, worktrees go */
  readonly signal?: AbortSignal;
}

export interface CommitSideResult {
  readonly name: 'A' | 'B';
  readonly rev: string;
  readonly sha: string;
  /** one bench-serve run directory per repeat, in repeat order */
  readonly runDirs: string[];
  /** the cells of each repeat's run, in repeat order */
  readonly runs: BenchReport[][];
}

interface Side {
  readonly name: 'A' | 'B';
  readonly rev: string;
  readonly sha: string;
  readonly worktree: string;
  readonly runDirs: string[];
  readonly runs: BenchReport[][];
  server?: ServerProcess;
}

/** The order of the session: A B A B … (repeat r of A, then repeat r of B). */
function interleavedOrder(repeats: number): Array<{ side: 0 | 1; repeat: number }> {
  const order: Array<{ side: 0 | 1; repeat: number }> = [];
  for (let r = 1; r <= repeats; r++) order.push({ side: 0, repeat: r }, { side: 1, repeat: r });
  return order;
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true)
    throw new GoodputError(
      'INTERRUPTED',
      'compare-commits was interrupted; servers stopped, worktrees removed',
    );
}

async function build(side: Side, o: CommitRunOptions): Promise<void> {
  if (o.build === undefined) return;
  const logPath = join(o.outDir, `build-${side.name}.log`);
  o.log(`building ${side.name} (${side.rev} = ${side.sha.slice(0, 12)}): ${o.build}`);
  const result = await runBuildCommand(o.build, side.worktree, logPath, o.buildTimeoutMs, o.signal);
  checkAborted(o.signal);
  if (!result.ok) {
    const why = result.timedOut
      ? `timed out after ${Math.round(o.buildTimeoutMs / 1000)} s`
      : `exited with ${result.signal ?? `code ${result.exitCode}`}`;
    throw new GoodputError(
      'BUILD_FAILED',
      `the build of ${side.name} (${side.rev}, ${side.sha.slice(0, 12)}) ${why}; nothing was benchmarked. Last lines of ${logPath}:\n${logTail(logPath)}`,
      {
        hint: 'fix the build, or check the --build command by running it in a checkout of that revision',
      },
    );
  }
  o.log(`built ${side.name} in ${(result.durationMs / 1000).toFixed(1)} s`);
}

async function startServer(side: Side, o: CommitRunOptions, tag: string): Promise<ServerProcess> {
  const port = await freePort();
  const server = startServerProcess({
    command: commandForPort(o.serve, port),
    port,
    cwd: side.worktree,
    logPath: join(o.outDir, `serve-${side.name}${tag}.log`),
  });
  side.server = server;
  o.log(
    `server ${side.name} pid ${server.pid} on ${server.baseUrl}; waiting up to ${Math.round(o.readyTimeoutMs / 1000)} s (--ready-timeout) for it to answer (its log: ${server.logPath})`,
  );
  await waitForReady(server, o.readyTimeoutMs, o.signal);
  return server;
}

async function stopServer(side: Side): Promise<void> {
  const server = side.server;
  side.server = undefined;
  if (server !== undefined) await server.stop();
}

/** One bench-serve run of one repeat, by this goodput in a child process. */
function bench(side: Side, repeat: number, server: ServerProcess, o: CommitRunOptions): Promise<void> {
  const runDir = join(o.outDir, 'runs', `${side.name}-r${repeat}`);
  const logPath = join(o.outDir, `bench-${side.name}-r${repeat}.log`);
  const args = [
    o.goodputBin,
    'bench-serve',
    '--base-url',
    server.baseUrl,
    '--n-repeats',
    '1',
    '--seed',
    String(o.seed + repeat - 1),
    '--commit-sha',
    side.sha,
    '--out-dir',
    runDir,
    '--no-db',
    ...o.benchArgs,
  ];
  const fd = openSync(logPath, 'a');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: o.cwd, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    const onAbort = () => child.kill('SIGINT');
    o.signal?.addEventListener('abort', onAbort, { once: true });
    child.once('error', (e) =>
      reject(new GoodputError('RUN_FAILED', `cannot start the client: ${e.message}`)),
    );
    child.once('exit', (code, signal) => {
      o.signal?.removeEventListener('abort', onAbort);
      if (o.signal?.aborted === true) {
        reject(
          new GoodputError(
            'INTERRUPTED',
            `compare-commits was interrupted during ${side.name} repeat ${repeat}; servers stopped, worktrees removed`,
          ),
        );
      } else if (code === 0) {
        side.runDirs.push(runDir);
        side.runs.push(readRunDir(runDir).cells);
        resolve();
      } else {
        reject(
          new GoodputError(
            'RUN_FAILED',
            `bench-serve for ${side.name} repeat ${repeat} failed (${signal ?? `exit ${code}`}). Last lines of ${logPath}:\n${logTail(logPath)}`,
            {
              hint: 'the server log of that side is beside it in the output directory',
            },
          ),
        );
      }
    });
  });
}

/** Runs the whole session; always stops its servers and removes its worktrees, even on failure. */
export async function runCommitSession(o: CommitRunOptions): Promise<[CommitSideResult, CommitSideResult]> {
  if (!Number.isInteger(o.repeats) || o.repeats < 1)
    throw new GoodputError('USAGE', `--repeats must be a whole number ≥ 1, got ${o.repeats}`);
  commandForPort(o.serve, 0);
  mkdirSync(o.outDir, { recursive: true });
  const shaA = await resolveCommit(o.repo, o.revA);
  const shaB = await resolveCommit(o.repo, o.revB);
  const sides: Side[] = [];
  try {
    for (const [name, rev, sha] of [
      ['A', o.revA, shaA],
      ['B', o.revB, shaB],
    ] as const) {
      const worktree = join(o.workDir, `wt-${name}-${sha.slice(0, 12)}`);
      await addWorktree(o.repo, sha, worktree);
      sides.push({ name, rev, sha, worktree, runDirs: [], runs: [] });
      o.log(`worktree ${name}: ${rev} (${sha.slice(0, 12)}) at ${worktree}`);
    }
    for (const side of sides) {
      checkAborted(o.signal);
      await build(side, o);
    }
    if (o.serverMode === 'concurrent') {
      for (const side of sides) await startServer(side, o, '');
    }
    for (const step of interleavedOrder(o.repeats)) {
      checkAborted(o.signal);
      const side = sides[step.side]!;
      const server =
        o.serverMode === 'concurrent' ? side.server! : await startServer(side, o, `-r${step.repeat}`);
      o.log(`repeat ${step.repeat}/${o.repeats} of ${side.name} (${side.rev})`);
      try {
        await bench(side, step.repeat, server, o);
      } finally {
        if (o.serverMode === 'restart') await stopServer(side);
      }
    }
    checkAborted(o.signal);
    const result = (s: Side): CommitSideResult => ({
      name: s.name,
      rev: s.rev,
      sha: s.sha,
      runDirs: s.runDirs,
      runs: s.runs,
    });
    return [result(sides[0]!), result(sides[1]!)];
  } finally {
    for (const side of sides) await stopServer(side);
    for (const side of sides) await removeWorktree(o.repo, side.worktree).catch(() => undefined);
  }
}
