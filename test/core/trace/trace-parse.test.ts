import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isGoodputError } from '../../../src/core/errors.js';
import { parseTraceText } from '../../../src/core/trace/trace-parse.js';

const ev = (i: number) => ({
  name: `e${i}`,
  cat: 'attention',
  ph: 'X',
  ts: i,
  dur: 1,
  pid: 0,
  tid: 0,
  args: { s: 'a,]}"' },
});

describe('parseTraceText', () => {
  it('reads a bare array and a traceEvents object', () => {
    expect(parseTraceText(JSON.stringify([ev(1)]), 't')).toEqual({
      events: [ev(1)],
      format: 'array',
      truncated: false,
    });
    expect(parseTraceText(JSON.stringify({ traceEvents: [ev(1)], displayTimeUnit: 'ms' }), 't')).toEqual({
      events: [ev(1)],
      format: 'object',
      truncated: false,
    });
  });

  it('recovers the complete events of a streamed file cut at any byte', () => {
    const full = `{"traceEvents":[\n${[0, 1, 2].map((i) => JSON.stringify(ev(i))).join(',\n')}\n],"displayTimeUnit":"ms"}\n`;
    const ends = [0, 1, 2].map((i) => full.indexOf(JSON.stringify(ev(i))) + JSON.stringify(ev(i)).length);
    for (let cut = '{"traceEvents":['.length; cut < full.length - 2; cut++) {
      const r = parseTraceText(full.slice(0, cut), 't');
      const complete = ends.filter((e) => e <= cut).length;
      expect(r.events).toHaveLength(complete);
      expect(r.truncated).toBe(true);
    }
  });

  it('recovers a bare array without its closing bracket (Chrome JSON Array Format)', () => {
    const r = parseTraceText(`[${JSON.stringify(ev(1))},${JSON.stringify(ev(2))},`, 't');
    expect(r).toEqual({ events: [ev(1), ev(2)], format: 'array', truncated: true });
  });

  it.each([
    ['', 'INPUT_EMPTY'],
    ['hello', 'INPUT_NOT_JSON'],
    ['{"a":1}', 'INPUT_SCHEMA'],
    ['{"traceEvents":5}', 'INPUT_SCHEMA'],
    ['[{"a":1},{bad}]', 'INPUT_NOT_JSON'],
    ['[{"a":1}] trailing', 'INPUT_NOT_JSON'],
    // a stray closing bracket once looped forever (found by the property below)
    ['[}', 'INPUT_NOT_JSON'],
    ['{"traceEvents":[{"a":1},}', 'INPUT_NOT_JSON'],
  ])('%j fails with %s', (text, code) => {
    try {
      parseTraceText(text, 'trace.json');
      expect.unreachable();
    } catch (e) {
      expect(isGoodputError(e, code as never)).toBe(true);
      expect((e as Error).message).toContain('trace.json');
    }
  });

  it('never crashes or hangs on arbitrary text: a result or a GoodputError', () => {
    const jsonish = fc.string({
      unit: fc.constantFrom('[', ']', '{', '}', '"', ',', '\\', 'a', '1', ' ', ':'),
    });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          jsonish,
          jsonish.map((s) => `{"traceEvents":[${s}`),
        ),
        (s) => {
          try {
            const r = parseTraceText(s, 'f');
            expect(Array.isArray(r.events)).toBe(true);
          } catch (e) {
            expect(isGoodputError(e)).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
