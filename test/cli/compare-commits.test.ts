// compare-commits end to end against a throwaway git repository whose "engine" is this goodput's
// simulator: the preset each commit serves is a file in the repository, read by the --serve
// command. Needs the built dist/ (npm test builds it first): the server and the client are
// `node bin/goodput.js …` child processes, exactly as a user would run them.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { openLedger } from '../../src/store/ledger.js';

const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(here, '../../bin/goodput.js');
const SERVE = `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} sim --port {port} --preset $(cat preset.txt)`;
// Small but clearly separated: tiny steps ~1 ms per token, large-slow ~30 ms per token.
const BENCH = [
  '--concurrency',
  '2',
  '--num-prompts',
  '6',
  '--warmup-requests',
  '1',
  '--random-input-len',
  '32',
  '--random-output-len',
  '8',
];

let dir: string;
let repo: string;
const shas: Record<'fast' | 'slow' | 'broken', string> = { fast: '', slow: '', broken: '' };
const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();

function commit(name: keyof typeof shas, preset: string, buildScript: string): void {
  writeFileSync(join(repo, 'preset.txt'), `${preset}\n`);
  writeFileSync(join(repo, 'build.sh'), buildScript);
  git('add', '.');
  git('commit', '-q', '-m', name);
  shas[name] = git('rev-parse', 'HEAD');
}

beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'goodput-cc-test-')));
  repo = join(dir, 'engine');
  execFileSync('git', ['init', '-q', repo]);
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'test');
  commit('fast', 'tiny', 'echo "compiling fast engine"; echo ok > built.txt\n');
  commit('slow', 'large-slow', 'echo "compiling slow engine"; echo ok > built.txt\n');
  commit(
    'broken',
    'tiny',
    "echo compiling; echo 'error[E0425]: cannot find value `x` in this scope' >&2; exit 101\n",
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...args: string[]) {
  const io = memoryIo({ cwd: dir });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

interface JsonComparison {
  labelA: string;
  cells: Array<{
    nRepeatsA: number;
    nRepeatsB: number;
    metrics: Array<{ metric: string; verdict: string; ratio: number | null }>;
  }>;
  gate?: { failed: boolean; failures: Array<{ metric: string }> };
}

describe('goodput compare-commits', () => {
  it('finds the slower commit significantly slower, stops its servers, removes its worktrees, and records both runs', async () => {
    const r = await run(
      'compare-commits',
      shas.fast,
      shas.slow,
      '--repo',
      repo,
      '--build',
      'sh build.sh',
      '--serve',
      SERVE,
      '--repeats',
      '3',
      '--server-mode',
      'concurrent',
      '--out-dir',
      'out',
      '--db',
      'cc.db',
      '--format',
      'json',
      '--fail-on-regression',
      '5',
      '--metrics',
      'e2e_p50,tpot_p50',
      '--',
      ...BENCH,
    );
    // the slow commit is a significant regression beyond 5 %: the gate fails
    expect(r.code, r.err).toBe(1);
    const doc = JSON.parse(r.out) as JsonComparison;
    expect(doc.cells).toHaveLength(1);
    const cell = doc.cells[0]!;
    expect([cell.nRepeatsA, cell.nRepeatsB]).toEqual([3, 3]);
    const m = (id: string) => cell.metrics.find((x) => x.metric === id)!;
    expect(m('e2e_p50').verdict, JSON.stringify(m('e2e_p50'))).toBe('worse');
    expect(m('tpot_p50').verdict, JSON.stringify(m('tpot_p50'))).toBe('worse');
    // throughput from 6 requests per repeat is noisy on a loaded machine: its direction, not its verdict
    expect(m('output_throughput').ratio!, JSON.stringify(m('output_throughput'))).toBeLessThan(0.5);
    expect(m('e2e_p50').ratio!).toBeGreaterThan(3);
    expect(doc.gate?.failures.map((f) => f.metric).sort()).toEqual(['e2e_p50', 'tpot_p50']);

    // both builds ran; every repeat ran A B A B against its own server
    expect(readFileSync(join(dir, 'out/build-A.log'), 'utf8')).toContain('compiling fast engine');
    expect(readFileSync(join(dir, 'out/build-B.log'), 'utf8')).toContain('compiling slow engine');
    const order = [...r.err.matchAll(/repeat (\d)\/3 of ([AB])/g)].map((x) => `${x[2]}${x[1]}`);
    expect(order).toEqual(['A1', 'B1', 'A2', 'B2', 'A3', 'B3']);
    expect(existsSync(join(dir, 'out/compare.md'))).toBe(true);

    // servers stopped by their own pids; worktrees gone
    const pids = [...r.err.matchAll(/server [AB] pid (\d+)/g)].map((x) => Number(x[1]));
    expect(pids).toHaveLength(2);
    // while a server loads, the console says how long goodput waits and where its log is
    expect(r.err).toMatch(
      /server A pid \d+ on http:\/\/127\.0\.0\.1:\d+; waiting up to \d+ s \(--ready-timeout\) for it to answer \(its log: .*serve-A.*\.log\)/,
    );
    expect(pids.filter(alive), r.err).toEqual([]);
    expect(git('worktree', 'list').split('\n')).toHaveLength(1);

    // both sides are in the ledger under their commits
    const ledger = openLedger(join(dir, 'cc.db'));
    try {
      expect(ledger.resolveSelector(`commit:${shas.fast}`).run).toMatchObject({
        source: 'compare-commits',
        commit: shas.fast,
        cellCount: 1,
      });
      const slow = ledger.resolveSelector(`commit:${shas.slow.slice(0, 10)}`);
      expect(slow.cells[0]?.report.n_repeats).toBe(3);
      expect(slow.cells[0]?.report.env.commit_sha).toBe(shas.slow);
    } finally {
      ledger.close();
    }
  });

  it('a broken build stops with its log tail and benchmarks nothing', async () => {
    const r = await run(
      'compare-commits',
      shas.fast,
      shas.broken,
      '--repo',
      repo,
      '--build',
      'sh build.sh',
      '--serve',
      SERVE,
      '--repeats',
      '3',
      '--out-dir',
      'out-broken',
      '--no-db',
      '--',
      ...BENCH,
    );
    expect(r.code).toBe(1);
    expect(r.err).toContain(`the build of B (${shas.broken}`.slice(0, 30));
    expect(r.err).toContain('exited with code 101; nothing was benchmarked');
    expect(r.err).toContain('error[E0425]: cannot find value `x` in this scope');
    expect(r.err).not.toContain('server A pid');
    expect(existsSync(join(dir, 'out-broken/runs'))).toBe(false);
    expect(git('worktree', 'list').split('\n')).toHaveLength(1);
  });

  it.each([
    [['--serve', 'srv --port 80'], 'must contain {port}'],
    [['--serve', 'srv {port}', '--', '--seed', '3'], '--seed after "--" is set by compare-commits'],
    [['--serve', 'srv {port}', '--repeats', '0'], '--repeats 0'],
  ])('%j is a usage error before anything runs', async (args, message) => {
    const r = await run('compare-commits', shas.fast, shas.slow, '--repo', repo, ...args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it('an unknown revision is named', async () => {
    const r = await run(
      'compare-commits',
      'no-such-rev',
      shas.slow,
      '--repo',
      repo,
      '--serve',
      'srv {port}',
      '--no-db',
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain('"no-such-rev" is not a commit');
  });
});
