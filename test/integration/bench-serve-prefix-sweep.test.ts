// bench-serve --prefix-groups-sweep against the built-in simulator with a small prefix cache
// (--sim-set prefixCacheBlocks=…): the hit ratio stays high while the working set fits the cache
// and collapses above it, and the located cliff sits where the simulator's cache size puts it.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { SIM_PRESETS } from '../../src/core/sim/presets.js';
import { readRunDirectory } from './run-directory-reader.js';

const tmp = mkdtempSync(join(tmpdir(), 'goodput-prefix-sweep-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(args: string[]) {
  const io = memoryIo({ cwd: tmp });
  const code = await main(['bench-serve', '--no-db', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

const PREFIX = 256;
const SUFFIX = 16;
const CAPACITY_BLOCKS = 80;
const SWEEP = [1, 2, 4, 8];

/**
 * Where the cliff must be, from the simulator's profile: one request (prefix + suffix, no chat
 * template in the simulator's count) fills ⌊(P + S) / blockSize⌋ full blocks, all inserted into
 * the LRU. Requests cycle the groups round-robin at concurrency 1, so a group's prefix is still
 * cached at its next turn iff G · blocksPerRequest ≤ capacity; above that LRU evicts every prefix
 * before its reuse and nothing hits.
 */
function expectedCliff() {
  const blockSize = SIM_PRESETS.tiny.blockSize;
  const blocksPerRequest = Math.floor((PREFIX + SUFFIX) / blockSize);
  const maxGroups = Math.floor(CAPACITY_BLOCKS / blocksPerRequest);
  return {
    lastGood: Math.max(...SWEEP.filter((g) => g <= maxGroups)),
    firstBad: Math.min(...SWEEP.filter((g) => g > maxGroups)),
  };
}

/** The parts of `goodput.shared_prefix` this test reads. */
interface PrefixView {
  groups: number;
  working_set_tokens: number;
  hit_ratio_usage: { ratio: number };
  hit_ratio_metrics: { ratio: number };
  ttft_split: { first: { n: number } };
  cliff: { estimated_capacity_tokens: number };
}

describe('bench-serve prefix-cache capacity sweep', () => {
  it('finds the capacity cliff where the simulator cache size puts it, in every cell, report.md and the console', async () => {
    const dir = join(tmp, 'sweep');
    const r = await run(
      [
        '--dataset',
        'shared-prefix',
        '--shared-prefix-len',
        String(PREFIX),
        '--shared-suffix-len',
        String(SUFFIX),
      ]
        .concat([
          '--prefix-groups-sweep',
          SWEEP.join(','),
          '--sim-set',
          `prefixCacheBlocks=${CAPACITY_BLOCKS}`,
        ])
        .concat(['--concurrency', '1', '--num-prompts', '32', '--n-repeats', '1', '--warmup-requests', '0'])
        .concat(['--random-output-len', '4', '--out-dir', dir]),
    );
    expect(r.code, r.err).toBe(0);
    const { envelope, schemaProblems } = readRunDirectory(dir);
    expect(schemaProblems).toEqual([]);
    const cells = envelope.cells;
    expect(cells.map((c) => c.goodput?.cell_key)).toEqual(SWEEP.map((g) => `closed:c=1:groups=${g}`));
    const expected = expectedCliff();
    expect([expected.lastGood, expected.firstBad]).toEqual([4, 8]);
    for (const c of cells) {
      expect(c.scenario).toBe('shared_prefix');
      const sp = c.goodput?.shared_prefix as unknown as PrefixView;
      expect(sp.working_set_tokens).toBe(sp.groups * PREFIX);
      const usage = sp.hit_ratio_usage.ratio;
      // the /metrics counters see the same lookups as the per-request usage
      expect(sp.hit_ratio_metrics.ratio).toBeCloseTo(usage, 6);
      if (sp.groups <= expected.lastGood) {
        // only the first request of each group misses; the rest hit the whole prefix
        expect(usage).toBeCloseTo(((32 - sp.groups) / 32) * (PREFIX / (PREFIX + SUFFIX)), 6);
        expect(sp.ttft_split.first.n).toBe(sp.groups);
      } else expect(usage).toBe(0);
      expect(sp.cliff).toMatchObject({
        found: true,
        hit_ratio_source: 'usage',
        last_good: { groups: expected.lastGood, working_set_tokens: expected.lastGood * PREFIX },
        first_bad: { groups: expected.firstBad, working_set_tokens: expected.firstBad * PREFIX },
        is_first_bad: sp.groups === expected.firstBad,
      });
      const estimate = sp.cliff.estimated_capacity_tokens;
      expect(estimate).toBeGreaterThan(expected.lastGood * PREFIX);
      expect(estimate).toBeLessThan(expected.firstBad * PREFIX);
      // no knee on a sweep that keeps its load
      expect(c.goodput?.knee).toBeUndefined();
    }
    const markdown = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(markdown).toContain('### Prefix cache');
    expect(markdown).toMatch(
      /Capacity cliff between 1024 tokens \(4 groups, hit [\d.]+ %\) and 2048 tokens \(8 groups, hit 0\.0 %\)/,
    );
    expect(markdown).toMatch(/\| 8 ◀ cliff \| 2048 \|/);
    expect(r.out).toMatch(/prefix-cache capacity cliff between 1024 tokens/);
  });

  it.each([
    [
      ['--dataset', 'random', '--prefix-groups-sweep', '1,2'],
      /--prefix-groups-sweep needs --dataset shared-prefix \(got --dataset random\)/,
    ],
    [
      ['--dataset', 'shared-prefix', '--prefix-groups-sweep', '1,2', '--concurrency-sweep', '1,2'],
      /--prefix-groups-sweep varies the working set at one load shape/,
    ],
    [
      ['--dataset', 'shared-prefix', '--prefix-groups-sweep', '1,2', '--prefix-groups', '4'],
      /--prefix-groups-sweep and --prefix-groups both/,
    ],
    [['--dataset', 'shared-prefix', '--prefix-groups-sweep', '1,x'], /--prefix-groups-sweep "1,x"/],
    [['--sim-set', 'prefixCacheBlocks=-1'], /--sim-set: prefixCacheBlocks/],
    [['--sim-set', 'noSuchField=1'], /--sim-set noSuchField=1: unknown profile field/],
    [
      ['--base-url', 'http://127.0.0.1:9', '--sim-set', 'prefixCacheBlocks=8'],
      /--sim-set configures the built-in simulator/,
    ],
  ])('refuses %j with a message naming the flag (exit 2)', async (args, message) => {
    const r = await run([...args, '--out-dir', join(tmp, 'never')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
});
