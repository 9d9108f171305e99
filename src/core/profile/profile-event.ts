// ferrum's ProfileEvent envelope (ferrum-behaviour §5.2–5.3, 5.7; golden vectors A.6): the type,
// the default metadata, parsing one JSON value with serde's exact error messages, validation,
// and the exact compact serialisation, plus goodput's write-side additions (schema version,
// timestamp, pid, sequence number), which ferrum readers ignore as unknown keys.

import { compareByteOrder } from '../schema/byte-order.js';
import { formatRustDisplay, formatRustFloat } from '../schema/rust-float.js';
import type { SerdeNumber } from './serde-json-parse.js';

/** The envelope, in field order (significant for output). */
export interface ProfileEvent {
  readonly event: string;
  readonly commit_sha: string | null;
  readonly env_hash: string;
  readonly model: string;
  /** u32, > 0 */
  readonly concurrency: number;
  /** written with sorted keys; any JSON values */
  readonly shape: Readonly<Record<string, unknown>>;
  /** stage timings in µs by convention; ferrum does not check they are numbers */
  readonly stage_us: Readonly<Record<string, unknown>>;
  readonly graph_enabled: boolean;
  /** must be an object */
  readonly runtime_flags: unknown;
  readonly source?: string;
  readonly source_line?: string;
}

/** goodput's additions on write (SPEC §8.2): extra keys after ferrum's. */
export interface ProfileWriteStamp {
  /** goodput profile schema version */
  readonly schema_version: number;
  /** wall-clock time of the write, ms since the Unix epoch */
  readonly ts_unix_ms: number;
  readonly pid: number;
  /** 0-based sequence number of the event within its writer */
  readonly seq: number;
}

export const PROFILE_SCHEMA_VERSION = 1;

export interface ProfileMetadata {
  readonly commit_sha: string | null;
  readonly env_hash: string;
  readonly model: string;
  readonly concurrency: number;
  readonly runtime_flags: unknown;
}

/** ferrum's defaults: null, `sha256:unknown`, `unknown`, 1, `{}`. */
export function defaultProfileMetadata(): ProfileMetadata {
  return {
    commit_sha: null,
    env_hash: 'sha256:unknown',
    model: 'unknown',
    concurrency: 1,
    runtime_flags: {},
  };
}

/** Required keys, in the order ferrum checks them. */
export const REQUIRED_PROFILE_FIELDS = [
  'event',
  'commit_sha',
  'env_hash',
  'model',
  'concurrency',
  'shape',
  'stage_us',
  'graph_enabled',
  'runtime_flags',
] as const;

/** A profile event that failed to parse or validate; `message` is ferrum's exact text. */
export class ProfileEventError extends Error {}

const U32_MAX = 4294967295;

/** serde's `Unexpected` display of a JSON value (`integer \`-1\``, `string "x"`, `map`…). */
function unexpected(value: unknown, num: SerdeNumber | undefined): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return `boolean \`${value}\``;
  if (typeof value === 'number') {
    if (num && num.kind !== 'f64') return `integer \`${num.literal}\``;
    if (!num && Number.isInteger(value)) return `integer \`${value}\``;
    const text = formatRustDisplay(value);
    return `floating point \`${text.includes('.') || !Number.isFinite(value) ? text : `${text}.0`}\``;
  }
  if (typeof value === 'string') return `string ${rustDebugString(value)}`;
  if (Array.isArray(value)) return 'sequence';
  return 'map';
}

/** Rust's `{:?}` of a str: quotes, and escapes for `"`, `\`, \t \r \n and other control chars. */
function rustDebugString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\0') out += '\\0';
    else if (cp < 0x20 || cp === 0x7f) out += `\\u{${cp.toString(16)}}`;
    else out += ch;
  }
  return `${out}"`;
}

function typeError(value: unknown, num: SerdeNumber | undefined, expected: string): never {
  throw new ProfileEventError(
    `invalid profile event: invalid type: ${unexpected(value, num)}, expected ${expected}`,
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parses one JSON value as a ProfileEvent with ferrum's checks and messages: object, required
 * keys (in order), typed decoding, then validation. `numbers` says how each top-level number was
 * written (serde tells `2` from `2.0`); without it integers are taken as integers.
 * Typed decoding visits keys in byte order, as serde does over a sorted map, so with several
 * bad fields the first in that order is reported.
 */
export function parseProfileEventValue(
  value: unknown,
  numbers?: ReadonlyMap<string, SerdeNumber>,
): ProfileEvent {
  if (!isObject(value)) throw new ProfileEventError('profile event must be a JSON object');
  for (const key of REQUIRED_PROFILE_FIELDS) {
    if (!Object.hasOwn(value, key)) throw new ProfileEventError(`missing required field: ${key}`);
  }
  const num = (key: string): SerdeNumber | undefined => numbers?.get(key);
  const str = (key: string): string => {
    const v = value[key];
    return typeof v === 'string' ? v : typeError(v, num(key), 'a string');
  };
  const optStr = (key: string): string | undefined => {
    const v = value[key];
    if (v === undefined || v === null) return undefined;
    return typeof v === 'string' ? v : typeError(v, num(key), 'a string');
  };
  const map = (key: string): Record<string, unknown> => {
    const v = value[key];
    return isObject(v) ? v : typeError(v, num(key), 'a map');
  };
  const decoders: Record<string, () => void> = {
    commit_sha: () => optStr('commit_sha'),
    concurrency: () => {
      const v = value.concurrency;
      const n = num('concurrency');
      if (typeof v !== 'number') typeError(v, n, 'u32');
      const isInt = n ? n.kind !== 'f64' : Number.isInteger(v);
      if (!isInt) typeError(v, n, 'u32');
      if (v < 0 || v > U32_MAX) {
        throw new ProfileEventError(
          `invalid profile event: invalid value: integer \`${n?.literal ?? v}\`, expected u32`,
        );
      }
    },
    env_hash: () => str('env_hash'),
    event: () => str('event'),
    graph_enabled: () => {
      const v = value.graph_enabled;
      if (typeof v !== 'boolean') typeError(v, num('graph_enabled'), 'a boolean');
    },
    model: () => str('model'),
    runtime_flags: () => undefined,
    shape: () => map('shape'),
    source: () => optStr('source'),
    source_line: () => optStr('source_line'),
    stage_us: () => map('stage_us'),
  };
  for (const key of Object.keys(decoders).sort(compareByteOrder)) decoders[key]?.();
  const source = optStr('source');
  const sourceLine = optStr('source_line');
  const event: ProfileEvent = {
    event: str('event'),
    commit_sha: optStr('commit_sha') ?? null,
    env_hash: str('env_hash'),
    model: str('model'),
    concurrency: value.concurrency as number,
    shape: map('shape'),
    stage_us: map('stage_us'),
    graph_enabled: value.graph_enabled as boolean,
    runtime_flags: value.runtime_flags,
    ...(source === undefined ? {} : { source }),
    ...(sourceLine === undefined ? {} : { source_line: sourceLine }),
  };
  validateProfileEvent(event);
  return event;
}

/** Rust's `str::trim` (Unicode White_Space), which differs from JavaScript's trim on U+0085/U+FEFF. */
export function rustTrim(s: string): string {
  return s.replace(
    /^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g,
    '',
  );
}

/** ferrum's `validate`, in its order; throws the first failure. */
export function validateProfileEvent(e: ProfileEvent): void {
  if (rustTrim(e.event) === '') throw new ProfileEventError('event must be non-empty');
  if (e.commit_sha !== null && rustTrim(e.commit_sha) === '')
    throw new ProfileEventError('commit_sha must be non-empty when present');
  if (!e.env_hash.startsWith('sha256:')) throw new ProfileEventError('env_hash must start with sha256:');
  if (rustTrim(e.model) === '') throw new ProfileEventError('model must be non-empty');
  if (e.concurrency === 0) throw new ProfileEventError('concurrency must be > 0');
  if (!isObject(e.runtime_flags)) throw new ProfileEventError('runtime_flags must be an object');
}

/** A JSON number as serde writes it: integers plainly, other values in ryu's float form. */
function formatNumber(x: number): string {
  return Number.isSafeInteger(x) ? String(x) : formatRustFloat(x);
}

/** Compact JSON with every object's keys in byte order (serde_json's Value over a BTreeMap). */
function sortedJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort(compareByteOrder);
  return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJson(obj[k])}`).join(',')}}`;
}

/**
 * The compact JSON line of an event, byte for byte as ferrum's native writer (A.6), without the
 * newline. With a `stamp`, goodput's keys follow ferrum's.
 */
export function serializeProfileEvent(e: ProfileEvent, stamp?: ProfileWriteStamp): string {
  let out =
    `{"event":${JSON.stringify(e.event)},"commit_sha":${e.commit_sha === null ? 'null' : JSON.stringify(e.commit_sha)}` +
    `,"env_hash":${JSON.stringify(e.env_hash)},"model":${JSON.stringify(e.model)},"concurrency":${e.concurrency}` +
    `,"shape":${sortedJson(e.shape)},"stage_us":${sortedJson(e.stage_us)},"graph_enabled":${e.graph_enabled}` +
    `,"runtime_flags":${sortedJson(e.runtime_flags)}`;
  if (e.source !== undefined) out += `,"source":${JSON.stringify(e.source)}`;
  if (e.source_line !== undefined) out += `,"source_line":${JSON.stringify(e.source_line)}`;
  if (stamp) {
    out += `,"schema_version":${stamp.schema_version},"ts_unix_ms":${stamp.ts_unix_ms},"pid":${stamp.pid},"seq":${stamp.seq}`;
  }
  return `${out}}`;
}

/** ProfileMetadata serialised as ferrum does (A.6). */
export function serializeProfileMetadata(m: ProfileMetadata): string {
  return (
    `{"commit_sha":${m.commit_sha === null ? 'null' : JSON.stringify(m.commit_sha)},"env_hash":${JSON.stringify(m.env_hash)}` +
    `,"model":${JSON.stringify(m.model)},"concurrency":${m.concurrency},"runtime_flags":${sortedJson(m.runtime_flags)}}`
  );
}

/** A native event from metadata, as ferrum's push_event builds it (source "native"), validated. */
export function nativeProfileEvent(
  metadata: ProfileMetadata,
  event: string,
  shape: Readonly<Record<string, unknown>>,
  stageUs: Readonly<Record<string, unknown>>,
  graphEnabled: boolean,
): ProfileEvent {
  const e: ProfileEvent = {
    event,
    commit_sha: metadata.commit_sha,
    env_hash: metadata.env_hash,
    model: metadata.model,
    concurrency: metadata.concurrency,
    shape,
    stage_us: stageUs,
    graph_enabled: graphEnabled,
    runtime_flags: metadata.runtime_flags,
    source: 'native',
  };
  validateProfileEvent(e);
  return e;
}
