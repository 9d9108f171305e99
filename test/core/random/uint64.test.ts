import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add64,
  mul64,
  shr64,
  u64FromHex,
  u64FromSafeInteger,
  u64ToHex,
  xor64,
} from '../../../src/core/random/uint64.js';

const big = (x: { hi: number; lo: number }) => (BigInt(x.hi) << 32n) | BigInt(x.lo);
const M = (1n << 64n) - 1n;
const u64 = fc.record({ hi: fc.nat({ max: 0xffffffff }), lo: fc.nat({ max: 0xffffffff }) });

describe('64-bit arithmetic on 32-bit halves (checked against BigInt)', () => {
  it('multiplies mod 2^64 exactly', () => {
    fc.assert(fc.property(u64, u64, (a, b) => big(mul64(a, b)) === ((big(a) * big(b)) & M)));
  });
  it('adds mod 2^64, xors and shifts exactly', () => {
    fc.assert(
      fc.property(u64, u64, fc.integer({ min: 1, max: 31 }), (a, b, s) => {
        return (
          big(add64(a, b)) === ((big(a) + big(b)) & M) &&
          big(xor64(a, b)) === (big(a) ^ big(b)) &&
          big(shr64(a, s)) === big(a) >> BigInt(s)
        );
      }),
    );
  });
  it('converts safe integers and hex both ways', () => {
    expect(u64ToHex(u64FromSafeInteger(2 ** 53 - 1))).toBe('001fffffffffffff');
    expect(u64ToHex(u64FromHex('9e3779b97f4a7c15'))).toBe('9e3779b97f4a7c15');
    expect(() => u64FromSafeInteger(-1)).toThrow(RangeError);
    expect(() => u64FromSafeInteger(1.5)).toThrow(RangeError);
  });
});
