import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type GoodputError, isGoodputError } from '../../../src/core/errors.js';
import { buildSchedule } from '../../../src/core/schedule/build-schedule.js';
import { parseScheduleFile, serializeSchedule } from '../../../src/core/schedule/schedule-file.js';

function errorOf(fn: () => unknown): GoodputError {
  try {
    fn();
  } catch (e) {
    if (isGoodputError(e)) return e;
    throw e;
  }
  throw new Error('expected a GoodputError');
}

describe('--schedule-out / --schedule-in file', () => {
  it('round-trips every offset bit for bit', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.double({ min: 0.1, max: 1000, noNaN: true }),
        fc.nat({ max: 200 }),
        (seed, rateRps, count) => {
          const s = buildSchedule(
            { kind: 'gamma', rateRps, burstiness: 0.3 },
            { seed, cell: 'x', repeat: 2 },
            { count },
          );
          const back = parseScheduleFile(serializeSchedule(s), 'schedule.json');
          return (
            back.offsets_ms.every((v, i) => Object.is(v, s.offsets_ms[i])) &&
            JSON.stringify(back) === JSON.stringify(s)
          );
        },
      ),
    );
  });

  it('writes version, profile and seed in a readable header', () => {
    const text = serializeSchedule(buildSchedule({ kind: 'poisson', rateRps: 2 }, { seed: 7 }, { count: 2 }));
    expect(
      text.startsWith(
        '{\n  "version": 1,\n  "profile": {\n    "kind": "poisson",\n    "rate_rps": 2\n  },\n  "seed": 7,',
      ),
    ).toBe(true);
    expect(JSON.parse(text).offsets_ms).toHaveLength(2);
  });

  it.each([
    ['', 'INPUT_EMPTY', /plan\.json: the schedule file is empty/],
    ['{"version":1,', 'INPUT_NOT_JSON', /plan\.json: not a JSON schedule file/],
    [
      '{"version":2,"profile":{"kind":"trace"},"offsets_ms":[]}',
      'INPUT_SCHEMA',
      /plan\.json: invalid schedule: version/,
    ],
    [
      '{"version":1,"profile":{"kind":"trace"},"offsets_ms":[0,1,2,"3"]}',
      'INPUT_SCHEMA',
      /offsets_ms\[3\]: .*\(got string\)/,
    ],
    [
      '{"version":1,"profile":{"kind":"poisson","rate_rps":-1},"offsets_ms":[]}',
      'INPUT_SCHEMA',
      /profile\.rate_rps/,
    ],
    [
      '{"version":1,"profile":{"kind":"trace"},"offsets_ms":[0,5,4]}',
      'INPUT_SCHEMA',
      /offsets_ms\[2\] \(4\) is earlier than offsets_ms\[1\] \(5\)/,
    ],
  ])('rejects %j with %s naming the file and the JSON path', (text, code, message) => {
    const e = errorOf(() => parseScheduleFile(text, 'plan.json'));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });
});
