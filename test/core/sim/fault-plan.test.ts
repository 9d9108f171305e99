import { describe, expect, it } from 'vitest';
import { isGoodputError } from '../../../src/core/errors.js';
import {
  FAULT_NAMES,
  faultsForRequest,
  formatFaultPlan,
  parseFaultSpec,
} from '../../../src/core/sim/fault-plan.js';

const names = (plan: ReturnType<typeof parseFaultSpec>, seed: number, n: number) =>
  faultsForRequest(plan, seed, n).map((f) => f.name);

describe('fault plan', () => {
  it('reads rates, request-number lists, parameters and the server-wide mode', () => {
    const plan = parseFaultSpec('http_500:0.05,stall=2000@3,7,reject_stream_options,http_429@2');
    expect(plan.rejectStreamOptions).toBe(true);
    expect(plan.entries).toEqual([
      { name: 'http_500', param: 0, rate: 0.05, requests: [] },
      { name: 'stall', param: 2000, rate: 0, requests: [3, 7] },
      { name: 'http_429', param: 1, rate: 0, requests: [2] },
    ]);
    expect(formatFaultPlan(plan)).toBe('http_500:0.05,stall=2000@3,7,http_429@2,reject_stream_options');
  });

  it('an empty spec is the empty plan', () => {
    expect(parseFaultSpec(undefined).entries).toEqual([]);
    expect(parseFaultSpec('  ').rejectStreamOptions).toBe(false);
  });

  it('every fault name is accepted', () => {
    for (const name of FAULT_NAMES) {
      const spec = name === 'reject_stream_options' ? name : `${name}@1`;
      expect(() => parseFaultSpec(spec)).not.toThrow();
    }
  });

  it.each([
    ['http_600@1', 'unknown fault "http_600"'],
    ['http_500', 'needs :RATE'],
    ['http_500:1.5', 'from 0 to 1'],
    ['http_500@0', 'integers from 1'],
    ['reset=3@1', 'takes no =value'],
    ['reject_stream_options:0.5', 'server-wide mode'],
    ['coalesced=1@2', 'events per write'],
    ['stall=-5@1', 'pause mid-stream'],
    ['!!', 'cannot read'],
  ])('rejects %s', (spec, message) => {
    let error: unknown;
    try {
      parseFaultSpec(spec);
    } catch (e) {
      error = e;
    }
    expect(isGoodputError(error, 'USAGE')).toBe(true);
    expect((error as Error).message).toContain('--faults');
    expect((error as Error).message).toContain(message);
  });

  it('request numbers hit exactly those requests', () => {
    const plan = parseFaultSpec('http_500@2,5,missing_done@5');
    const hits = Array.from({ length: 8 }, (_, i) => names(plan, 0, i + 1));
    expect(hits).toEqual([[], ['http_500'], [], [], ['http_500', 'missing_done'], [], [], []]);
  });

  it('rates are seeded: reproducible, independent of entry order, close to the rate', () => {
    const a = parseFaultSpec('http_500:0.2,stall:0.5');
    const b = parseFaultSpec('stall:0.5,http_500:0.2');
    const hitsOf = (plan: typeof a, seed: number) =>
      Array.from({ length: 2000 }, (_, i) => names(plan, seed, i + 1).join('+'));
    const first = hitsOf(a, 42);
    expect(hitsOf(a, 42)).toEqual(first);
    expect(hitsOf(b, 42)).toEqual(first);
    expect(hitsOf(a, 43)).not.toEqual(first);
    const rate500 = first.filter((h) => h.includes('http_500')).length / 2000;
    const rateStall = first.filter((h) => h.includes('stall')).length / 2000;
    expect(rate500).toBeGreaterThan(0.16);
    expect(rate500).toBeLessThan(0.24);
    expect(rateStall).toBeGreaterThan(0.45);
    expect(rateStall).toBeLessThan(0.55);
  });

  it('the first entry of a name wins its parameter', () => {
    const plan = parseFaultSpec('stall=100@1,stall=900@1');
    expect(faultsForRequest(plan, 0, 1)).toEqual([{ name: 'stall', param: 100 }]);
  });
});
