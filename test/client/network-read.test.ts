// Deferred parsing runs after the poll phase and in short slices, so the loop comes back to timers
// and I/O (where arrivals are stamped) while a long batch is parsed.

import { describe, expect, it } from 'vitest';
import {
  arrivingRead,
  type DeferredParse,
  deferParse,
  readArrivalTime,
} from '../../src/client/network-read.js';

function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy: stands for the SSE/JSON work of one stream
  }
}

describe('network reads', () => {
  it('one synchronous burst is one read with one arrival time; the next turn is a new read', async () => {
    const a = arrivingRead();
    const t = readArrivalTime();
    spin(1);
    expect(arrivingRead()).toBe(a);
    expect(readArrivalTime()).toBe(t);
    await Promise.resolve();
    expect(arrivingRead()).toBe(a + 1);
    expect(readArrivalTime()).toBeGreaterThan(t);
  });

  it('parses every queued target once, in order, after the current turn', async () => {
    const order: number[] = [];
    for (let i = 0; i < 5; i++) deferParse({ parsePending: () => order.push(i) });
    expect(order).toEqual([]);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('a long batch yields to the event loop between slices', async () => {
    let parsed = 0;
    let parsedWhenTimerFired = -1;
    const target = (): DeferredParse => ({
      parsePending: () => {
        // once parsing has begun, a timer due in ~1 ms fires at the next timers phase: between
        // two slices, not after the whole 10 ms batch
        if (parsed === 0) {
          setTimeout(() => {
            parsedWhenTimerFired = parsed;
          }, 0);
        }
        spin(0.1);
        parsed++;
      },
    });
    for (let i = 0; i < 100; i++) deferParse(target());
    while (parsed < 100) await new Promise((r) => setTimeout(r, 5));
    expect(parsedWhenTimerFired).toBeGreaterThan(0);
    expect(parsedWhenTimerFired).toBeLessThan(50);
    expect(parsed).toBe(100);
  });
});
