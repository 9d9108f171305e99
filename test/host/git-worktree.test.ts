import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runBuildCommand } from '../../src/host/build-command.js';
import { addWorktree, removeWorktree, repoRoot, resolveCommit } from '../../src/host/git-worktree.js';

let dir: string;
let repo: string;
const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();

beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'goodput-git-')));
  repo = join(dir, 'repo');
  execFileSync('git', ['init', '-q', repo]);
  git('config', 'user.email', 't@example.com');
  git('config', 'user.name', 'test');
  writeFileSync(join(repo, 'version.txt'), 'one\n');
  git('add', '.');
  git('commit', '-q', '-m', 'one');
  writeFileSync(join(repo, 'version.txt'), 'two\n');
  git('commit', '-q', '-am', 'two');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('git worktrees', () => {
  it('resolves revisions to full shas and refuses unknown ones', async () => {
    expect(await resolveCommit(repo, 'HEAD~1')).toBe(git('rev-parse', 'HEAD~1'));
    expect(await resolveCommit(repo, 'HEAD')).toMatch(/^[0-9a-f]{40}$/);
    await expect(resolveCommit(repo, 'no-such-branch')).rejects.toThrow(/"no-such-branch" is not a commit/);
    expect(await repoRoot(join(repo))).toBe(repo);
    await expect(repoRoot(dir)).rejects.toThrow(/not inside a git repository/);
  });

  it('adds a detached worktree of the exact revision and removes it again', async () => {
    const sha = await resolveCommit(repo, 'HEAD~1');
    const wt = join(dir, 'wt-a');
    await addWorktree(repo, sha, wt);
    expect(readFileSync(join(wt, 'version.txt'), 'utf8')).toBe('one\n');
    expect(execFileSync('git', ['-C', wt, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim()).toBe(sha);
    writeFileSync(join(wt, 'build-output.bin'), 'x');
    await removeWorktree(repo, wt);
    expect(existsSync(wt)).toBe(false);
    expect(git('worktree', 'list')).not.toContain('wt-a');
  });
});

describe('runBuildCommand', () => {
  it('reports success and logs the output', async () => {
    const log = join(dir, 'build.log');
    const r = await runBuildCommand('echo compiling; cat version.txt', repo, log, 10_000);
    expect(r).toMatchObject({ ok: true, exitCode: 0, timedOut: false });
    expect(readFileSync(log, 'utf8')).toBe('compiling\ntwo\n');
  });

  it('a failing build is not ok, whatever it printed', async () => {
    const r = await runBuildCommand(
      'echo "Finished"; echo "error[E0308]: mismatched types" >&2; exit 101',
      repo,
      join(dir, 'b.log'),
      10_000,
    );
    expect(r).toMatchObject({ ok: false, exitCode: 101 });
  });

  it('a build over its time limit is killed with its process group', async () => {
    const started = Date.now();
    const r = await runBuildCommand('sleep 30 & sleep 30', repo, join(dir, 't.log'), 300);
    expect(r).toMatchObject({ ok: false, timedOut: true });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
