// `goodput bench`'s flags, checked before anything runs: every problem of the command line is
// collected and reported at once (exit 2), and the valid ones become one typed BenchOptions with
// numbers parsed, the SLO read and paths resolved against the working directory.

import { resolve } from 'node:path';
import { GoodputError } from '../core/errors.js';
import { type Slo, UNBOUNDED_SLO_MS } from '../core/schema/bench-report.js';
import type { SimPresetName } from '../core/sim/presets.js';
import type { FerrumOutputFormat } from '../output/ferrum-output.js';
import { type Parsed, parseIntFlag, parsePositiveFlag, parseSloFlag } from './bench-serve-flag-values.js';
import { ledgerPath } from './run-finalize.js';

/** The flags as commander hands them over (strings, as typed). */
export interface BenchFlags {
  readonly engine: string;
  readonly modelPath?: string;
  readonly threads?: string;
  readonly simPreset?: SimPresetName;
  readonly prompt: string;
  readonly maxTokens: string;
  readonly rounds: string;
  readonly numPrompts?: string;
  readonly concurrency: string;
  readonly nRepeats: string;
  readonly warmupRequests: string;
  readonly goodput?: string;
  readonly seed: string;
  readonly temperature: string;
  readonly output?: FerrumOutputFormat;
  readonly out?: string;
  readonly showOutput?: true;
  readonly traceOut?: string;
  readonly profileOut?: string;
  readonly outDir?: string;
  readonly db: string | false;
  readonly dbRequests?: true;
  readonly commitSha?: string;
  readonly hwId?: string;
}

export interface BenchOptions {
  /** sim, llama, or a user module (`enginePath`) */
  readonly engineKind: 'sim' | 'llama' | 'module';
  /** the module file of --engine PATH, resolved */
  readonly enginePath: string;
  readonly modelPath?: string;
  readonly threads?: number;
  readonly simPreset?: SimPresetName;
  readonly prompt: string;
  readonly maxTokens: number;
  readonly concurrency: number;
  readonly repeats: number;
  /** --num-prompts, else --rounds × --concurrency (ferrum's count) */
  readonly requestsPerRepeat: number;
  readonly warmupRequests: number;
  readonly seed: number;
  readonly temperature: number;
  readonly slo: Slo;
  readonly output?: FerrumOutputFormat;
  /** where --output goes, resolved; stdout when absent */
  readonly out?: string;
  readonly showOutput: boolean;
  readonly traceOut?: string;
  readonly profileOut?: string;
  /** the run directory, resolved; the default goodput-results/<timestamp>-<label>/ when absent */
  readonly outDir?: string;
  /** the ledger file, resolved; undefined with --no-db */
  readonly db?: string;
  /** --db-requests: store the request rows in the ledger too */
  readonly dbRequests: boolean;
  readonly commitSha?: string;
  readonly hwId?: string;
}

const UNBOUNDED_SLO: Slo = {
  ttft_p99_ms: UNBOUNDED_SLO_MS,
  tpot_p99_ms: UNBOUNDED_SLO_MS,
  e2e_p99_ms: UNBOUNDED_SLO_MS,
};

/** Checks every flag; throws one USAGE error listing every problem, one per line. */
export function parseBenchOptions(flags: BenchFlags, cwd: string): BenchOptions {
  const problems: string[] = [];
  const take = <T>(parsed: Parsed<T>, fallback: T): T => {
    if (parsed.ok) return parsed.value;
    problems.push(parsed.problem);
    return fallback;
  };
  const maxTokens = take(parseIntFlag('--max-tokens', flags.maxTokens, 1), 1);
  const rounds = take(parseIntFlag('--rounds', flags.rounds, 1), 1);
  const concurrency = take(parseIntFlag('--concurrency', flags.concurrency, 1, 1024), 1);
  const repeats = take(parseIntFlag('--n-repeats', flags.nRepeats, 1), 1);
  const warmupRequests = take(parseIntFlag('--warmup-requests', flags.warmupRequests, 0), 0);
  const seed = take(parseIntFlag('--seed', flags.seed, 0, Number.MAX_SAFE_INTEGER), 0);
  const temperature = take(parsePositiveFlag('--temperature', flags.temperature, true), 0);
  const numPrompts =
    flags.numPrompts === undefined ? undefined : take(parseIntFlag('--num-prompts', flags.numPrompts, 1), 1);
  const slo =
    flags.goodput === undefined
      ? UNBOUNDED_SLO
      : take(parseSloFlag('--goodput', flags.goodput), UNBOUNDED_SLO);
  const threads =
    flags.threads === undefined ? undefined : take(parseIntFlag('--threads', flags.threads, 1, 1024), 1);
  const engineKind = flags.engine === 'sim' || flags.engine === 'llama' ? flags.engine : 'module';
  if (flags.prompt === '') problems.push('--prompt: the prompt is empty');
  if (engineKind === 'llama' && flags.modelPath === undefined)
    problems.push('--engine llama needs --model-path FILE.gguf');
  if (engineKind !== 'llama' && flags.modelPath !== undefined)
    problems.push('--model-path is only used by --engine llama');
  if (engineKind !== 'llama' && flags.threads !== undefined)
    problems.push('--threads is only used by --engine llama');
  if (engineKind !== 'sim' && flags.simPreset !== undefined)
    problems.push('--sim-preset is only used by --engine sim');
  if (engineKind === 'sim' && temperature > 0)
    problems.push('--temperature: the simulator engine does not sample tokens');
  if (flags.output === 'jsonl' && flags.out === undefined)
    problems.push('--output jsonl needs --out PATH (it appends)');
  if (flags.out !== undefined && flags.output === undefined)
    problems.push('--out needs --output json|jsonl|md');
  if (problems.length > 0) {
    throw new GoodputError('USAGE', problems.join('\n'), {
      hint: 'run goodput bench --help for the flags and examples',
    });
  }
  const db = ledgerPath(cwd, flags.db);
  return {
    engineKind,
    enginePath: resolve(cwd, flags.engine),
    ...(flags.modelPath === undefined ? {} : { modelPath: resolve(cwd, flags.modelPath) }),
    ...(threads === undefined ? {} : { threads }),
    ...(flags.simPreset === undefined ? {} : { simPreset: flags.simPreset }),
    prompt: flags.prompt,
    maxTokens,
    concurrency,
    repeats,
    requestsPerRepeat: numPrompts ?? rounds * concurrency,
    warmupRequests,
    seed,
    temperature,
    slo,
    ...(flags.output === undefined ? {} : { output: flags.output }),
    ...(flags.out === undefined ? {} : { out: resolve(cwd, flags.out) }),
    showOutput: flags.showOutput === true,
    ...(flags.traceOut === undefined ? {} : { traceOut: resolve(cwd, flags.traceOut) }),
    ...(flags.profileOut === undefined ? {} : { profileOut: resolve(cwd, flags.profileOut) }),
    ...(flags.outDir === undefined ? {} : { outDir: resolve(cwd, flags.outDir) }),
    ...(db === undefined ? {} : { db }),
    dbRequests: flags.dbRequests === true,
    ...(flags.commitSha === undefined ? {} : { commitSha: flags.commitSha }),
    ...(flags.hwId === undefined ? {} : { hwId: flags.hwId }),
  };
}
