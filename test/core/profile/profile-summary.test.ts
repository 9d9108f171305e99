import { describe, expect, it } from 'vitest';
import { parseProfileJsonlAll } from '../../../src/core/profile/profile-jsonl.js';
import { compareProfiles, summarizeProfile } from '../../../src/core/profile/profile-summary.js';

const line = (event: string, commit: string, stage: Record<string, unknown>, envHash = 'sha256:e'): string =>
  JSON.stringify({
    event,
    commit_sha: commit,
    env_hash: envHash,
    model: 'm',
    concurrency: 4,
    shape: {},
    stage_us: stage,
    graph_enabled: false,
    runtime_flags: {},
  });

const parse = (lines: string[]) => {
  const r = parseProfileJsonlAll(lines.join('\n'));
  expect(r.errors).toEqual([]);
  return r.events;
};

describe('summarizeProfile', () => {
  it('groups by event, commit and env hash with count, mean, p50 and p95 per stage', () => {
    const events = parse([
      line('iter', 'b', { total: 100 }),
      line('iter', 'a', { total: 10, sched: 1 }),
      line('iter', 'a', { total: 20, sched: 3 }),
      line('iter', 'a', { total: 30 }),
      line('iter', 'a', { total: 40 }, 'sha256:other'),
      line('bucket', 'a', { total: 5 }),
    ]);
    const { groups, errors } = summarizeProfile(events);
    expect(errors).toEqual([]);
    expect(groups.map((g) => [g.event, g.commitSha, g.envHash, g.count])).toEqual([
      ['bucket', 'a', 'sha256:e', 1],
      ['iter', 'a', 'sha256:e', 3],
      ['iter', 'a', 'sha256:other', 1],
      ['iter', 'b', 'sha256:e', 1],
    ]);
    const iterA = groups[1];
    // numpy linear: total [10,20,30] → p50 20, p95 = 20 + 0.9·10 = 29; sched [1,3] → p95 = 1 + 0.95·2
    expect(iterA?.stages.map((s) => [s.stage, s.n, s.meanUs, s.p50Us])).toEqual([
      ['sched', 2, 2, 2],
      ['total', 3, 20, 20],
    ]);
    expect(iterA?.stages[0]?.p95Us).toBeCloseTo(2.9, 12);
    expect(iterA?.stages[1]?.p95Us).toBeCloseTo(29, 12);
  });

  it('rejects non-numeric timings with their line numbers, all of them', () => {
    const r = parseProfileJsonlAll(
      [line('x', 'a', { t: 1 }), line('x', 'a', { t: '12' }), line('y', 'a', { u: null, v: -1 })].join('\n'),
    );
    const { errors } = summarizeProfile(r.events);
    expect(errors).toEqual([
      { line: 2, message: 'stage_us.t: expected a non-negative number of microseconds, got string "12"' },
      { line: 3, message: 'stage_us.u: expected a non-negative number of microseconds, got null' },
      { line: 3, message: 'stage_us.v: expected a non-negative number of microseconds, got -1' },
    ]);
  });
});

describe('compareProfiles', () => {
  it('pools each side by event and gives B/A ratios per stage', () => {
    const a = parse([
      line('iter', 'base', { total: 100, sched: 10 }),
      line('iter', 'base', { total: 300, sched: 10 }),
    ]);
    const b = parse([
      line('iter', 'cand', { total: 100 }),
      line('iter', 'cand', { total: 200 }),
      line('new', 'cand', { t: 1 }),
    ]);
    const c = compareProfiles(a, b);
    expect(c.aSources).toEqual(['base sha256:e']);
    expect(c.bSources).toEqual(['cand sha256:e']);
    expect(c.rows.map((r) => [r.event, r.stage, r.meanRatio, r.p50Ratio])).toEqual([
      ['iter', 'sched', null, null],
      ['iter', 'total', 150 / 200, 150 / 200],
      ['new', 't', null, null],
    ]);
    expect(c.rows[1]?.a?.meanUs).toBe(200);
    expect(c.rows[1]?.b?.p95Us).toBe(195);
  });
});
