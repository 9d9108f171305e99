import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isGoodputError } from '../../../src/core/errors.js';
import { formatRustDisplay, formatRustFixed, formatRustFloat } from '../../../src/core/schema/rust-float.js';

describe('formatRustFloat (serde_json / ryu)', () => {
  it.each([
    [1e-7, '1e-7'],
    [1e21, '1e21'],
    [123456789012345680, '1.2345678901234568e17'],
    [Number.MAX_VALUE, '1.7976931348623157e308'],
    [130, '130.0'],
    [500, '500.0'],
    [30000, '30000.0'],
    [0, '0.0'],
    [-0, '-0.0'],
    [9.549999999999999, '9.549999999999999'],
    [4.389241392313711, '4.389241392313711'],
    [0.1, '0.1'],
    [1e-5, '0.00001'],
    [1.5e-5, '0.000015'],
    [1e-6, '1e-6'],
    [1e15, '1000000000000000.0'],
    [9999999999999998, '9999999999999998.0'],
    [1e16, '1e16'],
    [1.5e16, '1.5e16'],
    [-2.5, '-2.5'],
    [5e-324, '5e-324'],
    [-1.7976931348623157e308, '-1.7976931348623157e308'],
  ])('%s → %s', (x, expected) => {
    expect(formatRustFloat(x)).toBe(expected);
  });

  it('refuses NaN and infinities with a GoodputError', () => {
    for (const x of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      let caught: unknown;
      try {
        formatRustFloat(x);
      } catch (e) {
        caught = e;
      }
      expect(isGoodputError(caught, 'INTERNAL')).toBe(true);
    }
  });

  it("matches a reference built from the shortest digits with ryu's layout rules, for any double", () => {
    const reference = (x: number): string => {
      if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
      const [m = '', e = '0'] = Math.abs(x).toExponential().split('e');
      const digits = m.replace('.', '');
      const kk = Number(e) + 1;
      const sign = x < 0 ? '-' : '';
      if (kk > 16 || kk <= -5)
        return `${sign}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${kk - 1}`;
      if (kk <= 0) return `${sign}0.${'0'.repeat(-kk)}${digits}`;
      if (kk >= digits.length) return `${sign}${digits}${'0'.repeat(kk - digits.length)}.0`;
      return `${sign}${digits.slice(0, kk)}.${digits.slice(kk)}`;
    };
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.double({ min: 1e-7, max: 1e17, noNaN: true }),
          fc.integer().map((i) => i * 1000),
        ),
        (x) => {
          expect(formatRustFloat(x)).toBe(reference(x));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('always reads back to the same double and always looks like a float', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = formatRustFloat(x);
        expect(Object.is(Number(text), x)).toBe(true);
        expect(text).toMatch(/^-?(\d+\.\d+|\d(\.\d+)?e-?\d+)$/);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('formatRustDisplay (Rust `{}`)', () => {
  it.each([
    [2.5, '2.5'],
    [20, '20'],
    [500, '500'],
    [0, '0'],
    [1e-7, '0.0000001'],
    [1e21, '1000000000000000000000'],
    [123456789012345680, '123456789012345680'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'inf'],
  ])('%s → %s', (x, expected) => {
    expect(formatRustDisplay(x)).toBe(expected);
  });
});

describe('formatRustFixed (Rust `{:.N}`)', () => {
  it.each([
    [130.66666666666666, 2, '130.67'],
    [10.040333333333335, 2, '10.04'],
    [0.125, 2, '0.12'], // exact tie → even (JavaScript's toFixed says 0.13)
    [0.375, 2, '0.38'],
    [2.5, 0, '2'],
    [3.5, 0, '4'],
    [1.005, 2, '1.00'], // 1.005 is really 1.00499999999999989…
    [-0.001, 2, '-0.00'],
    [0, 2, '0.00'],
    [1e21, 2, '1000000000000000000000.00'],
    [5e-324, 2, '0.00'],
  ])('%s with %s decimals → %s', (x, d, expected) => {
    expect(formatRustFixed(x, d)).toBe(expected);
  });

  it('agrees with toFixed except on exact ties, where toFixed rounds up', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.integer({ min: 0, max: 6 }), (x, d) => {
        const scaled = Math.abs(x) * 10 ** d;
        const exactTie = Number.isInteger(scaled * 2) && !Number.isInteger(scaled) && scaled < 2 ** 52;
        if (!exactTie && !Object.is(x, -0)) expect(formatRustFixed(x, d)).toBe(x.toFixed(d));
      }),
      { numRuns: 2000 },
    );
  });
});
