import { describe, expect, it } from 'vitest';
import { GoodputError } from '../../../src/core/errors.js';
import { splitIterations } from '../../../src/core/trace/iteration-split.js';
import { collectSpans } from '../../../src/core/trace/trace-spans.js';
import { readLayerwiseFixture, span } from './trace-fixture.js';

const split = (events: unknown[], marker?: string) =>
  splitIterations(collectSpans(events), { source: 't.json', ...(marker === undefined ? {} : { marker }) });

function thrown(f: () => unknown): GoodputError {
  try {
    f();
  } catch (e) {
    if (e instanceof GoodputError) return e;
    throw e;
  }
  throw new Error('expected a GoodputError');
}

describe('splitIterations on hand-built traces', () => {
  // tid 0 carries the marker; written in end order (ferrum pushes a span when it ends), so the
  // earliest-ts span of tid 0 ("step") is NOT the first one in the file
  const events = [
    span('attn', 0, 1, 4, 'attention'),
    span('step', 0, 0, 90, 'scheduling'),
    span('moe', 1, 50, 10),
    span('moe', 1, 99, 2), // last µs of iteration 0
    span('attn', 0, 101, 3, 'attention'),
    span('step', 0, 100, 40, 'scheduling'),
    span('moe', 1, 100, 7), // starts exactly at the next marker: iteration 1
    span('moe', 2, 130, 20),
  ];

  it('default marker: the earliest-ts span name on the lowest tid; spans go to [start, next start)', () => {
    const s = split(events);
    expect(s.marker).toEqual({ tid: 0, name: 'step', rule: 'default' });
    expect(s.preRoll).toBeUndefined();
    expect(s.iterations.map((i) => [i.label, i.startUs, i.endUs, i.spans, i.totalUs])).toEqual([
      ['0', 0, 100, 4, 4 + 90 + 10 + 2],
      ['1', 100, 150, 4, 3 + 40 + 7 + 20],
    ]);
    expect(s.iterations[0]?.byCategoryUs).toMatchObject({ attention: 4, scheduling: 90, moe: 12 });
    expect(s.iterations[1]?.byCategoryUs).toMatchObject({ attention: 3, scheduling: 40, moe: 27 });
    expect(s.categories).toEqual(['attention', 'moe', 'scheduling']);
    expect(s.withoutTs).toBe(0);
    expect(s.inIterations.totalUs).toBe(106 + 70);
  });

  it('spans before the first marker are the pre-roll "-", kept out of the iterations', () => {
    const s = split([span('load', 3, -50, 30, 'other'), span('sample', 5, -10, 2, 'sampling'), ...events]);
    expect(s.preRoll).toMatchObject({
      index: null,
      label: '-',
      startUs: -50,
      endUs: 0,
      spans: 2,
      totalUs: 32,
    });
    expect(s.preRoll?.byCategoryUs).toMatchObject({ other: 30, sampling: 2 });
    expect(s.iterations).toHaveLength(2);
    expect(s.categories).toEqual(['attention', 'moe', 'sampling', 'scheduling', 'other']);
    // the layer breakdown of the iterations leaves the pre-roll out
    expect(s.inIterations.totalUs).toBe(176);
    expect(s.inIterations.layers.map((l) => l.tid)).toEqual([0, 1, 2]);
  });

  it('--iteration-marker takes the lowest tid where that name occurs', () => {
    const s = split(events, 'moe');
    expect(s.marker).toEqual({ tid: 1, name: 'moe', rule: 'option' });
    // markers at 50, 99, 100 → three iterations; the tid-0 spans before 50 are the pre-roll
    expect(s.iterations.map((i) => [i.startUs, i.spans])).toEqual([
      [50, 1],
      [99, 1],
      [100, 4],
    ]);
    expect(s.preRoll?.spans).toBe(2);
  });

  it('markers with the same ts open one iteration; spans without ts are counted, not placed', () => {
    const s = split([
      span('m', 0, 0, 1),
      span('m', 0, 0, 1),
      span('x', 1, 3, 5, 'norm'),
      span('x', 1, undefined, 9, 'norm'),
      span('m', 0, 10, 1),
    ]);
    expect(s.iterations.map((i) => [i.startUs, i.spans, i.totalUs])).toEqual([
      [0, 3, 7],
      [10, 1, 1],
    ]);
    expect(s.iterations[1]?.endUs).toBe(11);
    expect(s.withoutTs).toBe(1);
  });

  it('fails naming the source: no span with a ts, or a marker name that never occurs', () => {
    const noTs = thrown(() => split([span('a', 0, undefined, 1)]));
    expect(noTs.code).toBe('INPUT_SCHEMA');
    expect(noTs.message).toContain('t.json');
    const missing = thrown(() => split(events, 'decode_step'));
    expect(missing.code).toBe('USAGE');
    expect(missing.exitCode).toBe(2);
    expect(missing.message).toContain('--iteration-marker "decode_step"');
    expect(missing.message).toContain('t.json');
    expect(missing.hint).toContain('attn, moe, step');
  });
});

describe('splitIterations on the ferrum layer-wise fixture', () => {
  const events = readLayerwiseFixture();
  const s = split(events);

  it('finds 205 iterations marked by attn on tid 0, with no pre-roll', () => {
    expect(s.marker).toEqual({ tid: 0, name: 'attn', rule: 'default' });
    expect(s.iterations).toHaveLength(205);
    expect(s.preRoll).toBeUndefined();
    expect(s.iterations.reduce((n, i) => n + i.spans, 0)).toBe(events.length);
  });

  it('every iteration equals a plain loop over the file (sorted by ts): a new one at each attn on tid 0', () => {
    for (let i = 1; i < events.length; i++) expect(events[i]!.ts).toBeGreaterThanOrEqual(events[i - 1]!.ts);
    const plain: { attention: number; moe: number; spans: number }[] = [];
    for (const e of events) {
      if (e.tid === 0 && e.name === 'attn') plain.push({ attention: 0, moe: 0, spans: 0 });
      const it = plain[plain.length - 1]!;
      it.spans++;
      if (e.cat === 'attention') it.attention += e.dur;
      else it.moe += e.dur;
    }
    expect(plain).toHaveLength(205);
    expect(
      s.iterations.map((i) => ({
        attention: i.byCategoryUs.attention,
        moe: i.byCategoryUs.moe,
        spans: i.spans,
      })),
    ).toEqual(plain);
    // the first pass is the prefill: ≈ 20 ms attention and ≈ 96 ms MoE, 96 spans (48 layers × 2)
    expect(s.iterations[0]).toMatchObject({ totalUs: 116_142, spans: 96 });
    expect(s.iterations[0]?.byCategoryUs).toMatchObject({ attention: 20_242, moe: 95_900 });
  });
});
