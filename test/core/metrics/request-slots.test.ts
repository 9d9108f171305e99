import { describe, expect, it } from 'vitest';
import { sseItlEvidence } from '../../../src/core/metrics/itl-evidence.js';
import { EvidenceIds, RequestSlots } from '../../../src/core/metrics/request-slots.js';

const evidence = (events: number) =>
  sseItlEvidence({
    failed: false,
    outputEvents: events,
    usageOutputTokens: events,
    observedIntervals: events - 1,
    coalescedReads: 0,
  });

describe('RequestSlots', () => {
  it('keeps output tokens and evidence per slot and gives ferrum’s plain arrays back', () => {
    const ids = new EvidenceIds();
    const a = evidence(4);
    const b = evidence(2);
    const slots = new RequestSlots(3, ids);
    expect([slots.isFilled(0), slots.isFilled(2)]).toEqual([false, false]);
    slots.set(2, 4, a);
    slots.set(0, 4_000_000_000, b); // a u32 above 2^31 stays exact
    slots.set(1, 4, a);
    expect([slots.isFilled(0), slots.isFilled(1), slots.isFilled(2)]).toEqual([true, true, true]);
    expect(slots.outputTokens()).toEqual([4_000_000_000, 4, 4]);
    const back = slots.itlEvidence();
    expect(back).toEqual([b, a, a]);
    // the very objects, interned once each
    expect(back[1]).toBe(a);
    expect(back[2]).toBe(a);
    expect(ids.list).toEqual([a, b]);
  });

  it('shares the interned evidence between the repeats of a cell', () => {
    const ids = new EvidenceIds();
    const a = evidence(3);
    new RequestSlots(1, ids).set(0, 3, a);
    const second = new RequestSlots(1, ids);
    second.set(0, 3, a);
    expect(ids.list).toHaveLength(1);
    expect(second.itlEvidence()[0]).toBe(a);
  });
});
