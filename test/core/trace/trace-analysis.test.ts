import { describe, expect, it } from 'vitest';
import { isGoodputError } from '../../../src/core/errors.js';
import { analyseTrace, comparisonSide } from '../../../src/core/trace/trace-analysis.js';
import { span } from './trace-fixture.js';

const events = [
  span('warm', 1, -10, 7, 'other'),
  span('attn', 0, 0, 5, 'attention'),
  span('decode.moe', 1, 2, 11, 'moe'),
  span('attn', 0, 100, 3, 'attention'),
];

describe('analyseTrace', () => {
  it('without --per-iteration: the breakdown only', () => {
    const a = analyseTrace(events, { source: 't' });
    expect(a.iterations).toBeUndefined();
    expect(a.breakdown.totalUs).toBe(26);
  });

  it('a marker name implies the per-iteration split', () => {
    const a = analyseTrace(events, { source: 't', marker: 'attn' });
    expect(a.iterations?.split.marker).toEqual({ tid: 0, name: 'attn', rule: 'option' });
    expect(a.iterations?.split.iterations).toHaveLength(2);
    expect(a.iterations?.phases.map((p) => p.phase)).toEqual(['first', 'rest']);
  });

  it('as a comparison side: the time inside iterations and the count; else the whole trace', () => {
    const perIteration = comparisonSide(analyseTrace(events, { source: 't', perIteration: true }), 'x');
    expect(perIteration).toMatchObject({ label: 'x', iterations: 2 });
    expect(perIteration.breakdown.totalUs).toBe(19);
    const whole = comparisonSide(analyseTrace(events, { source: 't' }), 'x');
    expect(whole.iterations).toBeUndefined();
    expect(whole.breakdown.totalUs).toBe(26);
  });

  it.each([
    ['no complete events', [{ name: 'm', ph: 'M', pid: 0, tid: 0 }], {}],
    ['every event filtered out by the name prefix', events, { namePrefixes: ['prefill.'] }],
  ])('fails naming the trace when nothing is usable: %s', (_, evs, options) => {
    expect.assertions(3);
    try {
      analyseTrace(evs, { source: 'dir/t.json', perIteration: true, ...options });
    } catch (e) {
      expect(isGoodputError(e, 'INPUT_SCHEMA')).toBe(true);
      expect((e as Error).message).toContain('dir/t.json');
      expect((e as Error).message).toContain('no complete ("ph":"X") events');
    }
  });
});
