// The ordered JSON writer: serialises a value by walking its zod schema, byte-compatible with
// serde_json (ferrum-behaviour §1.1): keys in declared order, then unknown keys in their original
// order; record keys sorted by byte order; optional fields omitted, never null; integers as
// integers, every other number in Rust's ryu form; compact or serde_json's pretty layout.
// Each schema is compiled once into a writer function, so million-entry per-request arrays stay fast.

import type { z } from 'zod';
import { GoodputError } from '../errors.js';
import { type BenchReport, BenchReportSchema, ScalarStatsSchema } from './bench-report.js';
import { compareByteOrder } from './byte-order.js';
import { formatRustFloat } from './rust-float.js';

export { formatRustFloat } from './rust-float.js';

type Schema = z.core.$ZodType;
interface Def {
  readonly type: string;
  readonly [key: string]: unknown;
}

export interface JsonWriteOptions {
  /** serde_json's pretty printer: 2-space indent, `": "`, one array element per line. Default compact. */
  readonly pretty?: boolean;
}

/**
 * ferrum's serde rules that depend on the value, keyed by the object schema they apply to:
 * ScalarStats omits `stddev` / `ci95_hw` when exactly 0.0 (§1.4); BenchReport omits an empty
 * `repeat_metrics` (§1.11, `skip_serializing_if = "Vec::is_empty"`).
 */
const OMIT_WHEN_ZERO = new Map<Schema, ReadonlySet<string>>([
  [ScalarStatsSchema, new Set(['stddev', 'ci95_hw'])],
]);
const OMIT_WHEN_EMPTY = new Map<Schema, ReadonlySet<string>>([
  [BenchReportSchema, new Set(['repeat_metrics'])],
]);

/** Serialises a BenchReport in ferrum's declared field order (its `goodput` extension last). */
export function writeReportJson(report: BenchReport, opts: JsonWriteOptions = {}): string {
  return writeOrderedJson(report, BenchReportSchema, opts);
}

/**
 * Serialises `value` following `schema`. Values the schema does not describe (unknown keys of loose
 * objects, `z.unknown()`) keep their own key order; their whole numbers are written as integers.
 * Throws GoodputError INTERNAL naming the JSON path for NaN/Infinity, a non-integer in an integer
 * field, or a missing required field.
 */
export function writeOrderedJson(value: unknown, schema: Schema, opts: JsonWriteOptions = {}): string {
  const out: Out = { chunk: '', parts: [], pretty: opts.pretty === true };
  try {
    writerFor(schema)(value, out, 0);
  } catch (e) {
    if (!(e instanceof PathError)) throw e;
    const path = e.segments.reduceRight(
      (acc, seg) => (seg.startsWith('[') || acc === '' ? acc + seg : `${acc}.${seg}`),
      '',
    );
    throw new GoodputError('INTERNAL', `cannot write ${path || 'the value'}: ${e.message}`);
  }
  out.parts.push(out.chunk);
  return out.parts.join('');
}

/**
 * The output: small pieces are appended to `chunk`, which is flattened and moved to `parts` every
 * CHUNK_CHARS characters, so neither a deep rope nor a list of millions of pieces is ever built.
 */
interface Out {
  chunk: string;
  readonly parts: string[];
  readonly pretty: boolean;
}
const CHUNK_CHARS = 1 << 16;

function emit(out: Out, piece: string): void {
  out.chunk += piece;
  if (out.chunk.length > CHUNK_CHARS) {
    out.chunk.charCodeAt(0); // flattens the rope while its pieces are still young garbage
    out.parts.push(out.chunk);
    out.chunk = '';
  }
}
type Writer = (value: unknown, out: Out, depth: number) => void;

/** A write failure; each enclosing object or array adds its key or index on the way out. */
class PathError extends Error {
  readonly segments: string[] = [];
}

function withSegment(e: unknown, segment: string): unknown {
  if (e instanceof PathError) e.segments.push(segment);
  return e;
}

const INDENTS: string[] = [''];
function indent(depth: number): string {
  while (INDENTS.length <= depth) INDENTS.push(`${INDENTS[INDENTS.length - 1]}  `);
  return INDENTS[depth] as string;
}

const compiled = new WeakMap<Schema, Writer>();

function writerFor(schema: Schema | undefined): Writer {
  if (schema === undefined) return writeUntyped;
  const cached = compiled.get(schema);
  if (cached !== undefined) return cached;
  // a forwarding entry first, so that a recursive (lazy) schema finds itself while compiling
  let target: Writer | undefined;
  compiled.set(schema, (v, out, d) => (target as Writer)(v, out, d));
  target = compile(schema);
  compiled.set(schema, target);
  return target;
}

function compile(schema: Schema): Writer {
  const def = schema._zod.def as unknown as Def;
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return writerFor(def.innerType as Schema);
    case 'nullable': {
      const inner = writerFor(def.innerType as Schema);
      return (v, out, d) => (v === null ? void emit(out, 'null') : inner(v, out, d));
    }
    case 'lazy':
      return (v, out, d) => writerFor((def.getter as () => Schema)())(v, out, d);
    case 'pipe': {
      // the value is the pipe's output; a transform's output has no structure to follow
      const outSchema = def.out as Schema;
      const outDef = outSchema._zod.def as unknown as Def;
      return writerFor(outDef.type === 'transform' ? undefined : outSchema);
    }
    case 'union':
      return unionWriter(def.options as Schema[]);
    case 'object':
      return objectWriter(schema, def);
    case 'record':
      return recordWriter(writerFor(def.valueType as Schema));
    case 'array': {
      const element = writerFor(def.element as Schema);
      return arrayWriter(() => element);
    }
    case 'tuple': {
      const items = (def.items as Schema[]).map(writerFor);
      const rest = writerFor(def.rest as Schema | undefined);
      return arrayWriter((i) => items[i] ?? rest);
    }
    case 'number':
      return isIntegerSchema(def) ? writeInteger : writeFloat;
    case 'enum': {
      // per-request rows repeat a few enum strings a million times: escape each once
      const escaped = new Map(
        Object.values(def.entries as Record<string, unknown>).map((v) => [v, JSON.stringify(v)]),
      );
      return (v, out, d) => {
        const text = escaped.get(v);
        if (text === undefined) writeUntyped(v, out, d);
        else emit(out, text);
      };
    }
    default:
      // strings, enums, literals, booleans, null, unknown: nothing schema-specific to apply
      return writeUntyped;
  }
}

function objectWriter(schema: Schema, def: Def): Writer {
  const omitZero = OMIT_WHEN_ZERO.get(schema);
  const omitEmpty = OMIT_WHEN_EMPTY.get(schema);
  const fields = Object.entries(def.shape as Record<string, Schema>).map(([key, fieldSchema]) => ({
    key,
    keyJson: JSON.stringify(key),
    compactFirst: `${JSON.stringify(key)}:`,
    compactNext: `,${JSON.stringify(key)}:`,
    write: writerFor(fieldSchema),
    optional: isOptionalField(fieldSchema),
    omitZero: omitZero?.has(key) === true,
    omitEmpty: omitEmpty?.has(key) === true,
  }));
  const known = new Set(fields.map((f) => f.key));
  const catchall = writerFor(def.catchall as Schema | undefined);
  return (value, out, depth) => {
    if (!isPlainObject(value)) return writeUntyped(value, out, depth);
    emit(out, '{');
    let first = true;
    let key = '';
    try {
      for (const f of fields) {
        key = f.key;
        const v = value[f.key];
        if (v === undefined) {
          if (f.optional) continue;
          throw new PathError('the required field is missing');
        }
        if ((f.omitZero && v === 0) || (f.omitEmpty && Array.isArray(v) && v.length === 0)) continue;
        if (out.pretty) writeKey(f.keyJson, out, depth, first);
        else emit(out, first ? f.compactFirst : f.compactNext);
        first = false;
        f.write(v, out, depth + 1);
      }
      // for…in rather than Object.keys: no array per object (these are plain JSON objects)
      for (const k in value) {
        const v = value[k];
        if (known.has(k) || v === undefined) continue;
        key = k;
        writeKey(JSON.stringify(k), out, depth, first);
        first = false;
        catchall(v, out, depth + 1);
      }
    } catch (e) {
      throw withSegment(e, key);
    }
    closeObject(out, depth, first);
  };
}

function recordWriter(valueWriter: Writer): Writer {
  return (value, out, depth) => {
    if (!isPlainObject(value)) return writeUntyped(value, out, depth);
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort(compareByteOrder);
    emit(out, '{');
    let key = '';
    try {
      for (const [i, k] of keys.entries()) {
        key = k;
        writeKey(JSON.stringify(k), out, depth, i === 0);
        valueWriter(value[k], out, depth + 1);
      }
    } catch (e) {
      throw withSegment(e, key);
    }
    closeObject(out, depth, keys.length === 0);
  };
}

function arrayWriter(elementAt: (index: number) => Writer): Writer {
  return (value, out, depth) => {
    if (!Array.isArray(value)) return writeUntyped(value, out, depth);
    if (value.length === 0) {
      emit(out, '[]');
      return;
    }
    const separator = out.pretty ? `,\n${indent(depth + 1)}` : ',';
    emit(out, out.pretty ? `[\n${indent(depth + 1)}` : '[');
    let i = 0;
    try {
      for (; i < value.length; i++) {
        if (i > 0) emit(out, separator);
        elementAt(i)(value[i], out, depth + 1);
      }
    } catch (e) {
      throw withSegment(e, `[${i}]`);
    }
    emit(out, out.pretty ? `\n${indent(depth)}]` : ']');
  };
}

/** Writes `"key":` (or `"key": ` on its own line), with a comma unless it is the object's first key. */
function writeKey(keyJson: string, out: Out, depth: number, first: boolean): void {
  if (out.pretty) emit(out, `${first ? '\n' : ',\n'}${indent(depth + 1)}${keyJson}: `);
  else emit(out, first ? `${keyJson}:` : `,${keyJson}:`);
}

function closeObject(out: Out, depth: number, empty: boolean): void {
  emit(out, out.pretty && !empty ? `\n${indent(depth)}}` : '}');
}

/** A value no schema describes: kept as read (key order too); whole numbers as integers. */
function writeUntyped(value: unknown, out: Out, depth: number): void {
  if (value === null) {
    emit(out, 'null');
    return;
  }
  switch (typeof value) {
    case 'string':
      // JSON.stringify escapes exactly what serde_json escapes for valid strings
      emit(out, JSON.stringify(value));
      return;
    case 'boolean':
      emit(out, value ? 'true' : 'false');
      return;
    case 'number':
      if (Number.isSafeInteger(value)) emit(out, String(value));
      else writeFloat(value, out);
      return;
    case 'object':
      if (Array.isArray(value)) untypedArray(value, out, depth);
      else untypedObject(value as Record<string, unknown>, out, depth);
      return;
    default:
      throw new PathError(`a ${typeof value} is not JSON`);
  }
}

const untypedArray = arrayWriter(() => writeUntyped);
const untypedObject = (value: Record<string, unknown>, out: Out, depth: number): void => {
  emit(out, '{');
  let first = true;
  let key = '';
  try {
    for (key of Object.keys(value)) {
      const v = value[key];
      if (v === undefined) continue;
      writeKey(JSON.stringify(key), out, depth, first);
      first = false;
      writeUntyped(v, out, depth + 1);
    }
  } catch (e) {
    throw withSegment(e, key);
  }
  closeObject(out, depth, first);
};

function unionWriter(options: readonly Schema[]): Writer {
  const writers = options.map(writerFor);
  return (value, out, depth) => {
    // the first member that accepts the value (the unions of the schemas are small: number | null)
    const index = options.findIndex((option) => {
      const result = option['~standard'].validate(value);
      return !(result instanceof Promise) && result.issues === undefined;
    });
    (writers[index] ?? writeUntyped)(value, out, depth);
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field that may be absent from the output: optional, or defaulted on read (absent only before parsing). */
function isOptionalField(schema: Schema): boolean {
  return schema._zod.optin === 'optional' || schema._zod.optout === 'optional';
}

function isIntegerSchema(def: Def): boolean {
  if (typeof def.format === 'string' && def.format.includes('int')) return true;
  const checks = (def.checks as Schema[] | undefined) ?? [];
  return checks.some((check) => {
    const checkDef = check._zod.def as unknown as { check?: string; format?: string };
    return checkDef.check === 'number_format' && (checkDef.format ?? '').includes('int');
  });
}

function writeInteger(value: unknown, out: Out): void {
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new PathError(`expected an integer, got ${String(value)}`);
  emit(out, Number.isSafeInteger(value) ? String(value) : BigInt(value).toString());
}

function writeFloat(value: unknown, out: Out): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new PathError(`${String(value)} is not a finite number (JSON has no NaN or Infinity)`);
  }
  emit(out, formatRustFloat(value));
}
