// bench-serve's command line → one validated options object. Every flag is checked before any
// request is sent (ferrum checked --output and --out only after the whole run, §13.4 #25), every
// problem is reported together, each naming its flag; files named by flags are read here.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type Endpoint,
  parseBaseUrl,
  parseHeaders,
  readApiKey,
  type ServerAddress,
} from '../client/target.js';
import {
  type DatasetSpec,
  DEFAULT_SHAREGPT_FILTERS,
  datasetSpecProblems,
} from '../core/dataset/dataset-spec.js';
import { GoodputError } from '../core/errors.js';
import type { Schedule } from '../core/schedule/schedule.js';
import { parseScheduleFile } from '../core/schedule/schedule-file.js';
import { type Slo, UNBOUNDED_SLO_MS } from '../core/schema/bench-report.js';
import { parseFaultSpec } from '../core/sim/fault-plan.js';
import { SIM_PRESET_NAMES, type SimPresetName, simPreset } from '../core/sim/presets.js';

/** The built-in simulator's preset when bench-serve starts it: an 8B-on-one-GPU-like model, so the
 * default run looks like a real engine (tiny's ~1 ms steps are faster than a 2-core client can
 * time cleanly at c = 32, and a demo of coalesced reads is not what a first run should show). */
export const BENCH_SERVE_SIM_PRESET: SimPresetName = 'small-gpu';

import { parseProfileAssignments, resolveProfile, type SimProfileOverrides } from '../core/sim/profile.js';
import { FERRUM_OUTPUT_FORMATS, type FerrumOutputFormat } from '../output/ferrum-output.js';
import {
  type Parsed,
  parseBoolFlag,
  parseDurationFlag,
  parseIntFlag,
  parseJsonObjectFlag,
  parseKeyValueFlag,
  parseListFlag,
  parsePositiveFlag,
  parseSloFlag,
} from './bench-serve-flag-values.js';
import { prefixSweepCells } from './bench-serve-prefix-sweep.js';
import { replayCells } from './bench-serve-replay.js';
import { type ShardOption, shardOption } from './bench-serve-shard-flags.js';

/** The flags as commander hands them over (strings; defaults already applied). */
export interface RawBenchServeOptions {
  baseUrl?: string;
  endpoint: string;
  model?: string;
  apiKeyEnv?: string;
  header: string[];
  extraBody?: string;
  ignoreEos?: boolean;
  enableThinking?: string;
  timeout: string;
  readyTimeout: string;
  dataset: string;
  datasetPath?: string;
  sharegptPath?: string;
  tokenizer: string;
  randomInputLen: string;
  randomOutputLen: string;
  randomRangeRatio: string;
  lengthTolerance: string;
  sharedPrefixLen: string;
  sharedSuffixLen: string;
  prefixGroups: string;
  warmPrefix?: boolean;
  sharegptOutputLen: string;
  sampling: string;
  sharegptMinPromptLen: string;
  sharegptMinOutputLen: string;
  sharegptMaxPromptLen: string;
  sharegptMaxTotalLen: string;
  /** absent: 100, or every line of a replayed jsonl file */
  numPrompts?: string;
  /** --replay-timestamps: send each jsonl line at its timestamp_ms (bench-serve-replay.ts) */
  replayTimestamps?: boolean;
  /** --prefix-groups-sweep 1,2,4: one shared-prefix cell per group count (bench-serve-prefix-sweep.ts) */
  prefixGroupsSweep?: string;
  concurrency?: string;
  concurrencySweep?: string;
  requestRate?: string;
  rateSweep?: string;
  burstiness?: string;
  maxConcurrency?: string;
  duration?: string;
  nRepeats: string;
  warmupRequests: string;
  warmupSeconds?: string;
  warmupErrors: string;
  interleave?: boolean;
  goodput?: string;
  seed: string;
  scheduleOut?: string;
  scheduleIn?: string;
  failOnError?: boolean;
  maxErrorRate?: string;
  requireCi?: boolean;
  allowMissingDone?: boolean;
  output?: string;
  out?: string;
  resultFile?: string;
  outDir?: string;
  traceOut?: string;
  db: string | false;
  tag?: string;
  label?: string;
  hwId?: string;
  commitSha?: string;
  serverArgs?: string;
  serverEnv: string[];
  simPreset?: string;
  simFaults?: string;
  /** --sim-set key=value: built-in simulator profile fields (repeatable) */
  simSet?: string[];
  /** --shard i/N and --start-at <epoch ms> (bench-serve-shard-flags.ts) */
  shard?: string;
  startAt?: string;
  workers: string;
  calibration?: string;
}

/** One cell as the flags describe it (keys and streams are derived later). */
export type CellFlag =
  | { readonly kind: 'closed'; readonly concurrency: number; readonly prefixGroups?: number }
  | {
      readonly kind: 'open';
      readonly rateRps: number;
      readonly burstiness: number;
      readonly maxConcurrency?: number;
      /** --schedule-in, or the timestamps of a replayed jsonl file */
      readonly replay?: Schedule;
      /** the jsonl file's timestamps give the schedule (filled in by resolveReplay) */
      readonly replayTimestamps?: boolean;
      /** replay only the first N lines (an explicit --num-prompts) */
      readonly replayLines?: number;
      /** --prefix-groups-sweep: this cell's prefix groups */
      readonly prefixGroups?: number;
    };

export interface BenchServeOptions {
  /** undefined: start the built-in simulator */
  readonly address?: ServerAddress;
  readonly endpoint: Endpoint;
  readonly model?: string;
  /** the API key read from --api-key-env (a secret: never printed or recorded) */
  readonly apiKey?: string;
  readonly headers: Record<string, string>;
  readonly extraBody?: Record<string, unknown>;
  readonly ignoreEos: boolean;
  readonly enableThinking?: boolean;
  readonly timeoutMs: number;
  readonly readyTimeoutMs: number;
  readonly dataset: DatasetSpec;
  readonly tokenizer: string;
  readonly numPrompts: number;
  readonly cells: CellFlag[];
  readonly durationMs?: number;
  readonly nRepeats: number;
  readonly warmupRequests: number;
  readonly warmupMs?: number;
  readonly warmupErrorsFail: boolean;
  readonly interleave: boolean;
  readonly slo: Slo;
  readonly seed: number;
  readonly scheduleOut?: string;
  readonly scheduleInPath?: string;
  readonly failOnError: boolean;
  readonly maxErrorRate?: number;
  readonly requireCi: boolean;
  readonly requireDone: boolean;
  readonly output?: FerrumOutputFormat;
  readonly out?: string;
  readonly outDir?: string;
  readonly traceOut?: string;
  /** the ledger file, or undefined with --no-db */
  readonly db?: string;
  readonly tag?: string;
  readonly label?: string;
  readonly hwId?: string;
  readonly commitSha?: string;
  readonly serverArgs?: string[];
  readonly serverEnv: Record<string, string>;
  readonly simPreset?: string;
  readonly simFaults?: string;
  /** --sim-set: profile fields of the built-in simulator over its preset */
  readonly simProfile?: SimProfileOverrides;
  /** --shard i/N --start-at T: run this shard's part of the plan and write raw records for merge */
  readonly shard?: ShardOption;
  /** worker threads that send the load (1: this thread); 'auto': 1 unless the calibration says one thread cannot reach the load */
  readonly workers: number | 'auto';
  /** --calibration FILE: this machine's client ceiling (default: the stored one, if any) */
  readonly calibration?: string;
}

/** Defaults chosen so a bare `goodput bench-serve` against the simulator takes seconds (ferrum: c=32, 100 prompts). */
export const BENCH_SERVE_DEFAULTS = {
  concurrency: 32,
  numPrompts: '100',
  nRepeats: '3',
  warmupRequests: '10',
  randomInputLen: '256',
  randomOutputLen: '128',
  timeoutS: '600',
  readyTimeoutS: '60',
  seed: '0',
  db: 'goodput.db',
} as const;

/** Splits `--server-args` like a shell would for plain words and quotes (no expansion). */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text))
    out.push(m[1]?.replace(/\\(.)/g, '$1') ?? m[2] ?? m[3] ?? '');
  return out;
}

/**
 * Validates every flag. `cwd` resolves paths; `env` holds the API key variable. Throws one USAGE
 * GoodputError listing every problem.
 */
export function validateBenchServeOptions(
  raw: RawBenchServeOptions,
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): BenchServeOptions {
  const problems: string[] = [];
  const take = <T>(parsed: Parsed<T>, fallback: T): T => {
    if (parsed.ok) return parsed.value;
    problems.push(parsed.problem);
    return fallback;
  };
  const optional = <T>(
    value: string | undefined,
    parse: (v: string) => Parsed<T>,
    fallback: T,
  ): T | undefined => (value === undefined ? undefined : take(parse(value), fallback));
  const path = (p: string | undefined) => (p === undefined ? undefined : resolve(cwd, p));

  // target
  let address: ServerAddress | undefined;
  if (raw.baseUrl !== undefined) {
    try {
      address = parseBaseUrl(raw.baseUrl);
    } catch (e) {
      problems.push((e as GoodputError).message);
    }
  }
  const endpoint = raw.endpoint === 'chat' || raw.endpoint === 'completions' ? raw.endpoint : undefined;
  if (endpoint === undefined)
    problems.push(`--endpoint ${JSON.stringify(raw.endpoint)}: expected chat or completions`);
  let apiKey: string | undefined;
  try {
    apiKey = readApiKey(env, raw.apiKeyEnv);
  } catch (e) {
    problems.push((e as GoodputError).message);
  }
  const { headers, problems: headerProblems } = parseHeaders(raw.header);
  problems.push(...headerProblems);
  const extraBody = optional(raw.extraBody, (v) => parseJsonObjectFlag('--extra-body', v), {});
  if (extraBody !== undefined && 'stream' in extraBody)
    problems.push('--extra-body must not set "stream": goodput always streams');
  if (extraBody !== undefined && 'model' in extraBody)
    problems.push('--extra-body must not set "model": use --model');
  const enableThinking = optional(raw.enableThinking, (v) => parseBoolFlag('--enable-thinking', v), false);
  if (enableThinking !== undefined && endpoint === 'completions') {
    problems.push('--enable-thinking applies to --endpoint chat (it sets chat_template_kwargs)');
  }
  const timeoutMs = take(parsePositiveFlag('--timeout', raw.timeout), 1) * 1000;
  const readyTimeoutMs = take(parsePositiveFlag('--ready-timeout', raw.readyTimeout), 1) * 1000;
  if (raw.model !== undefined && raw.model.trim() === '') problems.push('--model: the model name is empty');

  // simulator
  if (address !== undefined && (raw.simPreset !== undefined || raw.simFaults !== undefined)) {
    problems.push(
      '--sim-preset and --sim-faults configure the built-in simulator: drop them or drop --base-url',
    );
  }
  if (raw.simPreset !== undefined && !(SIM_PRESET_NAMES as readonly string[]).includes(raw.simPreset)) {
    problems.push(
      `--sim-preset ${JSON.stringify(raw.simPreset)}: choose one of ${SIM_PRESET_NAMES.join(', ')}`,
    );
  }
  if (raw.simFaults !== undefined) {
    try {
      parseFaultSpec(raw.simFaults);
    } catch (e) {
      problems.push((e as Error).message.replace(/^--faults/, '--sim-faults'));
    }
  }
  let simProfile: SimProfileOverrides | undefined;
  if (raw.simSet !== undefined && raw.simSet.length > 0) {
    if (address !== undefined)
      problems.push('--sim-set configures the built-in simulator: drop it or drop --base-url');
    try {
      simProfile = parseProfileAssignments(raw.simSet);
      const preset = (SIM_PRESET_NAMES as readonly string[]).includes(raw.simPreset ?? '')
        ? (raw.simPreset as string)
        : BENCH_SERVE_SIM_PRESET;
      resolveProfile(simPreset(preset), simProfile, '--sim-set', 'USAGE');
    } catch (e) {
      problems.push((e as Error).message.replace(/^--set/, '--sim-set'));
    }
  }

  // dataset
  const outputLen = take(parseIntFlag('--random-output-len', raw.randomOutputLen, 1), 1);
  const lengthTolerance = take(parseIntFlag('--length-tolerance', raw.lengthTolerance, 0), 0);
  const datasetPath = path(raw.datasetPath ?? raw.sharegptPath);
  if (raw.datasetPath !== undefined && raw.sharegptPath !== undefined) {
    problems.push('--sharegpt-path is ferrum’s name for --dataset-path: give one of them');
  }
  let dataset: DatasetSpec | undefined;
  switch (raw.dataset) {
    case 'random':
      dataset = {
        kind: 'random',
        inputLen: take(parseIntFlag('--random-input-len', raw.randomInputLen, 1), 1),
        outputLen,
        rangeRatio: take(parsePositiveFlag('--random-range-ratio', raw.randomRangeRatio, true), 0),
        lengthTolerance,
      };
      break;
    case 'shared-prefix':
      dataset = {
        kind: 'shared-prefix',
        prefixLen: take(parseIntFlag('--shared-prefix-len', raw.sharedPrefixLen, 1), 1),
        suffixLen: take(parseIntFlag('--shared-suffix-len', raw.sharedSuffixLen, 1), 1),
        groups: take(parseIntFlag('--prefix-groups', raw.prefixGroups, 1), 1),
        warmPrefix: raw.warmPrefix === true,
        outputLen,
        lengthTolerance,
      };
      break;
    case 'sharegpt':
      if (raw.sharegptOutputLen !== 'fixed' && raw.sharegptOutputLen !== 'reference') {
        problems.push(
          `--sharegpt-output-len ${JSON.stringify(raw.sharegptOutputLen)}: expected fixed or reference`,
        );
      }
      if (raw.sampling !== 'without-replacement' && raw.sampling !== 'with-replacement') {
        problems.push(
          `--sampling ${JSON.stringify(raw.sampling)}: expected without-replacement or with-replacement`,
        );
      }
      dataset = {
        kind: 'sharegpt',
        path: datasetPath ?? '',
        outputLen,
        useReferenceOutputLen: raw.sharegptOutputLen === 'reference',
        withReplacement: raw.sampling === 'with-replacement',
        filters: {
          minPromptTokens: take(
            parseIntFlag('--sharegpt-min-prompt-len', raw.sharegptMinPromptLen, 0),
            DEFAULT_SHAREGPT_FILTERS.minPromptTokens,
          ),
          minOutputTokens: take(
            parseIntFlag('--sharegpt-min-output-len', raw.sharegptMinOutputLen, 0),
            DEFAULT_SHAREGPT_FILTERS.minOutputTokens,
          ),
          maxPromptTokens: take(
            parseIntFlag('--sharegpt-max-prompt-len', raw.sharegptMaxPromptLen, 1),
            DEFAULT_SHAREGPT_FILTERS.maxPromptTokens,
          ),
          maxTotalTokens: take(
            parseIntFlag('--sharegpt-max-total-len', raw.sharegptMaxTotalLen, 1),
            DEFAULT_SHAREGPT_FILTERS.maxTotalTokens,
          ),
        },
      };
      break;
    case 'jsonl':
      dataset = { kind: 'jsonl', path: datasetPath ?? '', outputLen };
      break;
    default:
      problems.push(
        `--dataset ${JSON.stringify(raw.dataset)}: choose random, sharegpt, shared-prefix or jsonl`,
      );
  }
  if (dataset !== undefined) {
    problems.push(...datasetSpecProblems(dataset).filter((p) => !problems.includes(p)));
    if ((dataset.kind === 'sharegpt' || dataset.kind === 'jsonl') && datasetPath !== undefined) {
      if (!existsSync(datasetPath) || !statSync(datasetPath).isFile())
        problems.push(`--dataset-path ${datasetPath}: no such file`);
    }
    if (dataset.kind !== 'sharegpt' && dataset.kind !== 'jsonl' && datasetPath !== undefined) {
      problems.push(`--dataset-path is only read by --dataset sharegpt or jsonl (not ${dataset.kind})`);
    }
  }
  if (
    raw.tokenizer !== 'default' &&
    raw.tokenizer !== 'server' &&
    raw.tokenizer !== '' &&
    !existsSync(resolve(cwd, raw.tokenizer))
  ) {
    problems.push(
      `--tokenizer ${raw.tokenizer}: no such file or directory (give a tokenizer.json, its directory, default or server)`,
    );
  }
  if (raw.tokenizer === 'server' && address === undefined) {
    problems.push('--tokenizer server needs --base-url (the simulator counts with the default tokenizer)');
  }

  // load shape
  const numPrompts = take(
    parseIntFlag('--num-prompts', raw.numPrompts ?? BENCH_SERVE_DEFAULTS.numPrompts, 1),
    1,
  );
  const positiveInt = (flag: string) => (t: string) => parseIntFlag(flag, t, 1);
  const concurrency = optional(raw.concurrency, positiveInt('--concurrency'), 1);
  const concurrencySweep = optional(
    raw.concurrencySweep,
    (v) => parseListFlag('--concurrency-sweep', v, positiveInt('--concurrency-sweep')),
    [],
  );
  const requestRate = optional(raw.requestRate, (v) => parsePositiveFlag('--request-rate', v), 1);
  const rateSweep = optional(
    raw.rateSweep,
    (v) => parseListFlag('--rate-sweep', v, (t) => parsePositiveFlag('--rate-sweep', t)),
    [],
  );
  const burstiness =
    raw.burstiness === undefined
      ? 1
      : raw.burstiness === 'inf'
        ? Number.POSITIVE_INFINITY
        : take(parsePositiveFlag('--burstiness', raw.burstiness), 1);
  const maxConcurrency = optional(raw.maxConcurrency, positiveInt('--max-concurrency'), 1);
  const durationMs = optional(raw.duration, (v) => parseDurationFlag('--duration', v), 1000);
  let replay: Schedule | undefined;
  const scheduleInPath = path(raw.scheduleIn);
  if (scheduleInPath !== undefined) {
    try {
      replay = parseScheduleFile(readFileSync(scheduleInPath, 'utf8'), scheduleInPath);
      if (replay.offsets_ms.length === 0)
        problems.push(`--schedule-in ${scheduleInPath}: the schedule has no requests`);
    } catch (e) {
      problems.push(
        e instanceof GoodputError
          ? `--schedule-in ${e.message}`
          : `--schedule-in ${scheduleInPath}: ${(e as Error).message}`,
      );
    }
  }
  const openFlags = [
    raw.requestRate !== undefined && '--request-rate',
    raw.rateSweep !== undefined && '--rate-sweep',
    raw.scheduleIn !== undefined && '--schedule-in',
  ].filter((f): f is string => f !== false);
  const closedFlags = [
    raw.concurrency !== undefined && '--concurrency',
    raw.concurrencySweep !== undefined && '--concurrency-sweep',
  ].filter((f): f is string => f !== false);
  if (openFlags.length > 1)
    problems.push(`${openFlags.join(' and ')} each define the open-loop cells: give one`);
  if (closedFlags.length > 1)
    problems.push('--concurrency and --concurrency-sweep both define closed-loop cells: give one');
  if (openFlags.length > 0 && closedFlags.length > 0) {
    problems.push(
      `${closedFlags.join('/')} (closed loop) and ${openFlags.join('/')} (open loop) cannot be mixed in one run`,
    );
  }
  if (raw.burstiness !== undefined && openFlags.length === 0)
    problems.push('--burstiness shapes open-loop arrivals: it needs --request-rate or --rate-sweep');
  if (raw.burstiness !== undefined && raw.scheduleIn !== undefined)
    problems.push('--burstiness does not apply to a replayed --schedule-in');
  const cells: CellFlag[] = [];
  const open = (rateRps: number, sched?: Schedule): CellFlag => ({
    kind: 'open',
    rateRps,
    burstiness,
    ...(maxConcurrency === undefined ? {} : { maxConcurrency }),
    ...(sched === undefined ? {} : { replay: sched }),
  });
  if (replay !== undefined) cells.push(open(replayRate(replay), replay));
  else if (rateSweep !== undefined) for (const r of rateSweep) cells.push(open(r));
  else if (requestRate !== undefined) cells.push(open(requestRate));
  else if (concurrencySweep !== undefined)
    for (const c of concurrencySweep) cells.push({ kind: 'closed', concurrency: c });
  else {
    // closed loop: --max-concurrency is ferrum's alias of --concurrency here
    if (concurrency !== undefined && maxConcurrency !== undefined && concurrency !== maxConcurrency) {
      problems.push('--max-concurrency is an alias of --concurrency in a closed-loop run: give one of them');
    }
    cells.push({
      kind: 'closed',
      concurrency: concurrency ?? maxConcurrency ?? BENCH_SERVE_DEFAULTS.concurrency,
    });
  }
  if (durationMs !== undefined && replay !== undefined)
    problems.push('--duration and --schedule-in both bound the run: give one');
  // a timed jsonl file replays at its timestamps; a prefix-groups sweep repeats the load cell
  const scenarioCells =
    replayCells(raw, datasetPath, maxConcurrency, problems) ??
    prefixSweepCells(raw, dataset, cells, problems);
  if (scenarioCells !== undefined) cells.splice(0, cells.length, ...scenarioCells);

  const workers: number | 'auto' =
    raw.workers === 'auto' ? 'auto' : take(parseIntFlag('--workers', raw.workers, 1, 64), 1);

  // repeats and warmup
  const nRepeats = take(parseIntFlag('--n-repeats', raw.nRepeats, 1), 1);
  const warmupRequests = take(parseIntFlag('--warmup-requests', raw.warmupRequests, 0), 0);
  const warmupMs = optional(raw.warmupSeconds, (v) => parsePositiveFlag('--warmup-seconds', v), 1);
  const warmupSecondsMs = warmupMs === undefined ? undefined : warmupMs * 1000;
  if (warmupSecondsMs !== undefined && warmupRequests === 0) {
    problems.push(
      '--warmup-seconds needs --warmup-requests ≥ 1 (the warmup prompts are cycled until the time is up)',
    );
  }
  if (raw.warmupErrors !== 'fail' && raw.warmupErrors !== 'warn') {
    problems.push(`--warmup-errors ${JSON.stringify(raw.warmupErrors)}: expected fail or warn`);
  }
  if (raw.interleave === true && cells.length < 2)
    problems.push('--interleave alternates the repeats of several cells: it needs a sweep');
  const shard = shardOption(raw, { cells, nRepeats }, problems);
  const requireCi = raw.requireCi === true;
  if (requireCi && nRepeats < 3) problems.push(`--require-ci needs --n-repeats ≥ 3 (got ${nRepeats})`);

  // SLO, seed, policy
  const unbounded: Slo = {
    ttft_p99_ms: UNBOUNDED_SLO_MS,
    tpot_p99_ms: UNBOUNDED_SLO_MS,
    e2e_p99_ms: UNBOUNDED_SLO_MS,
  };
  const slo = raw.goodput === undefined ? unbounded : take(parseSloFlag('--goodput', raw.goodput), unbounded);
  const seed = take(parseIntFlag('--seed', raw.seed, 0, Number.MAX_SAFE_INTEGER), 0);
  let maxErrorRate: number | undefined;
  if (raw.maxErrorRate !== undefined) {
    const v = Number(raw.maxErrorRate);
    if (raw.maxErrorRate.trim() === '' || !(v >= 0 && v <= 1))
      problems.push(`--max-error-rate ${JSON.stringify(raw.maxErrorRate)}: expected a number in [0, 1]`);
    else maxErrorRate = v;
  }

  // outputs
  const output =
    raw.output === undefined
      ? undefined
      : (FERRUM_OUTPUT_FORMATS as readonly string[]).includes(raw.output)
        ? (raw.output as FerrumOutputFormat)
        : undefined;
  if (raw.output !== undefined && output === undefined)
    problems.push(`--output ${JSON.stringify(raw.output)}: expected json, jsonl or md`);
  if (raw.out !== undefined && raw.resultFile !== undefined)
    problems.push('--result-file is ferrum’s name for --out: give one of them');
  const out = path(raw.out ?? raw.resultFile);
  if (output === 'jsonl' && out === undefined)
    problems.push('--output jsonl needs --out PATH (it appends one line per cell)');
  if (out !== undefined && output === undefined) problems.push('--out needs --output json|jsonl|md');
  const scheduleOut = path(raw.scheduleOut);
  if (scheduleOut !== undefined && cells.filter((c) => c.kind === 'open').length !== 1) {
    problems.push(
      '--schedule-out writes the schedule of one open-loop cell: it needs exactly one (--request-rate R)',
    );
  }
  const serverEnv: Record<string, string> = {};
  for (const kv of raw.serverEnv) {
    const r = take(parseKeyValueFlag('--server-env', kv), ['', ''] as [string, string]);
    if (r[0] !== '') serverEnv[r[0]] = r[1];
  }
  const serverArgs = raw.serverArgs === undefined ? undefined : splitArgs(raw.serverArgs);
  for (const [flag, v] of [
    ['--tag', raw.tag],
    ['--label', raw.label],
    ['--hw-id', raw.hwId],
    ['--commit-sha', raw.commitSha],
  ] as const) {
    if (v !== undefined && v.trim() === '') problems.push(`${flag} is empty`);
  }

  if (problems.length > 0) {
    throw new GoodputError(
      'USAGE',
      problems.length === 1
        ? (problems[0] as string)
        : `${problems.length} problems:\n  ${problems.join('\n  ')}`,
      {
        hint: 'run goodput bench-serve --help for the flags and examples',
      },
    );
  }
  const defined = <K extends string, V>(key: K, value: V | undefined) =>
    value === undefined ? {} : ({ [key]: value } as Record<K, V>);
  return {
    ...defined('address', address),
    endpoint: endpoint as Endpoint,
    ...defined('model', raw.model),
    ...defined('apiKey', apiKey),
    headers,
    ...defined('extraBody', extraBody),
    ignoreEos: raw.ignoreEos === true,
    ...defined('enableThinking', enableThinking),
    timeoutMs,
    readyTimeoutMs,
    dataset: dataset as DatasetSpec,
    tokenizer:
      raw.tokenizer === 'default' || raw.tokenizer === 'server' ? raw.tokenizer : resolve(cwd, raw.tokenizer),
    numPrompts: replay === undefined ? numPrompts : replay.offsets_ms.length,
    cells,
    ...defined('durationMs', durationMs),
    nRepeats,
    warmupRequests,
    ...defined('warmupMs', warmupSecondsMs),
    warmupErrorsFail: raw.warmupErrors === 'fail',
    interleave: raw.interleave === true,
    slo,
    seed,
    ...defined('scheduleOut', scheduleOut),
    ...defined('scheduleInPath', scheduleInPath),
    failOnError: raw.failOnError === true,
    ...defined('maxErrorRate', maxErrorRate),
    requireCi,
    requireDone: raw.allowMissingDone !== true,
    ...defined('output', output),
    ...defined('out', out),
    ...defined('outDir', path(raw.outDir)),
    ...defined('traceOut', path(raw.traceOut)),
    ...defined('db', raw.db === false ? undefined : path(raw.db)),
    ...defined('tag', raw.tag),
    ...defined('label', raw.label),
    ...defined('hwId', raw.hwId),
    ...defined('commitSha', raw.commitSha),
    ...defined('serverArgs', serverArgs),
    serverEnv,
    ...(address === undefined ? { simPreset: raw.simPreset ?? BENCH_SERVE_SIM_PRESET } : {}),
    ...defined('simFaults', raw.simFaults),
    ...defined('simProfile', simProfile),
    ...defined('shard', shard),
    workers,
    ...defined('calibration', path(raw.calibration)),
  };
}

/** The rate a replayed schedule stands for: its recorded rate, else requests over its span. */
function replayRate(schedule: Schedule): number {
  const p = schedule.profile;
  if (p.kind !== 'trace') return p.rate_rps;
  const offsets = schedule.offsets_ms;
  const span = (offsets[offsets.length - 1] ?? 0) - (offsets[0] ?? 0);
  return span > 0 ? ((offsets.length - 1) * 1000) / span : offsets.length;
}
