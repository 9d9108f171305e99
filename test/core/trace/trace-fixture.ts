// The ferrum layer-wise trace fixture and small hand-built traces for the trace tests.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompleteEvent } from '../../../src/core/trace/trace-event.js';

const here = dirname(fileURLToPath(import.meta.url));
export const LAYERWISE_FIXTURE = resolve(
  here,
  '../../../../shared/fixtures/ferrum/trace/m3_layerwise_trace.json',
);

/** The fixture's events are complete events without args. */
export type FixtureEvent = Omit<CompleteEvent, 'args'>;

export function readLayerwiseFixture(): FixtureEvent[] {
  return JSON.parse(readFileSync(LAYERWISE_FIXTURE, 'utf8')) as FixtureEvent[];
}

/** A complete event; the category defaults to the name. */
export function span(name: string, tid: number, ts: number | undefined, dur: number, cat = name) {
  return ts === undefined
    ? { name, cat, ph: 'X', dur, pid: 0, tid }
    : { name, cat, ph: 'X', ts, dur, pid: 0, tid };
}

/**
 * `steps` forward passes through `layers` layers, each layer an `attn` (attentionUs) then a `moe`
 * (moeUs) span, passes 1000 µs apart.
 */
export function syntheticLayerwise(steps: number, layers: number, attentionUs: number, moeUs: number) {
  const events: ReturnType<typeof span>[] = [];
  for (let s = 0; s < steps; s++) {
    for (let l = 0; l < layers; l++) {
      const ts = s * 1000 + l * 10;
      events.push(span('attn', l, ts, attentionUs, 'attention'), span('moe', l, ts + 5, moeUs));
    }
  }
  return events;
}
