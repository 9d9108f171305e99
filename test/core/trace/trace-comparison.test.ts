import { describe, expect, it } from 'vitest';
import { GoodputError } from '../../../src/core/errors.js';
import { layerBreakdown } from '../../../src/core/trace/layer-breakdown.js';
import { analyseTrace, comparisonSide } from '../../../src/core/trace/trace-analysis.js';
import { compareTraces } from '../../../src/core/trace/trace-comparison.js';
import { readLayerwiseFixture, span, syntheticLayerwise } from './trace-fixture.js';

const side = (label: string, events: unknown[]) => ({ label, breakdown: layerBreakdown(events) });

describe('compareTraces on hand-built traces', () => {
  const a = [
    span('attn', 0, 0, 100, 'attention'),
    span('moe', 0, 1, 300),
    span('attn', 1, 2, 50, 'attention'),
    span('attn', 2, 3, 10, 'attention'),
  ];
  const b = [
    span('attn', 0, 0, 100, 'attention'),
    span('moe', 0, 1, 600),
    span('attn', 1, 2, 25, 'attention'),
    span('attn', 2, 3, 10, 'attention'),
    span('rmsnorm', 2, 4, 40),
  ];

  it('per category: A, B, delta, B/A (null when A is 0) and the two shares', () => {
    const c = compareTraces(side('a', a), side('b', b));
    expect(c.normalisation).toEqual({ kind: 'total' });
    expect(c.categories).toEqual(['attention', 'moe', 'norm']);
    expect(c.byCategory).toEqual([
      {
        category: 'attention',
        aUs: 160,
        bUs: 135,
        deltaUs: -25,
        ratio: 135 / 160,
        shareA: 160 / 460,
        shareB: 135 / 775,
      },
      { category: 'moe', aUs: 300, bUs: 600, deltaUs: 300, ratio: 2, shareA: 300 / 460, shareB: 600 / 775 },
      { category: 'norm', aUs: 0, bUs: 40, deltaUs: 40, ratio: null, shareA: 0, shareB: 40 / 775 },
    ]);
    expect(c.total).toEqual({ aUs: 460, bUs: 775, deltaUs: 315, ratio: 775 / 460 });
  });

  it('per layer: every tid, and the top changes by |delta| (ties by tid), limited', () => {
    const c = compareTraces(side('a', a), side('b', b), { topLayers: 2 });
    expect(c.sameLayers).toBe(true);
    expect(c.layers.map((l) => [l.tid, l.delta?.deltaUs])).toEqual([
      [0, 300],
      [1, -25],
      [2, 40],
    ]);
    expect(c.layers[0]?.b).toMatchObject({ attention: 100, moe: 600 });
    expect(c.topLayerChanges.map((l) => l.tid)).toEqual([0, 2]);
  });

  it('different layers: flagged, counted, and only common tids have a delta', () => {
    const c = compareTraces(
      side('a', a),
      side(
        'b',
        [...b, span('attn', 7, 9, 5, 'attention')].filter((e) => e.tid !== 1),
      ),
    );
    expect(c.sameLayers).toBe(false);
    expect(c.layerCount).toEqual({ a: 3, b: 3 });
    expect(c.layers.map((l) => [l.tid, l.a === null, l.b === null, l.delta === null])).toEqual([
      [0, false, false, false],
      [1, false, true, true],
      [2, false, false, false],
      [7, true, false, true],
    ]);
    expect(c.topLayerChanges.map((l) => l.tid)).toEqual([0, 2]);
  });

  it('needs an iteration count on both sides or on neither', () => {
    expect(() => compareTraces({ ...side('a', a), iterations: 3 }, side('b', b))).toThrow(GoodputError);
  });
});

describe('normalisation per iteration', () => {
  // the same per-step cost, 100 steps vs 200 steps, 4 layers
  const short = analyseTrace(syntheticLayerwise(100, 4, 10, 30), { source: 'a', perIteration: true });
  const long = analyseTrace(syntheticLayerwise(200, 4, 10, 30), { source: 'b', perIteration: true });

  it('divides each trace by its own iteration count, so equal steps compare as equal', () => {
    const c = compareTraces(comparisonSide(short, 'a'), comparisonSide(long, 'b'));
    expect(c.normalisation).toEqual({ kind: 'per-iteration', iterationsA: 100, iterationsB: 200 });
    expect(c.byCategory.map((d) => [d.category, d.aUs, d.bUs, d.ratio])).toEqual([
      ['attention', 40, 40, 1],
      ['moe', 120, 120, 1],
    ]);
    expect(c.total.ratio).toBe(1);
    expect(c.layers.every((l) => l.delta?.ratio === 1 && l.a?.moe === 30)).toBe(true);
  });

  it('whole-trace totals are not normalised: the longer trace is twice the time', () => {
    const c = compareTraces(
      comparisonSide(analyseTrace(syntheticLayerwise(100, 4, 10, 30), { source: 'a' }), 'a'),
      comparisonSide(analyseTrace(syntheticLayerwise(200, 4, 10, 30), { source: 'b' }), 'b'),
    );
    expect(c.normalisation.kind).toBe('total');
    expect(c.total).toMatchObject({ aUs: 16_000, bUs: 32_000, ratio: 2 });
  });

  it('the pre-roll is left out of the per-iteration time', () => {
    const withPreRoll = analyseTrace(
      [span('load', 3, -100, 5000, 'other'), ...syntheticLayerwise(100, 4, 10, 30)],
      {
        source: 'p',
        perIteration: true,
      },
    );
    const c = compareTraces(comparisonSide(short, 'a'), comparisonSide(withPreRoll, 'p'));
    expect(c.total.ratio).toBe(1);
    expect(c.categories).toEqual(['attention', 'moe']);
  });
});

describe('compareTraces on the ferrum fixture vs a copy with every moe duration doubled', () => {
  const events = readLayerwiseFixture();
  const doubled = events.map((e) => (e.name === 'moe' ? { ...e, dur: e.dur * 2 } : e));

  it.each([false, true])('ratio 2 for moe and 1 for attention (per iteration: %s)', (perIteration) => {
    const c = compareTraces(
      comparisonSide(analyseTrace(events, { source: 'a', perIteration }), 'a'),
      comparisonSide(analyseTrace(doubled, { source: 'b', perIteration }), 'b'),
    );
    const ratio = Object.fromEntries(c.byCategory.map((d) => [d.category, d.ratio]));
    expect(ratio).toEqual({ attention: 1, moe: 2 });
    expect(c.normalisation.kind).toBe(perIteration ? 'per-iteration' : 'total');
    let moe = 0;
    for (const e of events) if (e.cat === 'moe') moe += e.dur;
    const divisor = perIteration ? 205 : 1;
    expect(c.byCategory[1]?.deltaUs).toBeCloseTo(moe / divisor, 9);
    expect(c.sameLayers).toBe(true);
    expect(c.layers).toHaveLength(48);
    for (const l of c.layers) expect(l.b?.moe).toBeCloseTo(2 * (l.a?.moe ?? Number.NaN), 9);
    // layer 0 holds the 91 ms prefill MoE: its change is the largest
    expect(c.topLayerChanges[0]?.tid).toBe(0);
    expect(c.topLayerChanges).toHaveLength(10);
  });
});
