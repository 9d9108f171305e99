// The configuration-parity table between two runs (SPEC §7.3): for each knob of parity-knobs.ts,
// the value each side recorded (server flags, server env, the client's FERRUM_* env, request
// parameters from the recorded command line), where it was read, and equal / different / unknown.
// Below the knobs: every other server flag or variable whose value differs.

import type { BenchReport } from '../schema/bench-report.js';
import { KNOBS, type Knob, type KnobKind, normaliseKnobValue } from './parity-knobs.js';

export type ParityStatus = 'equal' | 'different' | 'unknown';

export interface ParityValue {
  /** normalised value (switches as on/off) */
  readonly value: string;
  /** where it was read: `--max-num-seqs`, `server env FERRUM_PREFIX_CACHE`, `client env …`, `--extra-body top_p` */
  readonly from: string;
}

export interface ParityRow {
  readonly knob: string;
  readonly label: string;
  readonly a: ParityValue | null;
  readonly b: ParityValue | null;
  readonly status: ParityStatus;
}

export interface ParityTable {
  readonly labelA: string;
  readonly labelB: string;
  readonly rows: ParityRow[];
  /** server flags and variables outside the checklist whose values differ (a missing side counts) */
  readonly otherDifferences: ParityRow[];
  readonly warnings: string[];
}

/** What one run recorded about its server configuration. */
export interface RecordedConfig {
  /** flag → raw value (`''` for a bare flag), last occurrence wins */
  readonly flags: Map<string, string>;
  readonly serverEnv: Record<string, string>;
  /** env.ferrum_env: captured in the CLIENT process (ferrum-behaviour §4.5) */
  readonly clientEnv: Record<string, string>;
  /** request body fields from `--extra-body` and `--ignore-eos` in the recorded command line */
  readonly request: Record<string, string>;
}

/** Splits recorded argument strings (one token or a whole `--a 1 --b` string each) into tokens. */
function tokens(args: readonly string[]): string[] {
  return args.flatMap((a) => a.split(/\s+/)).filter((t) => t !== '');
}

const isFlag = (t: string) => /^--?[A-Za-z]/.test(t);

/** Parses `--flag value`, `--flag=value` and bare `--flag` (value ''). */
export function parseFlags(args: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const ts = tokens(args);
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    if (!isFlag(t)) continue;
    const eq = t.indexOf('=');
    if (eq > 0) {
      out.set(t.slice(0, eq), t.slice(eq + 1));
    } else {
      const next = ts[i + 1];
      if (next !== undefined && !isFlag(next)) {
        out.set(t, next);
        i++;
      } else {
        out.set(t, '');
      }
    }
  }
  return out;
}

/** Reads the request parameters goodput sent, from the recorded bench-serve command line. */
function requestParams(commandLine: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (commandLine === undefined) return out;
  for (let i = 0; i < commandLine.length; i++) {
    const arg = commandLine[i]!;
    let body: string | undefined;
    if (arg === '--extra-body') body = commandLine[i + 1];
    else if (arg.startsWith('--extra-body=')) body = arg.slice('--extra-body='.length);
    else if (arg === '--ignore-eos') out.ignore_eos = 'true';
    if (body === undefined) continue;
    try {
      const parsed = JSON.parse(body) as unknown;
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        for (const [k, v] of Object.entries(parsed)) {
          if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
        }
      }
    } catch {
      // an unparseable recorded --extra-body tells us nothing; the rows stay unknown
    }
  }
  return out;
}

/** Gathers one report's recorded configuration. */
function recordedConfig(report: BenchReport): RecordedConfig {
  const server = report.goodput?.server;
  return {
    flags: parseFlags([...(report.env.vllm_args ?? []), ...(server?.server_args ?? [])]),
    serverEnv: { ...(server?.server_env ?? {}) },
    clientEnv: { ...report.env.ferrum_env },
    request: requestParams(report.goodput?.command_line),
  };
}

function flagValue(kind: KnobKind, bare: 'on' | 'off' | undefined, raw: string): string {
  if (bare === undefined) return normaliseKnobValue(kind, raw);
  if (raw === '') return bare;
  // `--enable-x false` / `--enforce-eager true`: combine the flag's meaning with its value
  const v = normaliseKnobValue('switch', raw);
  if (v !== 'on' && v !== 'off') return v;
  return v === 'on' ? bare : bare === 'on' ? 'off' : 'on';
}

/** A knob's value in one recorded configuration, with its source; null when nothing recorded it. */
function knobValue(knob: Knob, config: RecordedConfig): ParityValue | null {
  for (const source of knob.flags) {
    const raw = config.flags.get(source.flag);
    if (raw !== undefined) return { value: flagValue(knob.kind, source.bare, raw), from: source.flag };
  }
  for (const key of knob.envKeys) {
    const raw = config.serverEnv[key];
    if (raw !== undefined) return { value: normaliseKnobValue(knob.kind, raw), from: `server env ${key}` };
  }
  for (const key of knob.envKeys) {
    const raw = config.clientEnv[key];
    if (raw !== undefined) return { value: normaliseKnobValue(knob.kind, raw), from: `client env ${key}` };
  }
  for (const key of knob.requestKeys ?? []) {
    const raw = config.request[key];
    if (raw !== undefined) return { value: normaliseKnobValue(knob.kind, raw), from: `request ${key}` };
  }
  return null;
}

function status(a: ParityValue | null, b: ParityValue | null): ParityStatus {
  if (a === null || b === null) return 'unknown';
  return a.value === b.value ? 'equal' : 'different';
}

/** Server flags and variables outside the checklist, as name → value with a source prefix. */
function otherSettings(config: RecordedConfig): Map<string, ParityValue> {
  const mapped = new Set<string>();
  for (const k of KNOBS) {
    for (const f of k.flags) mapped.add(f.flag);
    for (const e of k.envKeys) mapped.add(e);
  }
  const out = new Map<string, ParityValue>();
  for (const [flag, raw] of config.flags)
    if (!mapped.has(flag)) out.set(flag, { value: raw === '' ? 'on' : raw, from: flag });
  for (const [key, value] of Object.entries(config.clientEnv)) {
    if (!mapped.has(key)) out.set(key, { value, from: `client env ${key}` });
  }
  for (const [key, value] of Object.entries(config.serverEnv)) {
    if (!mapped.has(key)) out.set(key, { value, from: `server env ${key}` });
  }
  return out;
}

/**
 * The parity table of two runs. Each side's configuration is read from its first cell; when the
 * cells of one side disagree with each other, a warning says which knob varies.
 */
export function parityTable(
  labelA: string,
  cellsA: readonly BenchReport[],
  labelB: string,
  cellsB: readonly BenchReport[],
): ParityTable {
  const warnings: string[] = [];
  const configOf = (label: string, cells: readonly BenchReport[]): RecordedConfig | null => {
    const first = cells[0];
    if (first === undefined) {
      warnings.push(`${label} has no cells: every row is unknown`);
      return null;
    }
    const config = recordedConfig(first);
    for (const other of cells.slice(1)) {
      const oc = recordedConfig(other);
      for (const knob of KNOBS) {
        if (knobValue(knob, config)?.value !== knobValue(knob, oc)?.value) {
          warnings.push(
            `${label}: ${knob.label} differs between its cells; the table shows the first cell's`,
          );
        }
      }
    }
    return config;
  };
  const ca = configOf(labelA, cellsA);
  const cb = configOf(labelB, cellsB);
  const rows = KNOBS.map((knob): ParityRow => {
    const a = ca === null ? null : knobValue(knob, ca);
    const b = cb === null ? null : knobValue(knob, cb);
    return { knob: knob.id, label: knob.label, a, b, status: status(a, b) };
  });
  const oa = ca === null ? new Map<string, ParityValue>() : otherSettings(ca);
  const ob = cb === null ? new Map<string, ParityValue>() : otherSettings(cb);
  const otherDifferences: ParityRow[] = [];
  for (const name of [...new Set([...oa.keys(), ...ob.keys()])].sort()) {
    const a = oa.get(name) ?? null;
    const b = ob.get(name) ?? null;
    if (a?.value === b?.value) continue;
    otherDifferences.push({ knob: name, label: name, a, b, status: 'different' });
  }
  return { labelA, labelB, rows, otherDifferences, warnings: [...new Set(warnings)] };
}
