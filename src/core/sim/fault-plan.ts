// Fault injection plan of the simulator (SPEC §4): which named fault hits which request.
// Grammar of `--faults`:  entry[,entry…]  with  entry = NAME[=PARAM](:RATE | @N[,N…])
// e.g. `http_500:0.05,stall=2000@3,7,reject_stream_options`. Request numbers are 1-based, in
// arrival order over all completion requests. A rate draws one uniform from the seeded stream
// (seed, "sim-fault:NAME", request number), so a rate-based plan hits the same requests on every
// run with the same seed, whatever the order of the entries.

import { GoodputError } from '../errors.js';
import { deriveStream } from '../random/streams.js';

export const FAULT_NAMES = [
  'http_500',
  'http_429',
  'http_503',
  'slow_headers',
  'reset',
  'stall',
  'malformed_json',
  'missing_done',
  'duplicate_done',
  'bad_output',
  'mojibake',
  'error_event',
  'no_usage',
  'zero_tokens',
  'coalesced',
  'reject_stream_options',
] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

/** Faults with a numeric parameter, its meaning and default. */
export const FAULT_PARAMS: Partial<Record<FaultName, { meaning: string; default: number }>> = {
  http_429: { meaning: 'Retry-After seconds', default: 1 },
  slow_headers: { meaning: 'delay before the status line, ms', default: 500 },
  stall: { meaning: 'pause mid-stream, ms', default: 1000 },
  coalesced: { meaning: 'events per write', default: 4 },
};

/** Server-wide modes: they take no rate and no request numbers. */
const SERVER_WIDE: readonly FaultName[] = ['reject_stream_options'];

export interface FaultEntry {
  name: FaultName;
  param: number;
  /** probability per request, 0 when only numbers are given */
  rate: number;
  /** 1-based request numbers that always get this fault */
  requests: readonly number[];
}

export interface FaultPlan {
  entries: readonly FaultEntry[];
  /** server-wide: every request that carries stream_options gets a 400 */
  rejectStreamOptions: boolean;
}

export interface AppliedFault {
  name: FaultName;
  param: number;
}

export const EMPTY_FAULT_PLAN: FaultPlan = { entries: [], rejectStreamOptions: false };

const ENTRY_RE = /^([a-z0-9_]+)(?:=([^:@]+))?(?::([^@]+)|@(.+))?$/;

function usage(message: string, hint: string): GoodputError {
  return new GoodputError('USAGE', message, { hint });
}

/** Parses a `--faults` spec; an empty or undefined spec gives the empty plan. */
export function parseFaultSpec(spec: string | undefined): FaultPlan {
  if (spec === undefined || spec.trim() === '') return EMPTY_FAULT_PLAN;
  const entries: FaultEntry[] = [];
  let rejectStreamOptions = false;
  const hint = `write NAME:RATE or NAME@N,N; names: ${FAULT_NAMES.join(', ')}`;
  let last: { name: FaultName; requests: number[] } | undefined;
  for (const rawPart of spec.split(',')) {
    const part = rawPart.trim();
    if (/^\d+$/.test(part) && last) {
      last.requests.push(requestNumber(part, last.name, hint));
      continue;
    }
    last = undefined;
    const m = ENTRY_RE.exec(part);
    if (!m) throw usage(`--faults: cannot read "${part}"`, hint);
    const [, rawName, rawParam, rawRate, rawNumbers] = m;
    if (!(FAULT_NAMES as readonly string[]).includes(rawName!)) {
      throw usage(`--faults: unknown fault "${rawName}" in "${part}"`, hint);
    }
    const name = rawName as FaultName;
    const paramSpec = FAULT_PARAMS[name];
    if (rawParam !== undefined && !paramSpec) {
      throw usage(`--faults: ${name} takes no =value (in "${part}")`, hint);
    }
    let param = paramSpec?.default ?? 0;
    if (rawParam !== undefined) {
      param = Number(rawParam);
      if (
        !Number.isFinite(param) ||
        param < 0 ||
        (name === 'coalesced' && (param < 2 || !Number.isInteger(param)))
      ) {
        throw usage(`--faults: ${name}=${rawParam}: expected ${paramSpec!.meaning}`, hint);
      }
    }
    if (SERVER_WIDE.includes(name)) {
      if (rawRate !== undefined || rawNumbers !== undefined) {
        throw usage(`--faults: ${name} is a server-wide mode; write it without :RATE or @N`, hint);
      }
      rejectStreamOptions = true;
      continue;
    }
    if (rawRate === undefined && rawNumbers === undefined) {
      throw usage(`--faults: ${name} needs :RATE (0..1) or @N,N (1-based request numbers)`, hint);
    }
    if (rawRate !== undefined) {
      const rate = Number(rawRate);
      if (!Number.isFinite(rate) || rate < 0 || rate > 1) {
        throw usage(`--faults: ${name}:${rawRate}: the rate must be a number from 0 to 1`, hint);
      }
      entries.push({ name, param, rate, requests: [] });
      continue;
    }
    const requests = [requestNumber(rawNumbers!, name, hint)];
    entries.push({ name, param, rate: 0, requests });
    last = { name, requests };
  }
  return { entries, rejectStreamOptions };
}

function requestNumber(text: string, name: string, hint: string): number {
  const n = Number(text.trim());
  if (!Number.isInteger(n) || n < 1) {
    throw usage(`--faults: ${name}@${text}: request numbers are integers from 1`, hint);
  }
  return n;
}

/**
 * The faults planned for request `requestNumber`, in FAULT_NAMES order, one per name (the first
 * matching entry's parameter wins). `seed` is the server's seed (a non-negative safe integer).
 */
export function faultsForRequest(plan: FaultPlan, seed: number, requestNumber: number): AppliedFault[] {
  if (plan.entries.length === 0) return [];
  const hit = new Map<FaultName, number>();
  for (const entry of plan.entries) {
    if (hit.has(entry.name)) continue;
    const listed = entry.requests.includes(requestNumber);
    const drawn = entry.rate > 0 && faultDraw(seed, entry.name, requestNumber) < entry.rate;
    if (listed || drawn) hit.set(entry.name, entry.param);
  }
  return FAULT_NAMES.filter((name) => hit.has(name)).map((name) => ({ name, param: hit.get(name)! }));
}

/** The request number takes the stream's repeat slot: one independent uniform per (fault, request). */
function faultDraw(seed: number, name: FaultName, requestNumber: number): number {
  return deriveStream({ seed, purpose: `sim-fault:${name}`, repeat: requestNumber }).nextFloat();
}

/** The plan written back as a spec string (for logs and reports). */
export function formatFaultPlan(plan: FaultPlan): string {
  const parts = plan.entries.map((e) => {
    const spec = FAULT_PARAMS[e.name];
    const param = spec && e.param !== spec.default ? `=${e.param}` : '';
    return e.requests.length > 0
      ? `${e.name}${param}@${e.requests.join(',')}`
      : `${e.name}${param}:${e.rate}`;
  });
  if (plan.rejectStreamOptions) parts.push('reject_stream_options');
  return parts.join(',');
}
