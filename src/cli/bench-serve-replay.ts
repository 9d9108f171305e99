// bench-serve's timestamp replay of a `--dataset jsonl` file (SPEC §3.2/§3.3): each line is sent
// once, at its `timestamp_ms` relative to the first line, open loop (core/schedule's trace
// schedule). Decides when a run replays, checks the flags that conflict with it, and reads the
// file's timestamps into the cell's schedule before anything is sent.

import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { JsonlRequestReader } from '../core/dataset/jsonl-source.js';
import { GoodputError } from '../core/errors.js';
import { buildTraceSchedule } from '../core/schedule/build-schedule.js';
import type { BenchServeOptions, CellFlag, RawBenchServeOptions } from './bench-serve-options.js';

/** The flags that give a run its own load shape; any of them turns the default replay off. */
const LOAD_FLAGS = [
  ['concurrency', '--concurrency'],
  ['concurrencySweep', '--concurrency-sweep'],
  ['requestRate', '--request-rate'],
  ['rateSweep', '--rate-sweep'],
  ['scheduleIn', '--schedule-in'],
  ['duration', '--duration'],
  ['burstiness', '--burstiness'],
  ['prefixGroupsSweep', '--prefix-groups-sweep'],
] as const satisfies ReadonlyArray<readonly [keyof RawBenchServeOptions, string]>;

/** Bytes read at most to find the first request line of a file (a line longer than this counts as untimed). */
const FIRST_LINE_MAX_BYTES = 4 << 20;

/**
 * Whether the first non-empty line of `path` is a JSON object with `timestamp_ms`; undefined when
 * the file cannot be read or the line is not JSON (the dataset reader reports that later, by line).
 * The reader rejects a file timed on some lines only, so the first line speaks for all of them.
 */
export function firstLineTimed(path: string): boolean | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const chunk = Buffer.alloc(64 * 1024);
    let text = '';
    let bytes = 0;
    while (bytes < FIRST_LINE_MAX_BYTES) {
      const n = readSync(fd, chunk, 0, chunk.length, bytes);
      if (n === 0) break;
      bytes += n;
      text += chunk.toString('utf8', 0, n);
      const lines = text.split(/\r\n|\n|\r/);
      const complete = lines.slice(0, -1).find((l) => l.trim() !== '');
      if (complete !== undefined) return hasTimestamp(complete);
    }
    const last = text.trim();
    return last === '' ? undefined : hasTimestamp(last);
  } finally {
    closeSync(fd);
  }
}

function hasTimestamp(line: string): boolean | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) && 'timestamp_ms' in value;
  } catch {
    return undefined;
  }
}

/**
 * The replay cell, when this run replays: with `--replay-timestamps`, or by default for a jsonl
 * file whose lines carry `timestamp_ms` when no flag gives another load shape. Conflicts are
 * pushed to `problems`, each naming the flags. `maxConcurrency` caps the requests in flight.
 */
export function replayCells(
  raw: RawBenchServeOptions,
  datasetPath: string | undefined,
  maxConcurrency: number | undefined,
  problems: string[],
): CellFlag[] | undefined {
  const explicit = raw.replayTimestamps === true;
  if (raw.dataset !== 'jsonl') {
    if (explicit) {
      problems.push(
        `--replay-timestamps replays the timestamp_ms of a --dataset jsonl file (got --dataset ${raw.dataset})`,
      );
    }
    return undefined;
  }
  const timed = datasetPath === undefined ? undefined : firstLineTimed(datasetPath);
  const conflicts = LOAD_FLAGS.filter(([key]) => raw[key] !== undefined).map(([, flag]) => flag);
  if (explicit) {
    if (timed === false)
      problems.push(`--replay-timestamps: the first request of ${datasetPath} has no "timestamp_ms"`);
    if (conflicts.length > 0) {
      problems.push(
        `--replay-timestamps sends every line at its timestamp_ms: drop ${conflicts.join(', ')} (or drop --replay-timestamps)`,
      );
    }
  } else if (timed !== true || conflicts.length > 0) return undefined;
  return [
    {
      kind: 'open',
      // the real rate is the file's: resolveReplay sets it from the timestamps
      rateRps: 1,
      burstiness: 1,
      ...(maxConcurrency === undefined ? {} : { maxConcurrency }),
      replayTimestamps: true,
      ...(raw.numPrompts === undefined ? {} : { replayLines: Number(raw.numPrompts) }),
    },
  ];
}

/**
 * Reads the replayed file's timestamps into the replay cell's schedule (offsets = timestamp −
 * first timestamp, of the first `--num-prompts` lines, or of every line without it) and sets the
 * run's measured count to the lines replayed. Options without a replay cell come back unchanged.
 */
export async function resolveReplay(options: BenchServeOptions): Promise<BenchServeOptions> {
  const cell = options.cells.find((c) => c.kind === 'open' && c.replayTimestamps === true);
  if (cell === undefined || cell.kind !== 'open' || options.dataset.kind !== 'jsonl') return options;
  const path = options.dataset.path;
  const fileName = basename(path);
  const reader = new JsonlRequestReader(fileName);
  try {
    for await (const chunk of createReadStream(path, { encoding: 'utf8' })) reader.push(chunk as string);
  } catch (e) {
    throw new GoodputError('INPUT_MISSING', `--dataset-path ${path}: ${(e as Error).message}`, { cause: e });
  }
  const file = reader.finish();
  if (!file.timed) {
    throw new GoodputError('USAGE', `--replay-timestamps: the lines of ${path} carry no "timestamp_ms"`, {
      hint: 'add "timestamp_ms" to every line, or give --concurrency K / --request-rate R instead',
    });
  }
  const lines = cell.replayLines ?? file.requests.length;
  if (lines > file.requests.length) {
    throw new GoodputError(
      'USAGE',
      `--num-prompts ${lines} is more than the ${file.requests.length} timed lines of ${path} (a replay sends each line once)`,
      { hint: `use --num-prompts ${file.requests.length} or less, or leave it out to replay every line` },
    );
  }
  const timestamps = file.requests.slice(0, lines).map((r) => r.timestampMs as number);
  const schedule = buildTraceSchedule(timestamps, fileName);
  const offsets = schedule.offsets_ms;
  const spanMs = (offsets[offsets.length - 1] ?? 0) - (offsets[0] ?? 0);
  const rateRps = spanMs > 0 ? ((offsets.length - 1) * 1000) / spanMs : offsets.length;
  return {
    ...options,
    numPrompts: lines,
    cells: options.cells.map((c) => (c === cell ? { ...cell, rateRps, replay: schedule } : c)),
  };
}
