// Rust's three ways of printing an f64, reproduced exactly: serde_json/ryu JSON form
// (`130.0`, `1e-7`, `1.7976931348623157e308`), `{}` Display (`2.5`, `20`) and `{:.N}` fixed
// (correctly rounded from the exact binary value, ties to even). ferrum-behaviour §1.1 and §7.

import { GoodputError } from '../errors.js';

/** The shortest round-trip decimal digits of |x| (x finite, non-zero) and kk with 10^(kk-1) <= |x| < 10^kk. */
function shortestDigits(x: number): { digits: string; kk: number } {
  // toExponential() without an argument gives the shortest digits that read back to x, as ryu does.
  const [mantissa = '', exponent = '0'] = Math.abs(x).toExponential().split('e');
  return { digits: mantissa.replace('.', ''), kk: Number(exponent) + 1 };
}

/**
 * Formats a finite number as serde_json writes an f64 (ryu's `format64`): whole values keep `.0`,
 * plain decimal for 1e-5 <= |x| < 1e16, exponent form without `+` outside it.
 * Throws on NaN and ±Infinity: ferrum forbids them so that reports read back.
 */
export function formatRustFloat(x: number): string {
  if (!Number.isFinite(x)) {
    throw new GoodputError('INTERNAL', `cannot write ${x} as a JSON number (JSON has no NaN or Infinity)`);
  }
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(x);
  if (magnitude >= 1e-5 && magnitude < 1e16) {
    // fast path: here JavaScript also writes the shortest digits in plain decimal form
    const text = String(x);
    return Number.isInteger(x) ? `${text}.0` : text;
  }
  const sign = x < 0 ? '-' : '';
  const { digits, kk } = shortestDigits(x);
  const length = digits.length;
  const k = kk - length;
  if (k >= 0 && kk <= 16) return `${sign}${digits}${'0'.repeat(k)}.0`;
  if (kk > 0 && kk <= 16) return `${sign}${digits.slice(0, kk)}.${digits.slice(kk)}`;
  if (kk > -5 && kk <= 0) return `${sign}0.${'0'.repeat(-kk)}${digits}`;
  if (length === 1) return `${sign}${digits}e${kk - 1}`;
  return `${sign}${digits[0]}.${digits.slice(1)}e${kk - 1}`;
}

/** Rust's `format!("{}", x)` for an f64: shortest digits, never an exponent, no `.0` (`20`, `2.5`, `0.0000001`). */
export function formatRustDisplay(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const sign = x < 0 ? '-' : '';
  const { digits, kk } = shortestDigits(x);
  if (kk <= 0) return `${sign}0.${'0'.repeat(-kk)}${digits}`;
  if (kk >= digits.length) return `${sign}${digits}${'0'.repeat(kk - digits.length)}`;
  return `${sign}${digits.slice(0, kk)}.${digits.slice(kk)}`;
}

/**
 * Rust's `format!("{:.N}", x)`: the exact binary value rounded to N decimals, ties to even
 * (`0.125` → `0.12`, where JavaScript's toFixed gives `0.13`). The sign of a negative value is
 * kept even when it rounds to zero (`-0.00`).
 */
export function formatRustFixed(x: number, decimals: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biasedExponent = (hi >>> 20) & 0x7ff;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  // |x| = mantissa · 2^exponent exactly
  const mantissa = biasedExponent === 0 ? fraction : fraction | (1n << 52n);
  const exponent = biasedExponent === 0 ? -1074 : biasedExponent - 1075;
  let numerator = mantissa * 10n ** BigInt(decimals);
  let denominator = 1n;
  if (exponent >= 0) numerator <<= BigInt(exponent);
  else denominator <<= BigInt(-exponent);
  let quotient = numerator / denominator;
  const twiceRemainder = 2n * (numerator - quotient * denominator);
  if (twiceRemainder > denominator || (twiceRemainder === denominator && (quotient & 1n) === 1n))
    quotient += 1n;
  const text = quotient.toString().padStart(decimals + 1, '0');
  if (decimals === 0) return `${sign}${text}`;
  return `${sign}${text.slice(0, -decimals)}.${text.slice(-decimals)}`;
}
