import { describe, expect, it } from 'vitest';
import {
  formatProfileLineError,
  missingProfileGroups,
  parseProfileJsonl,
  parseProfileJsonlAll,
} from '../../../src/core/profile/profile-jsonl.js';

const good = (event: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    event,
    commit_sha: 'abc',
    env_hash: 'sha256:e',
    model: 'm',
    concurrency: 1,
    shape: {},
    stage_us: { total: 10 },
    graph_enabled: false,
    runtime_flags: {},
    ...extra,
  });

describe('profile JSONL (ferrum-behaviour §5.7, A.6)', () => {
  // A.6: the bad event on line 2, after a leading blank line
  const golden: Array<[string, string]> = [
    ['{"event":"x"}', 'line 2: missing required field: commit_sha'],
    ['[1,2]', 'line 2: profile event must be a JSON object'],
    [good(' '), 'line 2: event must be non-empty'],
    [good('x', { commit_sha: '' }), 'line 2: commit_sha must be non-empty when present'],
    [
      good('x', { concurrency: -1 }),
      'line 2: invalid profile event: invalid value: integer `-1`, expected u32',
    ],
    [good('x', { runtime_flags: [] }), 'line 2: runtime_flags must be an object'],
    ['not json', 'line 2: invalid JSON: expected ident at line 1 column 2'],
  ];
  it.each(golden)('%s → %s', (line, message) => {
    const r = parseProfileJsonl(`\n${line}\n${good('later')}\n`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(formatProfileLineError(r.error)).toBe(message);
  });

  it('serde tells 2.0 from 2: a float concurrency fails type checking', () => {
    const r = parseProfileJsonl(good('x').replace('"concurrency":1', '"concurrency":2.0'));
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error.message).toBe('invalid profile event: invalid type: floating point `2.0`, expected u32');
  });

  it('numbers lines from 1, strips CR, trims, skips blank lines', () => {
    const r = parseProfileJsonlAll(`${good('a')}\r\n   \r\n\t${good('b')}  \r\n`);
    expect(r.errors).toEqual([]);
    expect(r.events.map((l) => [l.line, l.event.event])).toEqual([
      [1, 'a'],
      [3, 'b'],
    ]);
  });

  it('collects every bad line, not only the first', () => {
    const text = [good('a'), 'nope', good('b', { model: ' ' }), '', '{"event":"c"}', good('d')].join('\n');
    const r = parseProfileJsonlAll(text);
    expect(r.events.map((l) => l.event.event)).toEqual(['a', 'd']);
    expect(r.errors.map(formatProfileLineError)).toEqual([
      'line 2: invalid JSON: expected ident at line 1 column 2',
      'line 3: model must be non-empty',
      'line 5: missing required field: commit_sha',
    ]);
  });

  it('reports missing required event groups in the order asked', () => {
    const r = parseProfileJsonl(`${good('iter_prof')}\n`);
    if (!r.ok) throw new Error('expected ok');
    expect(missingProfileGroups(r.events, ['bucket_prof', 'iter_prof', 'graph_prof'])).toBe(
      'missing profile event groups: bucket_prof, graph_prof',
    );
    expect(missingProfileGroups(r.events, ['iter_prof'])).toBeUndefined();
  });
});
