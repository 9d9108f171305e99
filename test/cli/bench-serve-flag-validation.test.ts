import { describe, expect, it } from 'vitest';
import { FlagValidation } from '../../src/cli/bench-serve-flag-validation.js';
import { parseIntFlag } from '../../src/cli/bench-serve-flag-values.js';
import { validateBenchServeOptions } from '../../src/cli/bench-serve-options.js';
import { GoodputError } from '../../src/core/errors.js';
import { DEFAULTS } from './bench-serve-raw-defaults.js';

function thrown(f: () => void): GoodputError {
  try {
    f();
  } catch (e) {
    if (e instanceof GoodputError) return e;
    throw e;
  }
  throw new Error('expected a GoodputError');
}

describe('FlagValidation', () => {
  it('takes a parsed value, or records the problem and gives the fallback', () => {
    const v = new FlagValidation('/work');
    expect(v.take(parseIntFlag('--n', '7', 1), 0)).toBe(7);
    expect(v.take(parseIntFlag('--n', 'x', 1), 3)).toBe(3);
    expect(v.problems).toEqual(['--n "x": expected an integer from 1 to 4294967295']);
  });

  it('gives undefined for an absent optional flag without a problem', () => {
    const v = new FlagValidation('/work');
    expect(v.optional(undefined, (t) => parseIntFlag('--n', t, 1), 1)).toBeUndefined();
    expect(v.optional('0', (t) => parseIntFlag('--n', t, 1), 1)).toBe(1);
    expect(v.problems).toHaveLength(1);
  });

  it('resolves path flags against its cwd', () => {
    const v = new FlagValidation('/work/runs');
    expect(v.path('a/b.json')).toBe('/work/runs/a/b.json');
    expect(v.path('/abs.json')).toBe('/abs.json');
    expect(v.path(undefined)).toBeUndefined();
  });

  it('throws nothing without problems, the problem itself for one, a numbered list for several', () => {
    const v = new FlagValidation('/');
    v.throwIfAny();
    v.push('--a is wrong');
    const one = thrown(() => v.throwIfAny());
    expect(one.code).toBe('USAGE');
    expect(one.message).toBe('--a is wrong');
    expect(one.hint).toBe('run goodput bench-serve --help for the flags and examples');
    v.push('--b is wrong', '--c is wrong');
    expect(thrown(() => v.throwIfAny()).message).toBe(
      '3 problems:\n  --a is wrong\n  --b is wrong\n  --c is wrong',
    );
  });
});

describe('validateBenchServeOptions', () => {
  it('lists the problems of every flag group in the order the groups are checked', () => {
    const e = thrown(() =>
      validateBenchServeOptions(
        {
          ...DEFAULTS,
          endpoint: 'x', // target
          simPreset: 'nope', // simulator
          dataset: 'weird', // dataset
          numPrompts: '0', // load
          nRepeats: '0', // repeats
          goodput: 'bad', // SLO
          seed: '-1',
          maxErrorRate: '2', // error policy
          output: 'xml', // output
          tag: ' ', // identity
        },
        '/tmp',
        {},
      ),
    );
    const flags = e.message
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/[ :]/)[0]);
    expect(flags).toEqual([
      '--endpoint',
      '--sim-preset',
      '--dataset',
      '--num-prompts',
      '--n-repeats',
      '--goodput',
      '--seed',
      '--max-error-rate',
      '--output',
      '--tag',
    ]);
    expect(e.message.startsWith('10 problems:\n')).toBe(true);
  });
});
