// bench-serve's flags exactly as commander hands them over (strings) and the defaults bench-serve.ts
// registers with commander; bench-serve-options.ts turns them into checked options.

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
  dbRequests?: true;
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
} as const;
