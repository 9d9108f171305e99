import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'goodput-profile-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const io = memoryIo({ cwd: dir });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

const event = (
  name: string,
  commit: string,
  stage: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) =>
  JSON.stringify({
    event: name,
    commit_sha: commit,
    env_hash: 'sha256:abc',
    model: 'qwen',
    concurrency: 4,
    shape: { batch: 4 },
    stage_us: stage,
    graph_enabled: true,
    runtime_flags: {},
    ...extra,
  });

function file(name: string, lines: string[]): string {
  writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
  return name;
}

describe('goodput profile check', () => {
  it('reports all three bad lines with their numbers and exits 1', async () => {
    const f = file('three-bad.jsonl', [
      event('iter_prof', 'a', { total: 10 }),
      '{"event":"iter_prof"}',
      event('iter_prof', 'a', { total: 12 }),
      'not json',
      '',
      event('iter_prof', 'a', { total: 11 }, { concurrency: -1 }),
      event('iter_prof', 'a', { total: 9 }),
    ]);
    const r = await run(['profile', 'check', f]);
    expect(r.code).toBe(1);
    expect(r.out.trim().split('\n')).toEqual([
      'three-bad.jsonl: line 2: missing required field: commit_sha',
      'three-bad.jsonl: line 4: invalid JSON: expected ident at line 1 column 2',
      'three-bad.jsonl: line 6: invalid profile event: invalid value: integer `-1`, expected u32',
    ]);
    expect(r.err).toContain('3 valid event(s), 3 bad line(s)');
  });

  it('exits 0 on a clean file, and 1 when a required event group is missing', async () => {
    const f = file('clean.jsonl', [event('iter_prof', 'a', { total: 1 })]);
    expect((await run(['profile', 'check', f])).code).toBe(0);
    const r = await run(['profile', 'check', f, '--require', 'iter_prof,bucket_prof']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('missing profile event groups: bucket_prof');
  });

  it('names a missing file', async () => {
    const r = await run(['profile', 'check', 'nope.jsonl']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('nope.jsonl');
  });
});

describe('goodput profile summary', () => {
  it('groups by event, commit and env hash with count, mean, p50, p95', async () => {
    const f = file('base.jsonl', [
      event('iter_prof', 'a', { total: 100, sched: 10 }),
      event('iter_prof', 'a', { total: 300, sched: 30 }),
      event('bucket_prof', 'a', { total: 7 }),
    ]);
    const r = await run(['profile', 'summary', f, '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out) as {
      groups: { event: string; count: number; stages: { stage: string; meanUs: number; p50Us: number }[] }[];
    };
    expect(s.groups.map((g) => [g.event, g.count])).toEqual([
      ['bucket_prof', 1],
      ['iter_prof', 2],
    ]);
    expect(s.groups[1]?.stages.find((x) => x.stage === 'total')).toMatchObject({ meanUs: 200, p50Us: 200 });
    const text = await run(['profile', 'summary', f]);
    expect(text.out).toContain('iter_prof · commit a · sha256:abc (2 event(s))');
    expect(text.out).toMatch(/total\s+2\s+200\.0\s+200\.0\s+290\.0/);
  });

  it('compares two files: B/A per event and stage', async () => {
    file('a.jsonl', [event('iter_prof', 'base', { total: 100 }), event('iter_prof', 'base', { total: 100 })]);
    file('b.jsonl', [event('iter_prof', 'cand', { total: 80 }), event('iter_prof', 'cand', { total: 80 })]);
    const r = await run(['profile', 'summary', 'a.jsonl', 'b.jsonl']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('A: a.jsonl (base sha256:abc)');
    expect(r.out).toMatch(/iter_prof\s+total\s+100\.0\s+80\.0\s+0\.800\s+0\.800\s+0\.800/);
  });

  it('rejects non-numeric timings, naming each line, with exit 2', async () => {
    const f = file('strings.jsonl', [
      event('iter_prof', 'a', { total: 1 }),
      event('iter_prof', 'a', { total: '12' }),
      event('x', 'a', { t: null }),
    ]);
    const r = await run(['profile', 'summary', f]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      'strings.jsonl: line 2: stage_us.total: expected a non-negative number of microseconds, got string "12"',
    );
    expect(r.err).toContain('strings.jsonl: line 3: stage_us.t:');
  });
});
