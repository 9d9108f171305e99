// Git operations of compare-commits: resolve a revision to its full sha, add a detached worktree
// per revision (a fresh directory every time, never a reused one that could hold a stale build),
// and remove it again. git runs without a shell.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { GoodputError } from '../core/errors.js';

const run = promisify(execFile);

async function git(repo: string, args: readonly string[]): Promise<string> {
  const { stdout } = await run('git', ['-C', repo, ...args], { maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

function stderrOf(e: unknown): string {
  const err = e as { stderr?: string; message?: string };
  return (err.stderr ?? err.message ?? String(e)).trim();
}

/** The top directory of the git repository containing `dir`; USAGE when there is none. */
export async function repoRoot(dir: string): Promise<string> {
  try {
    return await git(dir, ['rev-parse', '--show-toplevel']);
  } catch (e) {
    throw new GoodputError('USAGE', `${dir} is not inside a git repository: ${stderrOf(e)}`, {
      hint: 'run compare-commits inside the repository, or pass --repo DIR',
    });
  }
}

/** The full sha of `rev` (a branch, tag, sha or expression like HEAD~1); USAGE naming it when unknown. */
export async function resolveCommit(repo: string, rev: string): Promise<string> {
  try {
    return await git(repo, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  } catch {
    throw new GoodputError('USAGE', `"${rev}" is not a commit of ${repo}`, {
      hint: 'use a branch, tag or sha that `git rev-parse` knows',
    });
  }
}

/** Adds a detached worktree of `sha` at `dir` (which must not exist yet). */
export async function addWorktree(repo: string, sha: string, dir: string): Promise<void> {
  try {
    await git(repo, ['worktree', 'add', '--detach', '--force', dir, sha]);
  } catch (e) {
    throw new GoodputError('IO', `cannot create a worktree of ${sha} at ${dir}: ${stderrOf(e)}`);
  }
}

/** Removes a worktree added by addWorktree (with any build output in it) and prunes git's record of it. */
export async function removeWorktree(repo: string, dir: string): Promise<void> {
  try {
    await git(repo, ['worktree', 'remove', '--force', '--force', dir]);
  } finally {
    await git(repo, ['worktree', 'prune']).catch(() => undefined);
  }
}
