import { describe, expect, it } from 'vitest';
import { iterationPhases } from '../../../src/core/trace/iteration-phases.js';
import { splitIterations } from '../../../src/core/trace/iteration-split.js';
import { collectSpans } from '../../../src/core/trace/trace-spans.js';
import { readLayerwiseFixture, span } from './trace-fixture.js';

const phasesOf = (events: unknown[]) =>
  iterationPhases(splitIterations(collectSpans(events), { source: 't' }));

describe('iterationPhases', () => {
  it('first vs rest: count, mean, p50 and p95 of the per-iteration totals (worked by hand)', () => {
    // iteration totals: 10 | 1, 2, 3, 4, 100 (attention only), plus a pre-roll that counts nowhere
    const totals = [10, 1, 2, 3, 4, 100];
    const events = [
      span('warm', 1, -5, 1000, 'attention'),
      ...totals.map((dur, i) => span('step', 0, i * 1000, dur, 'attention')),
    ];
    const [first, rest, extra] = phasesOf(events);
    expect(extra).toBeUndefined();
    expect(first).toMatchObject({ phase: 'first', iterations: 1 });
    expect(first?.total).toEqual({ meanUs: 10, p50Us: 10, p95Us: 10 });
    expect(rest).toMatchObject({ phase: 'rest', iterations: 5 });
    // sorted 1 2 3 4 100: mean 22; p50 = 3; p95 at rank 0.95·4 = 3.8 → 4·0.2 + 100·0.8 = 80.8
    expect(rest?.total.meanUs).toBe(22);
    expect(rest?.total.p50Us).toBe(3);
    expect(rest?.total.p95Us).toBeCloseTo(80.8, 12);
    expect(rest?.byCategory.attention).toEqual(rest?.total);
    expect(rest?.byCategory.moe).toEqual({ meanUs: 0, p50Us: 0, p95Us: 0 });
  });

  it('one iteration gives the first phase only', () => {
    const phases = phasesOf([span('step', 0, 0, 5), span('x', 1, 1, 7, 'norm')]);
    expect(phases.map((p) => [p.phase, p.iterations, p.total.meanUs, p.byCategory.norm.p95Us])).toEqual([
      ['first', 1, 12, 7],
    ]);
  });

  it('on the fixture: the prefill vs 204 decode passes, means equal to a plain average', () => {
    const events = readLayerwiseFixture();
    const [first, rest] = phasesOf(events);
    expect(first?.byCategory.moe.meanUs).toBe(95_900);
    expect(rest?.iterations).toBe(204);
    // the decode passes hold everything after the second attn on tid 0
    const secondStart = events.filter((e) => e.tid === 0 && e.name === 'attn')[1]!.ts;
    let moe = 0;
    for (const e of events) if (e.ts >= secondStart && e.cat === 'moe') moe += e.dur;
    expect(rest?.byCategory.moe.meanUs).toBeCloseTo(moe / 204, 9);
    expect(rest!.byCategory.moe.p50Us).toBeLessThan(rest!.byCategory.moe.p95Us);
  });
});
