// Unsigned 64-bit integer arithmetic on two 32-bit halves, without BigInt: what splitmix64 and
// FNV-1a 64 need to seed goodput's generators identically on every machine. Only used at
// seeding time; the generator itself (xoshiro128**) is pure 32-bit.

/** An unsigned 64-bit integer as its high and low 32-bit halves (each in [0, 2^32)). */
export interface U64 {
  readonly hi: number;
  readonly lo: number;
}

const TWO_32 = 4294967296;

/** A non-negative safe integer (< 2^53) as a U64. */
export function u64FromSafeInteger(value: number): U64 {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`expected a non-negative safe integer, got ${value}`);
  }
  return { hi: Math.floor(value / TWO_32) >>> 0, lo: value >>> 0 };
}

/** A U64 from a 16-digit hex literal (for constants): `u64FromHex('9e3779b97f4a7c15')`. */
export function u64FromHex(hex: string): U64 {
  const padded = hex.padStart(16, '0');
  return {
    hi: Number.parseInt(padded.slice(0, 8), 16) >>> 0,
    lo: Number.parseInt(padded.slice(8), 16) >>> 0,
  };
}

/** Lower-case 16-digit hex of a U64. */
export function u64ToHex(x: U64): string {
  return x.hi.toString(16).padStart(8, '0') + x.lo.toString(16).padStart(8, '0');
}

export function add64(a: U64, b: U64): U64 {
  const lo = a.lo + b.lo;
  const carry = lo >= TWO_32 ? 1 : 0;
  return { hi: (a.hi + b.hi + carry) >>> 0, lo: lo >>> 0 };
}

export function xor64(a: U64, b: U64): U64 {
  return { hi: (a.hi ^ b.hi) >>> 0, lo: (a.lo ^ b.lo) >>> 0 };
}

/** Logical right shift by 1..31 bits. */
export function shr64(a: U64, bits: number): U64 {
  return { hi: a.hi >>> bits, lo: ((a.lo >>> bits) | (a.hi << (32 - bits))) >>> 0 };
}

/** a · b mod 2^64. The low halves' full 64-bit product is built from 16-bit limbs (each partial
 * product < 2^32, exact in a double); the cross terms only matter mod 2^32 (Math.imul). */
export function mul64(a: U64, b: U64): U64 {
  const a0 = a.lo & 0xffff;
  const a1 = a.lo >>> 16;
  const b0 = b.lo & 0xffff;
  const b1 = b.lo >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const lo = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  const loHi = p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  const hi = (loHi + Math.imul(a.hi, b.lo) + Math.imul(a.lo, b.hi)) >>> 0;
  return { hi, lo };
}
