// The syntax of bench-serve's flag values: numbers in ranges, comma lists, durations, ferrum's
// SLO string (ferrum-behaviour §8.1) and KEY=VAL pairs. Each parser returns a value or a problem
// naming the flag, so that every problem of a command line is reported together.

import type { Slo } from '../core/schema/bench-report.js';
import { UNBOUNDED_SLO_MS } from '../core/schema/bench-report.js';

export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(problem: string): Parsed<T> => ({ ok: false, problem });

/** Largest u32: ferrum's counts are u32. */
export const U32_MAX = 4_294_967_295;

/** An integer in [min, max]. */
export function parseIntFlag(flag: string, raw: string, min: number, max = U32_MAX): Parsed<number> {
  const text = raw.trim();
  const value = /^[+]?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    return bad(`${flag} ${JSON.stringify(raw)}: expected an integer from ${min} to ${max}`);
  }
  return ok(value);
}

/** A finite number, > 0 unless `allowZero`. */
export function parsePositiveFlag(flag: string, raw: string, allowZero = false): Parsed<number> {
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    return bad(`${flag} ${JSON.stringify(raw)}: expected a finite number ${allowZero ? '≥ 0' : '> 0'}`);
  }
  return ok(value);
}

/** A comma list of values each parsed by `item` (ferrum: duplicates allowed, order kept). */
export function parseListFlag(
  flag: string,
  raw: string,
  item: (text: string) => Parsed<number>,
): Parsed<number[]> {
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => p === ''))
    return bad(`${flag} ${JSON.stringify(raw)}: expected a comma list like 1,4,16`);
  const values: number[] = [];
  for (const p of parts) {
    const r = item(p);
    if (!r.ok) return bad(`${flag} ${JSON.stringify(raw)}: ${r.problem.replace(`${flag} `, '')}`);
    values.push(r.value);
  }
  return ok(values);
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `60s`, `2m`, `1.5h`, `500ms`, or a plain number of seconds → milliseconds (> 0). */
export function parseDurationFlag(flag: string, raw: string): Parsed<number> {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(raw);
  if (m === null)
    return bad(
      `${flag} ${JSON.stringify(raw)}: expected a duration like 60s, 2m, 500ms or a number of seconds`,
    );
  const ms = Number(m[1]) * (DURATION_UNITS[m[2] ?? 's'] as number);
  if (!(ms > 0) || !Number.isFinite(ms))
    return bad(`${flag} ${JSON.stringify(raw)}: the duration must be > 0`);
  return ok(ms);
}

/** `true` / `false` (ferrum's --enable-thinking). */
export function parseBoolFlag(flag: string, raw: string): Parsed<boolean> {
  const t = raw.trim().toLowerCase();
  if (t === 'true') return ok(true);
  if (t === 'false') return ok(false);
  return bad(`${flag} ${JSON.stringify(raw)}: expected true or false`);
}

/**
 * ferrum's SLO string: `ttft:X tpot:Y e2el:Z` separated by spaces and/or commas; keys ttft, tpot,
 * e2el or e2e; values in ms, positive and finite; an unknown key is an error; a repeated key: the
 * last one wins. ferrum requires all three keys; goodput also accepts a subset and leaves the
 * missing thresholds unbounded (so `--goodput ttft:500` means "TTFT ≤ 500 ms, nothing else").
 */
export function parseSloFlag(flag: string, raw: string): Parsed<Slo> {
  const slo: Slo = {
    ttft_p99_ms: UNBOUNDED_SLO_MS,
    tpot_p99_ms: UNBOUNDED_SLO_MS,
    e2e_p99_ms: UNBOUNDED_SLO_MS,
  };
  const parts = raw.split(/[\s,]+/).filter((p) => p !== '');
  if (parts.length === 0)
    return bad(`${flag} ${JSON.stringify(raw)}: expected e.g. 'ttft:500 tpot:50 e2el:30000' (ms)`);
  for (const part of parts) {
    const colon = part.indexOf(':');
    const key = colon === -1 ? part : part.slice(0, colon);
    const value = colon === -1 ? Number.NaN : Number(part.slice(colon + 1));
    if (!(Number.isFinite(value) && value > 0)) {
      return bad(
        `${flag}: ${JSON.stringify(part)} needs a positive number of ms after the colon (e.g. ttft:500)`,
      );
    }
    if (key === 'ttft') slo.ttft_p99_ms = value;
    else if (key === 'tpot') slo.tpot_p99_ms = value;
    else if (key === 'e2el' || key === 'e2e') slo.e2e_p99_ms = value;
    else return bad(`${flag}: unknown SLO key ${JSON.stringify(key)} (use ttft, tpot, e2el or e2e)`);
  }
  return ok(slo);
}

/** `KEY=VAL` (first `=` splits; the key must be non-empty). */
export function parseKeyValueFlag(flag: string, raw: string): Parsed<[string, string]> {
  const eq = raw.indexOf('=');
  if (eq <= 0) return bad(`${flag} ${JSON.stringify(raw)}: expected KEY=VALUE`);
  return ok([raw.slice(0, eq), raw.slice(eq + 1)]);
}

/** A JSON object (for --extra-body). */
export function parseJsonObjectFlag(flag: string, raw: string): Parsed<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    return bad(`${flag}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return bad(`${flag}: expected a JSON object like '{"top_p":0.9}'`);
  }
  return ok(value as Record<string, unknown>);
}
